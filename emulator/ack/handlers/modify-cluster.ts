import { runningChangeTask, startChangeTask } from '../change-tasks.js';
import { ackErrors } from '../errors.js';
import { newTaskId } from '../ids.js';
import { clusterStateAt } from '../lifecycle.js';
import type { StoredChange, StoredCluster } from '../types.js';
import { isRecord, optionalString, validateClusterName } from '../validators.js';
import type { AckHandler } from './handler.js';

/**
 * ModifyCluster `PUT /api/v2/clusters/{ClusterId}`. The emulator applies `cluster_name` and
 * `deletion_protection` at once, and `api_server_eip` (attach or detach the EIP of the API
 * server's public endpoint, ModifyClusterRequest `apiServerEip`) in a staged `cluster_modify`
 * task: the public endpoint shows in `master_url` once the task succeeded (change-tasks.ts). A
 * running cluster only, one change task at a time; `api_server_eip_id` must be a string and is
 * otherwise ignored (we model no EIP instances). Asking for the EIP state the cluster already has
 * is a metadata-only change (UNVERIFIED: what ACK does then is not documented). Every other field
 * ModifyCluster takes (maintenance window, RRSA, …) is accepted and ignored.
 *
 * - Answers `{cluster_id, request_id, task_id}` with a `cluster_modify` task that is done at once
 *   (the change is metadata only), and records a `cluster_modify` event.
 * - A deleted or unknown cluster is ErrorClusterNotFound; a cluster being deleted is refused with
 *   ErrorClusterState (UNVERIFIED code). Failed clusters can be modified: that is how deletion
 *   protection is switched off before deleting one.
 * - Whether ACK refuses a name another cluster of the region already has is UNVERIFIED
 *   (ErrorClusterNameAlreadyExist appears in Terraform's edge-cluster path); like CreateCluster,
 *   the emulator allows it.
 */

const describeChanges = (cluster: StoredCluster, next: StoredCluster): string[] => {
  const changes: string[] = [];
  if (next.name !== cluster.name) changes.push(`cluster_name: ${cluster.name} -> ${next.name}`);
  if (next.deletionProtection !== cluster.deletionProtection) {
    changes.push(
      `deletion_protection: ${cluster.deletionProtection} -> ${next.deletionProtection}`,
    );
  }
  return changes;
};

const modifyCluster: AckHandler = (request, context) => {
  const clusterId = request.params.ClusterId ?? '';
  const cluster = context.store.getCluster(clusterId);
  const now = context.now();
  const state = cluster === undefined ? 'deleted' : clusterStateAt(cluster, now);
  if (cluster === undefined || state === 'deleted') throw ackErrors.clusterNotFound(clusterId);
  const body = request.body ?? {};
  if (!isRecord(body)) throw ackErrors.invalidParameter('The request body must be a JSON object.');
  const name = optionalString(body, 'cluster_name');
  const protection = body.deletion_protection;
  if (protection !== undefined && protection !== null && typeof protection !== 'boolean') {
    throw ackErrors.invalidParameter('deletion_protection must be a boolean.');
  }
  if (state === 'deleting') {
    throw ackErrors.clusterBeingDeleted(clusterId);
  }
  const eip = body.api_server_eip;
  if (eip !== undefined && eip !== null && typeof eip !== 'boolean') {
    throw ackErrors.invalidParameter('api_server_eip must be a boolean.');
  }
  optionalString(body, 'api_server_eip_id');
  // Everything is validated before a task starts: a refused request leaves nothing behind.
  const next: StoredCluster = {
    ...cluster,
    name: name === undefined ? cluster.name : validateClusterName(name, 'cluster_name'),
    deletionProtection: typeof protection === 'boolean' ? protection : cluster.deletionProtection,
  };
  const eipTask =
    // While another change task runs, any EIP request is refused (startChangeTask says why).
    typeof eip === 'boolean' &&
    (eip !== cluster.endpointPublicAccess ||
      runningChangeTask(context.store, clusterId, now) !== undefined)
      ? startChangeTask(context, cluster, {
          taskType: 'cluster_modify',
          stages: eip
            ? ['AttachApiServerEip', 'UpdateApiServerCertificate']
            : ['DetachApiServerEip', 'UpdateApiServerCertificate'],
          effect: { endpointPublicAccess: eip },
        })
      : undefined;
  const taskId = eipTask?.taskId ?? newTaskId();
  const described = describeChanges(cluster, next);
  if (eipTask !== undefined) described.push(`api_server_eip: ${String(eip)} (task ${taskId})`);
  const change: StoredChange = {
    at: now,
    taskId,
    message: described.length === 0 ? 'no change' : described.join(', '),
  };
  context.store.save({
    clusters: [{ ...next, changes: [...(cluster.changes ?? []), change] }],
    ...(eipTask === undefined
      ? { tasks: [{ taskId, clusterId, taskType: 'cluster_modify', createdAt: now }] }
      : {}),
  });
  return {
    status: 202,
    body: { cluster_id: clusterId, request_id: request.requestId, task_id: taskId },
  };
};

export { modifyCluster };
