import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { LocalStack } from '../../local/stack.js';
import { type ApiCall, type ApiCaller, jsonOf } from '../support/api-client.js';
import { changeList, changeView, eventList } from '../support/change-shapes.js';
import { type E2eStack, startE2eStack } from '../support/e2e-stack.js';
import { waitFor } from '../support/wait-for.js';
import type { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * A managed cluster's node pools changed over HTTP on the local stack (issue #17): add, scale and
 * delete a pool, each a 202 with the cluster `updating` while ACK's task runs (a timeline entry
 * per stage), then `running` with the pools as asked and a signed `cluster.updated`; a task the
 * emulator fails mid-way gives the cluster back as `running`, the pools unchanged, the failure on
 * the change and in `cluster.update_failed`.
 */
const NETWORK = { vpcId: 'vpc-emuhz01', vswitchIds: ['vsw-emuhz01a', 'vsw-emuhz01b'] };

const poolView = z.looseObject({
  name: z.string(),
  nodePoolId: z.string().nullable(),
  instanceTypes: z.array(z.string()),
  desiredSize: z.number().nullable(),
  state: z.string().nullable(),
  nodes: z.object({ total: z.number(), healthy: z.number(), serving: z.number() }),
});
const poolList = z.object({ profile: z.string(), items: z.array(poolView) });
const clusterView = z.looseObject({
  id: z.string(),
  state: z.string(),
  spec: z.looseObject({
    nodePools: z.array(z.looseObject({ name: z.string(), desiredSize: z.number() })).optional(),
  }),
});
const accepted = z.object({ cluster: clusterView, change: changeView });
const problem = z.looseObject({ code: z.string(), detail: z.string() });

