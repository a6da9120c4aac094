import type { AckCaller } from './ack-caller.js';
import type { AckNodePool, ClusterApi } from './cluster-api.port.js';
import { cs } from './cs-sdk.js';

/**
 * A managed cluster's node pools (DescribeClusterNodePools, `GET /clusters/{id}/nodepools`):
 * the pool's name and id (nodepool_info), what it asks for (scaling_group) and what it has
 * (status). A read, so safe to retry.
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

const createNodePoolOperations = ({ call }: AckCaller): Pick<ClusterApi, 'listNodePools'> => ({
  listNodePools: async ({ clusterId, regionId }) => {
    const response = await call('DescribeClusterNodePools', regionId, true, (client) =>
      client.describeClusterNodePools(clusterId, new cs.DescribeClusterNodePoolsRequest({})),
    );
    return (response.body?.nodepools ?? []).map(toAckNodePool);
  },
});

export { createNodePoolOperations, toAckNodePool };
