import { ackErrors } from '../errors.js';
import { clusterStateAt } from '../lifecycle.js';
import { poolsAt } from '../node-pool-changes.js';
import { renderNodePool } from '../node-pools.js';
import type { AckHandler } from './handler.js';

/**
 * DescribeClusterNodePools `GET /clusters/{ClusterId}/nodepools` (@alicloud/cs20151215):
 * `{nodepools: [{nodepool_info, scaling_group, status}]}`. A deleted cluster is ErrorClusterNotFound,
 * its pools and nodes gone with it; an ACK Serverless cluster has none (an empty list:
 * UNVERIFIED whether ACK answers so or refuses). A pool a running pool task creates, changes or
 * deletes shows what is under way (node-pool-changes.ts).
 */
const describeClusterNodePools: AckHandler = (request, context) => {
  const clusterId = request.params.ClusterId ?? '';
  const cluster = context.store.getCluster(clusterId);
  const now = context.now();
  const state = cluster === undefined ? 'deleted' : clusterStateAt(cluster, now);
  if (cluster === undefined || state === 'deleted') throw ackErrors.clusterNotFound(clusterId);
  return {
    status: 200,
    body: {
      nodepools: poolsAt(context.store, cluster, now).map(({ pool, change }) =>
        renderNodePool(cluster, pool, state, change),
      ),
      request_id: request.requestId,
    },
  };
};

export { describeClusterNodePools };
