import { AckEmulatorError, clusterNotFound, invalidParameter } from '../errors.js';
import { newTaskId } from '../ids.js';
import { clusterStateAt } from '../lifecycle.js';
import type { AckHandler } from './handler.js';

/**
 * DeleteCluster `DELETE /clusters/{ClusterId}` (query: retain_all_resources, keep_slb, and
 * retain_resources / delete_options as JSON strings, the SDK's "json" array style).
 *
 * - A cluster with deletion_protection is refused with 400. The code is UNVERIFIED (no public
 *   source names it); ACK_CONFLICT is what our adapter maps it to either way.
 * - Deleting a cluster that is already deleting answers its existing delete task (UNVERIFIED:
 *   real ACK may answer ErrorClusterState instead); a deleted cluster is ErrorClusterNotFound.
 * - The emulator accepts the retain/delete options and checks their syntax; it has no resources
 *   to keep, so they change nothing else.
 */

const parseJsonArray = (query: Record<string, string>, field: string): unknown[] => {
  const raw = query[field];
  if (raw === undefined || raw === '') return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // fall through to the error below
  }
  throw invalidParameter(`${field} must be a JSON array.`);
};

const RESOURCE_TYPES = ['SLB', 'ALB', 'SLS_Data', 'SLS_ControlPlane', 'PrivateZone'];

const validateDeleteOptions = (query: Record<string, string>): void => {
  for (const option of parseJsonArray(query, 'delete_options')) {
    const record = (typeof option === 'object' && option !== null ? option : {}) as Record<
      string,
      unknown
    >;
    if (
      typeof record.resource_type !== 'string' ||
      !RESOURCE_TYPES.includes(record.resource_type) ||
      (record.delete_mode !== 'delete' && record.delete_mode !== 'retain')
    ) {
      throw invalidParameter(
        'delete_options entries need resource_type (SLB, ALB, SLS_Data, SLS_ControlPlane, PrivateZone) and delete_mode (delete or retain).',
      );
    }
  }
  if (parseJsonArray(query, 'retain_resources').some((id) => typeof id !== 'string')) {
    throw invalidParameter('retain_resources must be a JSON array of resource ids.');
  }
};

const deleteCluster: AckHandler = (request, context) => {
  const clusterId = request.params.ClusterId ?? '';
  const cluster = context.store.getCluster(clusterId);
  const now = context.now();
  const state = cluster === undefined ? 'deleted' : clusterStateAt(cluster, now);
  if (cluster === undefined || state === 'deleted') throw clusterNotFound(clusterId);
  validateDeleteOptions(request.query);
  const reply = (taskId: string) => ({
    status: 202,
    body: { cluster_id: clusterId, request_id: request.requestId, task_id: taskId },
  });
  if (state === 'deleting' && cluster.deleteTaskId !== null) return reply(cluster.deleteTaskId);
  if (cluster.deletionProtection) {
    throw new AckEmulatorError(
      400,
      'ErrorClusterDeletionProtection',
      `Cluster ${clusterId} has deletion protection enabled; disable it before deleting.`,
    );
  }
  const taskId = newTaskId();
  context.store.save({
    clusters: [
      {
        ...cluster,
        deleteTaskId: taskId,
        deleteRequestedAt: now,
        deletedAt: now + context.timing.deleteMs,
      },
    ],
    tasks: [{ taskId, clusterId, taskType: 'cluster_delete', createdAt: now }],
  });
  return reply(taskId);
};

export { deleteCluster };
