import type { AckCluster, ClusterApi } from '../ack/cluster-api.port.js';
import type { Logger } from '../logger.js';

/**
 * The creation task of a cluster found by name and tag (its CreateCluster answer was lost), from
 * DescribeClusterTasks: with it, a failed adopted cluster reports ACK's own reason and stages
 * rather than a generic one. Best effort: without it the adoption still stands (null).
 */
const findCreateTaskId = async (
  api: ClusterApi,
  cluster: AckCluster,
  logger: Logger,
): Promise<string | null> => {
  try {
    const tasks = await api.listClusterTasks({
      clusterId: cluster.clusterId,
      regionId: cluster.regionId,
    });
    // The oldest creation task is the cluster's own (a cluster is created once); sorted here, as
    // ACK does not document the list's order.
    const at = (created: string | null): number => {
      const ms = created === null ? Number.NaN : Date.parse(created);
      return Number.isFinite(ms) ? ms : Number.MAX_SAFE_INTEGER;
    };
    const creates = tasks
      .filter((task) => task.taskType === 'cluster_create')
      .sort((a, b) => at(a.created) - at(b.created));
    return creates[0]?.taskId ?? null;
  } catch (error) {
    logger.warn('could not read the creation task of an adopted cluster', {
      clusterId: cluster.clusterId,
      error,
    });
    return null;
  }
};

export { findCreateTaskId };
