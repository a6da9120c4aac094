import { describe, expect, it } from 'vitest';
import type { NodePoolInput } from '../../shared/ack/cluster-api.port.js';
import { caught, clusterInput, REGION, startHarness } from './ack-harness.js';

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
