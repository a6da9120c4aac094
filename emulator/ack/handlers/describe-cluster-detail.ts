import { ackErrors } from '../errors.js';
import { clusterStateAt } from '../lifecycle.js';
import { renderCluster } from '../render.js';
import type { AckHandler } from './handler.js';

/**
 * DescribeClusterDetail `GET /clusters/{ClusterId}`. A cluster whose deletion finished is gone:
 * ACK answers 404 ErrorClusterNotFound for it, exactly as for an id that never existed.
 */
const describeClusterDetail: AckHandler = (request, context) => {
  const clusterId = request.params.ClusterId ?? '';
  const cluster = context.store.getCluster(clusterId);
  const now = context.now();
  if (cluster === undefined || clusterStateAt(cluster, now) === 'deleted') {
    throw ackErrors.clusterNotFound(clusterId);
  }
  return { status: 200, body: renderCluster(cluster, now, context.endpointsFor) };
};

export { describeClusterDetail };
