import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { LocalStack } from '../../local/stack.js';
import { type ApiCall, type ApiCaller, jsonOf } from '../support/api-client.js';
import { type E2eStack, startE2eStack } from '../support/e2e-stack.js';
import { waitFor } from '../support/wait-for.js';

/**
 * A managed cluster with node pools over HTTP on the local stack: created through the real SDK
 * against the ACK emulator, its pools read back from ACK once it runs, and deleted with them.
 */
const clusterView = z.looseObject({ id: z.string(), state: z.string() });
const poolList = z.object({
  profile: z.string(),
  items: z.array(
    z.looseObject({
      name: z.string(),
      nodePoolId: z.string().nullable(),
      state: z.string().nullable(),
      nodes: z.object({ total: z.number(), healthy: z.number(), serving: z.number() }),
    }),
  ),
});

const MANAGED_BODY = {
  name: 'mgd',
  region: 'cn-hangzhou',
  profile: 'managed',
  network: { vpcId: 'vpc-emuhz01', vswitchIds: ['vsw-emuhz01a', 'vsw-emuhz01b'] },
  nodePools: [
    {
      name: 'default',
      instanceTypes: ['ecs.g7.large', 'ecs.c7.xlarge'],
      desiredSize: 2,
      systemDisk: { category: 'cloud_essd', size: 80 },
    },
    { name: 'memory', instanceTypes: ['ecs.r7.large'], desiredSize: 1 },
  ],
};

describe('local stack: a managed cluster with node pools', () => {
  let e2e: E2eStack | undefined;
  let stack: LocalStack;
  let http: ApiCaller;
  const api = (call: Omit<ApiCall, 'key'>) => http({ ...call, key: stack.apiKey });

  beforeAll(async () => {
    e2e = await startE2eStack('askp-managed-');
    ({ stack, http } = e2e);
    // A named network must be registered for the tenant.
    await e2e.registerNetwork({ region: 'cn-hangzhou', ...MANAGED_BODY.network });
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('creates a managed cluster, reads its pools with their nodes from ACK, and deletes it with them', async () => {
    const created = await api({ method: 'POST', path: '/v1/clusters', json: MANAGED_BODY });
    expect(created.status).toBe(202);
    const { id } = jsonOf(created, clusterView);

    await waitFor('the managed cluster to be running', async () => {
      const view = jsonOf(await api({ method: 'GET', path: `/v1/clusters/${id}` }), clusterView);
      return view.state === 'running' ? view : undefined;
    });
    const atAck = stack.ack.listAllClusters().find((cluster) => cluster.name.startsWith('mgd-'));
    expect(atAck).toMatchObject({ clusterType: 'ManagedKubernetes', profile: 'Default' });

    const pools = jsonOf(
      await api({ method: 'GET', path: `/v1/clusters/${id}/node-pools` }),
      poolList,
    );
    expect(pools.profile).toBe('managed');
    expect(pools.items.map((pool) => [pool.name, pool.state, pool.nodes.total])).toEqual([
      ['default', 'active', 2],
      ['memory', 'active', 1],
    ]);
    expect(pools.items.every((pool) => pool.nodePoolId?.startsWith('np-'))).toBe(true);

    expect((await api({ method: 'DELETE', path: `/v1/clusters/${id}` })).status).toBe(202);
    await waitFor('the managed cluster to be deleted', async () => {
      const view = jsonOf(await api({ method: 'GET', path: `/v1/clusters/${id}` }), clusterView);
      return view.state === 'deleted' ? view : undefined;
    });
    const after = jsonOf(
      await api({ method: 'GET', path: `/v1/clusters/${id}/node-pools` }),
      poolList,
    );
    // Gone at ACK with the cluster: what the create asked for, with no nodes left.
    expect(after.items.map((pool) => [pool.name, pool.nodePoolId, pool.nodes.total])).toEqual([
      ['default', null, 0],
      ['memory', null, 0],
    ]);
  });

  it('lists instance types per zone in the options and prices the nodes in a preflight', async () => {
    const options = await api({
      method: 'GET',
      path: '/v1/options',
      query: { region: 'cn-hangzhou' },
    });
    const { instanceTypes } = JSON.parse(options.body) as {
      instanceTypes: { zoneId: string; types: { id: string }[] }[];
    };
    expect(instanceTypes.map((zone) => zone.zoneId)).toEqual(['cn-hangzhou-i', 'cn-hangzhou-j']);
    expect(instanceTypes[0]?.types.map((type) => type.id)).toContain('ecs.g7.large');
    const preflight = await api({
      method: 'POST',
      path: '/v1/clusters:preflight',
      json: MANAGED_BODY,
    });
    expect(preflight.status).toBe(200);
    const { cost } = JSON.parse(preflight.body) as { cost: { items: { item: string }[] } };
    expect(cost.items.map((line) => line.item)).toContain('node pool default: 2 × ecs.g7.large');
  });

  it('refuses node pools on a serverless cluster and a managed one without a network, naming the field', async () => {
    const serverless = await api({
      method: 'POST',
      path: '/v1/clusters',
      json: { ...MANAGED_BODY, profile: 'serverless' },
    });
    expect(serverless.status).toBe(400);
    expect(serverless.body).toContain('nodePools');
    const noNetwork = await api({
      method: 'POST',
      path: '/v1/clusters',
      json: { ...MANAGED_BODY, network: 'auto' },
    });
    expect(noNetwork.status).toBe(400);
    expect(noNetwork.body).toContain('network');
  });

  it('answers an empty pool list for a serverless cluster', async () => {
    const created = await api({
      method: 'POST',
      path: '/v1/clusters',
      json: { name: 'ask', region: 'cn-hangzhou' },
    });
    const { id } = jsonOf(created, clusterView);
    const pools = jsonOf(
      await api({ method: 'GET', path: `/v1/clusters/${id}/node-pools` }),
      poolList,
    );
    expect(pools).toEqual({ profile: 'serverless', items: [] });
  });
});
