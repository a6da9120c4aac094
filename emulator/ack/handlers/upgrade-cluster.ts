import { upgradableVersionsOf } from '../catalog.js';
import { startChangeTask } from '../change-tasks.js';
import { ackErrors } from '../errors.js';
import { clusterStateAt } from '../lifecycle.js';
import { isRecord, requiredString } from '../validators.js';
import type { AckHandler } from './handler.js';

/**
 * UpgradeCluster `POST /api/v2/clusters/{ClusterId}/upgrade` (@alicloud/cs20151215
 * UpgradeClusterRequest: `next_version`, the target version; `version` deprecated in favour of
 * it). Starts a staged `cluster_upgrade` task (change-tasks.ts); the cluster reports the new
 * `current_version` only once the task succeeded, and a `fail-task` fault fails it with the
 * version unchanged. Answers `{cluster_id, request_id, task_id}` (UpgradeClusterResponseBody).
 *
 * Stricter than ACK where ACK is not documented: `next_version` is required (ACK may default to
 * the next minor, UNVERIFIED), and it must be one of the `upgradable_versions`
 * DescribeKubernetesVersionMetadata lists for the cluster's current version, else InvalidParameter
 * (UNVERIFIED code: ACK documents that only the versions it offers can be targeted, not the
 * error). The stage names are the emulator's own (UNVERIFIED).
 */
const upgradeCluster: AckHandler = (request, context) => {
  const clusterId = request.params.ClusterId ?? '';
  const cluster = context.store.getCluster(clusterId);
  const state = cluster === undefined ? 'deleted' : clusterStateAt(cluster, context.now());
  if (cluster === undefined || state === 'deleted') throw ackErrors.clusterNotFound(clusterId);
  const body = request.body ?? {};
  if (!isRecord(body)) throw ackErrors.invalidParameter('The request body must be a JSON object.');
  const next = requiredString(body, 'next_version');
  if (!upgradableVersionsOf(cluster.kubernetesVersion).includes(next)) {
    throw ackErrors.invalidParameter(
      `next_version ${next} is not an upgrade of ${cluster.kubernetesVersion}.`,
    );
  }
  const task = startChangeTask(context, cluster, {
    taskType: 'cluster_upgrade',
    stages: ['PreCheck', 'UpgradeControlPlane', 'UpgradeAddons'],
    effect: { kubernetesVersion: next },
  });
  return {
    status: 202,
    body: { cluster_id: clusterId, request_id: request.requestId, task_id: task.taskId },
  };
};

export { upgradeCluster };
