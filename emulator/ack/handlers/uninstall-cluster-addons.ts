import { startChangeTask } from '../change-tasks.js';
import { entriesOf, existingCluster, installedAddon, isRequiredAddon } from '../cluster-addons.js';
import { ackErrors } from '../errors.js';
import { optionalBoolean, requiredString } from '../validators.js';
import type { AckHandler } from './handler.js';

/**
 * UnInstallClusterAddons `POST /clusters/{ClusterId}/components/uninstall`: a JSON array of
 * `{name, cleanup_cloud_resources?}` (UnInstallClusterAddonsRequestAddons). Starts a staged
 * `addon_uninstall` task; the addons leave ListClusterAddonInstances once it succeeded, a
 * `fail-task` fault keeps them. Answers `{cluster_id, request_id, task_id}`.
 *
 * Refused (InvalidParameter, UNVERIFIED code): an addon not installed, and one the cluster must
 * keep (cluster-addons.ts `isRequiredAddon`, UNVERIFIED).
 */
const uninstallClusterAddons: AckHandler = (request, context) => {
  const cluster = existingCluster(context, request.params.ClusterId ?? '');
  const names = entriesOf(request.body).map((entry) => {
    const name = requiredString(entry, 'name');
    optionalBoolean(entry, 'cleanup_cloud_resources');
    installedAddon(cluster, name);
    if (isRequiredAddon(cluster, name)) {
      throw ackErrors.invalidParameter(
        `Addon ${name} is required by the cluster and cannot be uninstalled.`,
      );
    }
    return name;
  });
  const task = startChangeTask(context, cluster, {
    taskType: 'addon_uninstall',
    stages: ['PreCheck', 'UninstallAddons'],
    effect: { addons: cluster.addons.filter((addon) => !names.includes(addon.name)) },
    addonNames: names,
  });
  return {
    status: 200,
    body: { cluster_id: cluster.clusterId, request_id: request.requestId, task_id: task.taskId },
  };
};

export { uninstallClusterAddons };