describe('local stack: changing the node pools of a managed cluster', () => {
  let e2e: E2eStack | undefined;
  let stack: LocalStack;
  let receiver: WebhookReceiver;
  let http: ApiCaller;

  const api = (call: Omit<ApiCall, 'key'>) => http({ ...call, key: stack.apiKey });
  const viewOf = async (id: string) =>
    jsonOf(await api({ method: 'GET', path: `/v1/clusters/${id}` }), clusterView);
  const poolsOf = async (id: string) =>
    jsonOf(await api({ method: 'GET', path: `/v1/clusters/${id}/node-pools` }), poolList).items;
  const changesOf = async (id: string) =>
    jsonOf(await api({ method: 'GET', path: `/v1/clusters/${id}/changes` }), changeList).changes;
  const eventsOf = async (id: string) =>
    jsonOf(await api({ method: 'GET', path: `/v1/clusters/${id}/events` }), eventList).events;
  const hookFor = (id: string, type: string, changeId: string) =>
    waitFor(`the ${type} webhook of ${changeId}`, async () =>
      receiver.received.find((h) => {
        const event = JSON.parse(h.body);
        return event.type === type && event.data?.change?.id === changeId && event.data.id === id;
      }),
    );
  const backToRunning = (id: string) =>
    waitFor('the change to end', async () => {
      const view = await viewOf(id);
      return view.state === 'running' ? view : undefined;
    });

  const runningManaged = async (name: string): Promise<string> => {
    const created = await api({
      method: 'POST',
      path: '/v1/clusters',
      json: {
        name,
        region: 'cn-hangzhou',
        profile: 'managed',
        network: NETWORK,
        webhook: { url: receiver.url },
        nodePools: [{ name: 'default', instanceTypes: ['ecs.g7.large'], desiredSize: 2 }],
      },
    });
    expect(created.status, created.body).toBe(202);
    const { id } = jsonOf(created, clusterView);
    await backToRunning(id);
    return id;
  };

  /** Sends a pool change, expects its 202 and follows it to its end. */
  const change = async (
    id: string,
    call: Omit<ApiCall, 'key'>,
    kind: string,
    meanwhile: () => void = () => undefined,
  ) => {
    const reply = await api(call);
    expect(reply.status, reply.body).toBe(202);
    meanwhile();
    const started = jsonOf(reply, accepted);
    expect(started.cluster.state).toBe('updating');
    expect(started.change).toMatchObject({ kind, state: 'pending' });
    const done = await backToRunning(id);
    const [latest] = await changesOf(id);
    return { change: started.change, done, latest };
  };

  beforeAll(async () => {
    e2e = await startE2eStack('askp-pools-');
    ({ stack, receiver, http } = e2e);
    // A named network must be registered for the tenant.
    await e2e.registerNetwork({ region: 'cn-hangzhou', ...NETWORK });
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('adds, scales and deletes a pool: each 202 → updating → a stage per ACK stage → running with cluster.updated', async () => {
    const id = await runningManaged('pools');
    const batch = {
      name: 'batch',
      instanceTypes: ['ecs.c7.xlarge'],
      desiredSize: 1,
      systemDisk: { category: 'cloud_essd', size: 80 },
    };

    const post = { method: 'POST', path: `/v1/clusters/${id}/node-pools`, json: batch } as const;
    // The same request again while the pool is being created answers the same change.
    let repeated: ReturnType<typeof api> | undefined;
    const added = await change(
      id,
      post,
      'node-pool-create',
      // Sent right after the first one's 202, before following it.
      () => {
        repeated = api(post);
      },
    );
    const again = await repeated;
    if (again?.status === 202) expect(jsonOf(again, accepted).change.id).toBe(added.change.id);
    else expect(again?.status).toBe(409);
    expect(added.latest).toMatchObject({ id: added.change.id, state: 'succeeded', error: null });
    expect(added.latest?.ackTaskId).toMatch(/^T-/);
    expect(added.done.spec.nodePools?.map((pool) => pool.name)).toEqual(['default', 'batch']);
    const hook = await hookFor(id, 'cluster.updated', added.change.id);
    expect(new Webhook(stack.webhookSecret).verify(hook.body, hook.headers)).toMatchObject({
      type: 'cluster.updated',
      data: { id, state: 'running', change: { kind: 'node-pool-create' } },
    });
    const stages = (await eventsOf(id)).filter(
      (event) => event.type === 'ack.stage' && event.state === 'updating',
    );
    expect(stages.map((event) => event.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('CreateScalingGroup'),
        expect.stringContaining('ScaleOutNodes'),
      ]),
    );
    const afterAdd = await poolsOf(id);
    expect(afterAdd.map((pool) => [pool.name, pool.state, pool.nodes.total])).toEqual([
      ['default', 'active', 2],
      ['batch', 'active', 1],
    ]);

    // By name or by ACK's id; the nodes follow the new size.
    const scaled = await change(
      id,
      {
        method: 'PATCH',
        path: `/v1/clusters/${id}/node-pools/batch`,
        json: { desiredSize: 3, instanceTypes: ['ecs.c7.xlarge', 'ecs.c7.large'] },
      },
      'node-pool-update',
    );
    expect(scaled.latest?.state).toBe('succeeded');
    await hookFor(id, 'cluster.updated', scaled.change.id);
    expect((await poolsOf(id))[1]).toMatchObject({
      name: 'batch',
      desiredSize: 3,
      instanceTypes: ['ecs.c7.xlarge', 'ecs.c7.large'],
      nodes: { total: 3 },
    });
    expect(scaled.done.spec.nodePools?.find((pool) => pool.name === 'batch')?.desiredSize).toBe(3);

    // What the pool already has: a plain 200 with the pool, no change.
    const same = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}/node-pools/batch`,
      json: { desiredSize: 3 },
    });
    expect(same.status).toBe(200);
    expect(jsonOf(same, poolView)).toMatchObject({ name: 'batch', desiredSize: 3 });

    const batchId = (await poolsOf(id))[1]?.nodePoolId ?? '';
    const removed = await change(
      id,
      { method: 'DELETE', path: `/v1/clusters/${id}/node-pools/${batchId}` },
      'node-pool-delete',
    );
    expect(removed.latest?.state).toBe('succeeded');
    await hookFor(id, 'cluster.updated', removed.change.id);
    expect((await poolsOf(id)).map((pool) => pool.name)).toEqual(['default']);
    expect(removed.done.spec.nodePools?.map((pool) => pool.name)).toEqual(['default']);
  });

  it('returns to running with the pools unchanged and the failure recorded when ACK fails the task mid-way', async () => {
    const id = await runningManaged('pools-fail');
    stack.ack.injectFault({ kind: 'fail-task', taskType: 'nodepool_update', message: 'no stock' });

    const failed = await change(
      id,
      { method: 'PATCH', path: `/v1/clusters/${id}/node-pools/default`, json: { desiredSize: 5 } },
      'node-pool-update',
    );
    expect(failed.latest).toMatchObject({ id: failed.change.id, state: 'failed' });
    expect(failed.latest?.error?.code).toBe('ACK_CHANGE_FAILED');
    expect(failed.latest?.error?.message).toContain('UpdateScalingGroup');
    expect(failed.done.spec.nodePools?.[0]?.desiredSize).toBe(2);
    expect((await poolsOf(id))[0]).toMatchObject({ desiredSize: 2, nodes: { total: 2 } });
    expect((await eventsOf(id)).map((event) => event.type)).toContain('change.failed');
    const hook = await hookFor(id, 'cluster.update_failed', failed.change.id);
    expect(JSON.parse(hook.body)).toMatchObject({
      data: { id, state: 'running', change: { error: { code: 'ACK_CHANGE_FAILED' } } },
    });

    // Not stuck: the same scale again is accepted and succeeds.
    const retried = await change(
      id,
      { method: 'PATCH', path: `/v1/clusters/${id}/node-pools/default`, json: { desiredSize: 5 } },
      'node-pool-update',
    );
    expect(retried.latest?.state).toBe('succeeded');
    expect((await poolsOf(id))[0]).toMatchObject({ desiredSize: 5, nodes: { total: 5 } });
  });

  it('a managed create that ACK fails mid-task ends failed with the reason, and its DELETE leaves nothing at ACK: no cluster, no pool, no node', async () => {
    stack.ack.injectFault({
      kind: 'fail-creation',
      namePattern: '^mgd-doomed-',
      message: 'no ECS stock for the pool',
    });
    const created = await api({
      method: 'POST',
      path: '/v1/clusters',
      json: {
        name: 'mgd-doomed',
        region: 'cn-hangzhou',
        profile: 'managed',
        network: NETWORK,
        nodePools: [{ name: 'default', instanceTypes: ['ecs.g7.large'], desiredSize: 2 }],
      },
    });
    expect(created.status, created.body).toBe(202);
    const { id } = jsonOf(created, clusterView);
    const failedView = z.looseObject({
      state: z.string(),
      clusterId: z.string().nullable(),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    });
    const failed = await waitFor('the managed create to fail', async () => {
      const view = jsonOf(await api({ method: 'GET', path: `/v1/clusters/${id}` }), failedView);
      return view.state === 'failed' ? view : undefined;
    });
    // The reason, in the tenant's words (ACK's own text is the operator's).
    expect(failed.error?.code).toMatch(/^[A-Z_]+$/);
    expect(failed.error?.message).toContain('ACK could not create the cluster');
    expect((await eventsOf(id)).map((event) => event.type)).toContain('ack.stage');
    const atAck = stack.ack
      .listAllClusters()
      .find((cluster) => cluster.clusterId === failed.clusterId);
    expect(atAck).toMatchObject({ state: 'failed', clusterType: 'ManagedKubernetes' });
    // ACK keeps a failed cluster (no rollback) and its pools have no nodes.
    expect((await poolsOf(id)).map((pool) => pool.nodes.total)).toEqual([0]);

    expect((await api({ method: 'DELETE', path: `/v1/clusters/${id}` })).status).toBe(202);
    await waitFor('the failed cluster to be deleted', async () => {
      const view = jsonOf(await api({ method: 'GET', path: `/v1/clusters/${id}` }), failedView);
      return view.state === 'deleted' ? view : undefined;
    });
    const left = stack.ack
      .listAllClusters()
      .filter((cluster) => cluster.name.startsWith('mgd-doomed-') && cluster.state !== 'deleted');
    expect(left).toEqual([]);
    expect((await poolsOf(id)).map((pool) => [pool.nodePoolId, pool.nodes.total])).toEqual([
      [null, 0],
    ]);
  });

  it('refuses what cannot be done before anything changes: a serverless cluster (profile), a taken name, an unknown pool, a size out of bounds', async () => {
    const serverless = jsonOf(
      await api({
        method: 'POST',
        path: '/v1/clusters',
        json: { name: 'ask', region: 'cn-hangzhou' },
      }),
      clusterView,
    );
    const noPools = await api({
      method: 'POST',
      path: `/v1/clusters/${serverless.id}/node-pools`,
      json: { name: 'extra', instanceTypes: ['ecs.g7.large'], desiredSize: 1 },
    });
    expect(noPools.status).toBe(409);
    expect(jsonOf(noPools, problem).detail).toContain('profile');

    const id = await runningManaged('pools-refused');
    const taken = await api({
      method: 'POST',
      path: `/v1/clusters/${id}/node-pools`,
      json: { name: 'default', instanceTypes: ['ecs.g7.large'], desiredSize: 1 },
    });
    expect(taken.status).toBe(409);
    expect(jsonOf(taken, problem).detail).toContain('name');
    const unknown = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}/node-pools/nope`,
      json: { desiredSize: 1 },
    });
    expect(unknown.status).toBe(404);
    const gone = await api({ method: 'DELETE', path: `/v1/clusters/${id}/node-pools/nope` });
    expect(gone.status).toBe(404);
    const tooBig = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}/node-pools/default`,
      json: { desiredSize: 101 },
    });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body).toContain('desiredSize');
    const notOffered = await api({
      method: 'POST',
      path: `/v1/clusters/${id}/node-pools`,
      json: { name: 'odd', instanceTypes: ['ecs.x9.huge'], desiredSize: 1 },
    });
    expect(notOffered.status).toBe(400);

    // More nodes than the tenant's cost quota leaves room for: 403, nothing started; fewer pass.
    const tenantIds = jsonOf(
      await api({ method: 'GET', path: '/v1/admin/tenants' }),
      z.looseObject({ items: z.array(z.looseObject({ id: z.string() })) }),
    ).items.map((tenant) => tenant.id);
    const setQuota = async (headroom: number | null) => {
      for (const tenantId of tenantIds) {
        const { usage } = jsonOf(
          await api({ method: 'GET', path: `/v1/admin/tenants/${tenantId}/quota` }),
          z.looseObject({ usage: z.looseObject({ usdPerMonth: z.number() }) }),
        );
        const put = await api({
          method: 'PUT',
          path: `/v1/admin/tenants/${tenantId}/quota`,
          json: {
            maxClusters: null,
            maxMonthlyCost: headroom === null ? null : Math.ceil(usage.usdPerMonth + headroom),
          },
        });
        expect(put.status).toBe(200);
      }
    };
    await setQuota(1);
    const overBudget = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}/node-pools/default`,
      json: { desiredSize: 50 },
    });
    expect(overBudget.status).toBe(403);
    expect(jsonOf(overBudget, problem).code).toBe('TENANT_QUOTA_EXCEEDED');
    const smaller = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}/node-pools/default`,
      json: { desiredSize: 1 },
    });
    expect(smaller.status).toBe(202);
    await backToRunning(id);
    await setQuota(null);
    expect((await viewOf(id)).state).toBe('running');
    expect((await changesOf(id)).map((entry) => entry.kind)).toEqual(['node-pool-update']);
  });
});
