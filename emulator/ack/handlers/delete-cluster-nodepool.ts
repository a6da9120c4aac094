import { startChangeTask } from '../change-tasks.js';
import { ackErrors } from '../errors.js';
import { managedClusterOf, poolOf } from '../node-pool-changes.js';
import type { AckHandler } from './handler.js';

/**
 * DeleteClusterNodepool `DELETE /clusters/{ClusterId}/nodepools/{NodepoolId}?force=` (@alicloud/
 * cs20151215 DeleteClusterNodepoolRequest `force`: "false: … If the node pool contains existing
 * instances, the node pool cannot be deleted, and an error is returned"; true deletes the nodes
 * too). Answers `{request_id, task_id}` (DeleteClusterNodepoolResponseBody) with a staged
 * `nodepool_delete` task: the pool shows as `deleting` while it runs and is gone, with its nodes,
 * once it succeeded; a `fail-task` fault leaves it. Deleting a cluster's last pool is allowed
 * (UNVERIFIED: ACK documents no such refusal). The refusal's code is UNVERIFIED.
 */
const deleteClusterNodepool: AckHandler = (request, context) => {
  const cluster = managedClusterOf(request, context);
  const pool = poolOf(cluster, request.params.NodepoolId ?? '');
  const force = request.query.force === 'true';
  if (!force && pool.desiredSize > 0)
    throw ackErrors.nodePoolNotEmpty(pool.nodepoolId, pool.desiredSize);
  const task = startChangeTask(context, cluster, {
    taskType: 'nodepool_delete',
    stages: ['DrainNodes', 'ReleaseNodes', 'DeleteScalingGroup'],
    effect: {
      nodePools: (cluster.nodePools ?? []).filter(
        (candidate) => candidate.nodepoolId !== pool.nodepoolId,
      ),
    },
  });
  return { status: 200, body: { request_id: request.requestId, task_id: task.taskId } };
};

export { deleteClusterNodepool };
