import { ackErrors } from '../errors.js';
import { clusterStateAt } from '../lifecycle.js';
import { formatAckTime } from '../render.js';
import { taskOutcome } from '../task-progress.js';
import { intQuery } from '../validators.js';
import type { AckHandler } from './handler.js';

/**
 * DescribeClusterTasks `GET /clusters/{cluster_id}/tasks?page_size&page_number`: the cluster's
 * tasks as @alicloud/cs20151215's DescribeClusterTasksResponseBody types them — `tasks[]` of
 * `{task_id, task_type, state, created, updated, error?{code, message}}` and
 * `page_info{page_number, page_size, total_count}`. States are DescribeTaskInfo's
 * (running | fail | success). Oldest first, page_size 1–100 default 10 (UNVERIFIED: ACK documents
 * neither the order nor the default). A deleted or unknown cluster is ErrorClusterNotFound, like
 * every per-cluster call.
 */
const describeClusterTasks: AckHandler = (request, context) => {
  const clusterId = request.params.ClusterId ?? '';
  const cluster = context.store.getCluster(clusterId);
  const now = context.now();
  if (cluster === undefined || clusterStateAt(cluster, now) === 'deleted') {
    throw ackErrors.clusterNotFound(clusterId);
  }
  const pageNumber = intQuery(request.query, 'page_number', {
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    fallback: 1,
  });
  const pageSize = intQuery(request.query, 'page_size', { min: 1, max: 100, fallback: 10 });
  const tasks = context.store.tasksOf(clusterId);
  return {
    status: 200,
    body: {
      tasks: tasks.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((task) => {
        const outcome = taskOutcome(task, cluster, now);
        return {
          task_id: task.taskId,
          task_type: task.taskType,
          state: outcome.state,
          created: formatAckTime(task.createdAt),
          updated: formatAckTime(outcome.endedAt ?? task.createdAt),
          ...(outcome.error === null ? {} : { error: outcome.error }),
        };
      }),
      page_info: { page_number: pageNumber, page_size: pageSize, total_count: tasks.length },
    },
  };
};

export { describeClusterTasks };
