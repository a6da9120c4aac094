import { ackErrors } from '../errors.js';
import { newTaskId } from '../ids.js';
import { clusterStateAt } from '../lifecycle.js';
import type { StoredDeleteOption, StoredDeleteRequest } from '../types.js';
import { isRecord } from '../validators.js';
import type { AckHandler } from './handler.js';

/**
 * DeleteCluster `DELETE /clusters/{ClusterId}` (query: retain_all_resources, keep_slb, and
 * retain_resources / delete_options as JSON strings, the SDK's "json" array style).
 *
 * - A cluster with deletion_protection is refused with 400. The code is UNVERIFIED (no public
 *   source names it); ACK_CONFLICT is what our adapter maps it to either way.
 * - Deleting a cluster that is already deleting answers its existing delete task (UNVERIFIED:
 *   real ACK may answer ErrorClusterState instead); a deleted cluster is ErrorClusterNotFound.
 * - A failed cluster can be deleted (ACK does not roll failed creations back).
 * - The retain/delete options are validated and recorded on the cluster (`deleteRequest`, with
 *   the resource types ACK would keep), so tests can assert what was asked; the emulator has no
 *   SLB, SLS project or PrivateZone zone to actually keep.
 */

const RESOURCE_TYPES = ['SLB', 'ALB', 'SLS_Data', 'SLS_ControlPlane', 'PrivateZone'];
/** ACK's defaults when no option names a type: the SLB goes, what ASK created besides stays. */
const RETAINED_BY_DEFAULT = new Set(['ALB', 'SLS_Data', 'SLS_ControlPlane', 'PrivateZone']);

const parseJsonArray = (query: Record<string, string>, field: string): unknown[] => {
  const raw = query[field];
  if (raw === undefined || raw === '') return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // fall through to the error below
  }
  throw ackErrors.invalidParameter(`${field} must be a JSON array.`);
};

const parseBoolean = (query: Record<string, string>, field: string): boolean | null => {
  const raw = query[field];
  if (raw === undefined || raw === '') return null;
  if (raw !== 'true' && raw !== 'false')
    throw ackErrors.invalidParameter(`${field} must be true or false.`);
  return raw === 'true';
};

const parseDeleteOption = (option: unknown): StoredDeleteOption => {
  const resourceType = isRecord(option) ? option.resource_type : undefined;
  const deleteMode = isRecord(option) ? option.delete_mode : undefined;
  if (
    typeof resourceType !== 'string' ||
    !RESOURCE_TYPES.includes(resourceType) ||
    (deleteMode !== 'delete' && deleteMode !== 'retain')
  ) {
    throw ackErrors.invalidParameter(
      'delete_options entries need resource_type (SLB, ALB, SLS_Data, SLS_ControlPlane, PrivateZone) and delete_mode (delete or retain).',
    );
  }
  return { resourceType, deleteMode };
};

const parseDeleteRequest = (query: Record<string, string>): StoredDeleteRequest => {
  const retainAllResources = parseBoolean(query, 'retain_all_resources') ?? false;
  const keepSlb = parseBoolean(query, 'keep_slb');
  const deleteOptions = parseJsonArray(query, 'delete_options').map(parseDeleteOption);
  const retainResources = parseJsonArray(query, 'retain_resources').map((id) => {
    if (typeof id !== 'string' || id === '') {
      throw ackErrors.invalidParameter('retain_resources must be a JSON array of resource ids.');
    }
    return id;
  });
  const modeOf = (type: string): 'delete' | 'retain' => {
    if (retainAllResources) return 'retain';
    const chosen = deleteOptions.findLast((option) => option.resourceType === type)?.deleteMode;
    if (chosen !== undefined) return chosen;
    if (type === 'SLB' && keepSlb === true) return 'retain';
    return RETAINED_BY_DEFAULT.has(type) ? 'retain' : 'delete';
  };
  return {
    retainAllResources,
    retainResources,
    deleteOptions,
    keepSlb,
    retainedResourceTypes: RESOURCE_TYPES.filter((type) => modeOf(type) === 'retain'),
  };
};

const deleteCluster: AckHandler = (request, context) => {
  const clusterId = request.params.ClusterId ?? '';
  const cluster = context.store.getCluster(clusterId);
  const now = context.now();
  const state = cluster === undefined ? 'deleted' : clusterStateAt(cluster, now);
  if (cluster === undefined || state === 'deleted') throw ackErrors.clusterNotFound(clusterId);
  const deleteRequest = parseDeleteRequest(request.query);
  const reply = (taskId: string) => ({
    status: 202,
    body: { cluster_id: clusterId, request_id: request.requestId, task_id: taskId },
  });
  if (state === 'deleting' && cluster.deleteTaskId !== null) return reply(cluster.deleteTaskId);
  if (cluster.deletionProtection) {
    throw ackErrors.deletionProtected(clusterId);
  }
  const taskId = newTaskId();
  context.store.save({
    clusters: [
      {
        ...cluster,
        deleteTaskId: taskId,
        deleteRequestedAt: now,
        deletedAt: now + context.timing.deleteMs,
        deleteRequest,
      },
    ],
    tasks: [{ taskId, clusterId, taskType: 'cluster_delete', createdAt: now }],
  });
  return reply(taskId);
};

export { deleteCluster };
