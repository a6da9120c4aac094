import { $OpenApiUtil } from '@alicloud/openapi-core';
import { describe, expect, it } from 'vitest';
import type { NodePoolInput } from '../../shared/ack/cluster-api.port.js';
import { cs, resolveClientClass } from '../../shared/ack/cs-sdk.js';
import {
  ACCESS_KEY_ID,
  ACCESS_KEY_SECRET,
  caught,
  clusterInput,
  REGION,
  startHarness,
} from './ack-harness.js';

/** Managed clusters with node pools, through the real @alicloud/cs20151215 SDK and the emulator. */
const POOL: NodePoolInput = {
  name: 'default',
  instanceTypes: ['ecs.g7.large'],
  desiredSize: 3,
  systemDiskCategory: 'cloud_essd',
  systemDiskSize: 120,
  vswitchIds: ['vsw-emuhz01a'],
};

describe('ACK node pools against the ACK emulator', () => {
  it('creates a managed cluster whose pools have their nodes once the create task succeeds', async () => {
    const { api, clock, emulator } = await startHarness({ createSeconds: 10 });
    const created = await api.createCluster(clusterInput({ nodePools: [POOL] }));
    const cluster = await api.describeCluster({ clusterId: created.clusterId, regionId: REGION });
    expect(cluster).toMatchObject({ clusterType: 'ManagedKubernetes', profile: 'Default' });

    const creating = await api.listNodePools({ clusterId: created.clusterId, regionId: REGION });
    expect(creating).toMatchObject([{ name: 'default', state: 'scaling', totalNodes: 0 }]);

    clock.advanceSeconds(10);
    const [pool] = await api.listNodePools({ clusterId: created.clusterId, regionId: REGION });
    expect(pool).toMatchObject({
      name: 'default',
      instanceTypes: ['ecs.g7.large'],
      desiredSize: 3,
      systemDiskCategory: 'cloud_essd',
      systemDiskSize: 120,
      vswitchIds: ['vsw-emuhz01a'],
      state: 'active',
      totalNodes: 3,
      healthyNodes: 3,
    });
    expect(pool?.nodePoolId).toMatch(/^np-/);
    expect(emulator.listAllClusters()).toHaveLength(1);
  });

  it('takes the pools and their nodes with the cluster when it is deleted', async () => {
    const { api, clock } = await startHarness({ createSeconds: 10, deleteSeconds: 5 });
    const created = await api.createCluster(clusterInput({ nodePools: [POOL] }));
    clock.advanceSeconds(10);
    await api.deleteCluster({ clusterId: created.clusterId, regionId: REGION });
    const deleting = await api.listNodePools({ clusterId: created.clusterId, regionId: REGION });
    expect(deleting).toMatchObject([{ state: 'deleting', totalNodes: 0 }]);
    clock.advanceSeconds(5);
    const error = await caught(
      api.listNodePools({ clusterId: created.clusterId, regionId: REGION }),
    );
    expect(error.code).toBe('ACK_NOT_FOUND');
  });

  it('answers no pools for an ACK Serverless cluster', async () => {
    const { api } = await startHarness();
    const created = await api.createCluster(clusterInput());
    expect(await api.listNodePools({ clusterId: created.clusterId, regionId: REGION })).toEqual([]);
  });

  it.each([
    ['an unknown instance type', { instanceTypes: ['ecs.x99.huge'] }, 'ecs.x99.huge'],
    ['eleven instance types', { instanceTypes: Array(11).fill('ecs.g7.large') }, 'instance_types'],
    ['a vSwitch that is not the cluster’s', { vswitchIds: ['vsw-emubj01a'] }, 'vsw-emubj01a'],
    ['a 39 GiB system disk', { systemDiskSize: 39 }, 'system_disk_size'],
    ['a 501 GiB system disk', { systemDiskSize: 501 }, 'system_disk_size'],
    ['an undocumented disk category', { systemDiskCategory: 'cloud' }, 'system_disk_category'],
    ['101 nodes', { desiredSize: 101 }, 'desired_size'],
  ])('refuses a pool with %s (InvalidParameter, nothing created)', async (_case, change, field) => {
    const { api, emulator } = await startHarness();
    const error = await caught(
      api.createCluster(clusterInput({ nodePools: [{ ...POOL, ...change }] })),
    );
    expect(error).toMatchObject({ code: 'ACK_INVALID_REQUEST', retryable: false });
    expect(error.message).toContain(field);
    expect(emulator.listAllClusters()).toHaveLength(0);
  });

  it('refuses two pools with one name and a managed cluster on a VPC ACK would create', async () => {
    const { api } = await startHarness();
    const twice = await caught(api.createCluster(clusterInput({ nodePools: [POOL, POOL] })));
    expect(twice.code).toBe('ACK_INVALID_REQUEST');
    const automatic = await caught(
      api.createCluster(
        clusterInput({
          nodePools: [POOL],
          vpcId: undefined,
          vswitchIds: undefined,
          zoneId: 'cn-hangzhou-i',
        }),
      ),
    );
    expect(automatic.code).toBe('ACK_INVALID_REQUEST');
  });
});

