import { startChangeTask } from '../change-tasks.js';
import {
  catalogVersion,
  checkConfig,
  entriesOf,
  existingCluster,
  installedAddons,
} from '../cluster-addons.js';
import { ackErrors } from '../errors.js';
import type { StoredAddon } from '../types.js';
import { optionalString, requiredString } from '../validators.js';
import type { AckHandler } from './handler.js';

/**
 * InstallClusterAddons `POST /clusters/{ClusterId}/components/install`: a JSON array of
 * `{name, version, config?}` (InstallClusterAddonsRequestBody: name and version "required").
 * Starts a staged `addon_install` task (change-tasks.ts); ListClusterAddonInstances shows the
 * addons once it succeeded, and a `fail-task` fault fails it with nothing installed. Answers
 * `{cluster_id, request_id, task_id}` (InstallClusterAddonsResponseBody).
 *
 * Refused (InvalidParameter, UNVERIFIED code): an addon outside the catalog for the cluster's
 * version, a version other than the catalog's, an addon already installed (ACK's answer to that is
 * not documented; refusing is the strict choice), a config that is not a JSON object.
 */
const installClusterAddons: AckHandler = (request, context) => {
  const cluster = existingCluster(context, request.params.ClusterId ?? '');
  const installed = installedAddons(cluster);
  const added: StoredAddon[] = entriesOf(request.body).map((entry) => {
    const name = requiredString(entry, 'name');
    const version = requiredString(entry, 'version');
    const config = optionalString(entry, 'config');
    const offered = catalogVersion(cluster, name);
    if (version !== offered) {
      throw ackErrors.invalidParameter(
        `Addon ${name} ${version} is not offered for ${cluster.kubernetesVersion}; it offers ${offered}.`,
      );
    }
    if (installed.some((addon) => addon.name === name)) {
      throw ackErrors.invalidParameter(`Addon ${name} is already installed.`);
    }
    checkConfig(name, config);
    return { name, version, ...(config === undefined ? {} : { config }) };
  });
  const names = added.map((addon) => addon.name);
  const task = startChangeTask(context, cluster, {
    taskType: 'addon_install',
    stages: ['PreCheck', 'InstallAddons'],
    effect: {
      addons: [...cluster.addons.filter((addon) => !names.includes(addon.name)), ...added],
    },
  });
  return {
    status: 200,
    body: { cluster_id: cluster.clusterId, request_id: request.requestId, task_id: task.taskId },
  };
};

export { installClusterAddons };
