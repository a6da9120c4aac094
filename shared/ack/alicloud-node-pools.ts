import type { AckCaller } from './ack-caller.js';
import type { AckNodePool, ClusterApi, NodePoolInput } from './cluster-api.port.js';
import { cs } from './cs-sdk.js';

/**
 * A managed cluster's node pools (DescribeClusterNodePools, `GET /clusters/{id}/nodepools`):
 * the pool's name and id (nodepool_info), what it asks for (scaling_group) and what it has
 * (status). A read, so safe to retry. The changes (CreateClusterNodePool, ModifyClusterNodePool,
 * DeleteClusterNodepool) each answer a task and are not retried here: a second call while the
 * first one's task runs is refused (one change task at a time), and a second create would make a
 * second pool, so a lost answer is left to the change job's redelivery.
 */

type SdkNodePool = InstanceType<typeof cs.DescribeClusterNodePoolsResponseBodyNodepools>;

const toAckNodePool = (pool: SdkNodePool): AckNodePool => ({
  nodePoolId: pool.nodepoolInfo?.nodepoolId ?? '',
  name: pool.nodepoolInfo?.name ?? '',
  instanceTypes: pool.scalingGroup?.instanceTypes ?? [],
  desiredSize: pool.scalingGroup?.desiredSize ?? null,
  systemDiskCategory: pool.scalingGroup?.systemDiskCategory ?? null,
  systemDiskSize: pool.scalingGroup?.systemDiskSize ?? null,
  vswitchIds: pool.scalingGroup?.vswitchIds ?? [],
  state: pool.status?.state ?? '',
  totalNodes: pool.status?.totalNodes ?? 0,
  healthyNodes: pool.status?.healthyNodes ?? 0,
  servingNodes: pool.status?.servingNodes ?? 0,
});

const toCreateNodePoolRequest = (pool: NodePoolInput) =>
  new cs.CreateClusterNodePoolRequest({
    nodepoolInfo: new cs.CreateClusterNodePoolRequestNodepoolInfo({ name: pool.name }),
    scalingGroup: new cs.CreateClusterNodePoolRequestScalingGroup({
      instanceTypes: pool.instanceTypes,
      desiredSize: pool.desiredSize,
      systemDiskCategory: pool.systemDiskCategory,
      systemDiskSize: pool.systemDiskSize,
      vswitchIds: pool.vswitchIds,
    }),
  });

const toModifyNodePoolRequest = (change: { desiredSize?: number; instanceTypes?: string[] }) =>
  new cs.ModifyClusterNodePoolRequest({
    scalingGroup: new cs.ModifyClusterNodePoolRequestScalingGroup({
      ...(change.desiredSize === undefined ? {} : { desiredSize: change.desiredSize }),
      ...(change.instanceTypes === undefined ? {} : { instanceTypes: change.instanceTypes }),
    }),
  });

type NodePoolOperations = Pick<
  ClusterApi,
  'listNodePools' | 'createNodePool' | 'modifyNodePool' | 'deleteNodePool'
>;

const createNodePoolOperations = ({ call }: AckCaller): NodePoolOperations => ({
  listNodePools: async ({ clusterId, regionId }) => {
    const response = await call('DescribeClusterNodePools', regionId, true, (client) =>
      client.describeClusterNodePools(clusterId, new cs.DescribeClusterNodePoolsRequest({})),
    );
    return (response.body?.nodepools ?? []).map(toAckNodePool);
  },

  createNodePool: async ({ clusterId, regionId, pool }) => {
    const response = await call('CreateClusterNodePool', regionId, false, (client) =>
      client.createClusterNodePool(clusterId, toCreateNodePoolRequest(pool)),
    );
    return {
      nodePoolId: response.body?.nodepoolId || null,
      taskId: response.body?.taskId || null,
    };
  },

  modifyNodePool: async ({ clusterId, regionId, nodePoolId, ...change }) => {
    const response = await call('ModifyClusterNodePool', regionId, false, (client) =>
      client.modifyClusterNodePool(clusterId, nodePoolId, toModifyNodePoolRequest(change)),
    );
    return { taskId: response.body?.taskId || null };
  },

  // force: the pool's nodes go with it (without it ACK refuses a pool that still has nodes).
  deleteNodePool: async ({ clusterId, regionId, nodePoolId }) => {
    const response = await call('DeleteClusterNodepool', regionId, false, (client) =>
      client.deleteClusterNodepool(
        clusterId,
        nodePoolId,
        new cs.DeleteClusterNodepoolRequest({ force: true }),
      ),
    );
    return { taskId: response.body?.taskId || null };
  },
});

export { createNodePoolOperations, toAckNodePool };