describe('node pool changes through the real SDK (CreateClusterNodePool, ModifyClusterNodePool, DeleteClusterNodepool)', () => {
  /** A running managed cluster with one pool of 3 nodes; change tasks take 4 s. */
  const runningManaged = async () => {
    const harness = await startHarness({ createSeconds: 10, changeSeconds: 4 });
    const { clusterId } = await harness.api.createCluster(clusterInput({ nodePools: [POOL] }));
    harness.clock.advanceSeconds(10);
    const [pool] = await harness.api.listNodePools({ clusterId, regionId: REGION });
    return { ...harness, clusterId, nodePoolId: pool?.nodePoolId ?? '' };
  };

  it('adds a pool in a staged task: listed without nodes while it runs, with its nodes once it succeeded', async () => {
    const { api, clock, clusterId } = await runningManaged();
    const created = await api.createNodePool({
      clusterId,
      regionId: REGION,
      pool: { ...POOL, name: 'batch', desiredSize: 2, instanceTypes: ['ecs.c7.xlarge'] },
    });
    expect(created.nodePoolId).toMatch(/^np-/);
    expect(created.taskId).toMatch(/^T-/);
    const during = await api.listNodePools({ clusterId, regionId: REGION });
    expect(during.map((pool) => [pool.name, pool.state, pool.totalNodes])).toEqual([
      ['default', 'active', 3],
      ['batch', 'scaling', 0],
    ]);
    clock.advanceSeconds(4);
    const task = await api.describeTask({ taskId: created.taskId ?? '', regionId: REGION });
    expect(task).toMatchObject({ state: 'success', taskType: 'nodepool_create' });
    expect(task.stages.length).toBeGreaterThan(1);
    const after = await api.listNodePools({ clusterId, regionId: REGION });
    expect(after.map((pool) => [pool.name, pool.state, pool.totalNodes])).toEqual([
      ['default', 'active', 3],
      ['batch', 'active', 2],
    ]);
    expect(after[1]?.nodePoolId).toBe(created.nodePoolId);
  });

  it('scales a pool down and changes its instance types: the nodes follow once the task succeeded', async () => {
    const { api, clock, clusterId, nodePoolId } = await runningManaged();
    const { taskId } = await api.modifyNodePool({
      clusterId,
      regionId: REGION,
      nodePoolId,
      desiredSize: 1,
      instanceTypes: ['ecs.g7.xlarge', 'ecs.g7.large'],
    });
    expect(taskId).toMatch(/^T-/);
    const [during] = await api.listNodePools({ clusterId, regionId: REGION });
    expect(during).toMatchObject({ state: 'removing', desiredSize: 3, totalNodes: 3 });
    clock.advanceSeconds(4);
    const [after] = await api.listNodePools({ clusterId, regionId: REGION });
    expect(after).toMatchObject({
      state: 'active',
      desiredSize: 1,
      totalNodes: 1,
      instanceTypes: ['ecs.g7.xlarge', 'ecs.g7.large'],
    });
  });

  it('deletes a pool with its nodes (force): deleting while the task runs, then gone', async () => {
    const { api, clock, clusterId, nodePoolId } = await runningManaged();
    const { taskId } = await api.deleteNodePool({ clusterId, regionId: REGION, nodePoolId });
    expect(taskId).toMatch(/^T-/);
    expect(await api.listNodePools({ clusterId, regionId: REGION })).toMatchObject([
      { nodePoolId, state: 'deleting' },
    ]);
    clock.advanceSeconds(4);
    expect(await api.listNodePools({ clusterId, regionId: REGION })).toEqual([]);
  });

  it('fails a pool task doomed by a fail-task fault mid-way, leaving the pools as they were', async () => {
    const { api, clock, clusterId, emulator } = await runningManaged();
    emulator.injectFault({ kind: 'fail-task', taskType: 'nodepool_create', message: 'no stock' });
    const { taskId } = await api.createNodePool({
      clusterId,
      regionId: REGION,
      pool: { ...POOL, name: 'doomed' },
    });
    clock.advanceSeconds(4);
    const task = await api.describeTask({ taskId: taskId ?? '', regionId: REGION });
    expect(task).toMatchObject({ state: 'fail', error: { code: 'TaskFailed' } });
    expect(task.error?.message).toContain('no stock');
    const pools = await api.listNodePools({ clusterId, regionId: REGION });
    expect(pools.map((pool) => pool.name)).toEqual(['default']);
  });

  it('refuses what ACK would not do: a taken name, a change while another runs, a change that changes nothing, an unknown pool, a serverless cluster', async () => {
    const { api, clusterId, nodePoolId } = await runningManaged();
    const taken = await caught(api.createNodePool({ clusterId, regionId: REGION, pool: POOL }));
    expect(taken).toMatchObject({ code: 'ACK_INVALID_REQUEST', retryable: false });
    const nothing = await caught(
      api.modifyNodePool({ clusterId, regionId: REGION, nodePoolId, desiredSize: 3 }),
    );
    expect(nothing.code).toBe('ACK_INVALID_REQUEST');
    const unknown = await caught(
      api.deleteNodePool({ clusterId, regionId: REGION, nodePoolId: 'np-missing' }),
    );
    expect(unknown).toMatchObject({ retryable: false });
    expect(unknown.message).toContain('ErrorNodePoolNotFound');

    await api.modifyNodePool({ clusterId, regionId: REGION, nodePoolId, desiredSize: 4 });
    const busy = await caught(api.deleteNodePool({ clusterId, regionId: REGION, nodePoolId }));
    expect(busy.code).toBe('ACK_CONFLICT');

    const serverless = await api.createCluster(clusterInput({ name: 'ask-0002' }));
    const none = await caught(
      api.createNodePool({ clusterId: serverless.clusterId, regionId: REGION, pool: POOL }),
    );
    expect(none.code).toBe('ACK_INVALID_REQUEST');
  });

  it('refuses DeleteClusterNodepool without force for a pool that has nodes, as the SDK documents (raw SDK)', async () => {
    const { clusterId, emulator, nodePoolId } = await runningManaged();
    const Client = resolveClientClass();
    const client = new Client(
      new $OpenApiUtil.Config({
        accessKeyId: ACCESS_KEY_ID,
        accessKeySecret: ACCESS_KEY_SECRET,
        endpoint: emulator.endpoint,
        protocol: 'http',
      }),
    );
    await expect(
      client.deleteClusterNodepool(
        clusterId,
        nodePoolId,
        new cs.DeleteClusterNodepoolRequest({ force: false }),
      ),
    ).rejects.toMatchObject({ code: 'ErrorNodePoolNotEmpty', statusCode: 400 });
    const pools = emulator.listAllClusters()[0]?.nodePools ?? [];
    expect(pools.map((pool) => pool.nodepoolId)).toEqual([nodePoolId]);
  });
});
