import { startChangeTask } from '../change-tasks.js';
import {
  catalogVersion,
  checkConfig,
  entriesOf,
  existingCluster,
  installedAddon,
} from '../cluster-addons.js';
import { ackErrors } from '../errors.js';
import type { StoredAddon } from '../types.js';
import { optionalString, requiredString } from '../validators.js';
import type { AckHandler } from './handler.js';

const POLICIES = ['overwrite', 'canary'];

/**
 * UpgradeClusterAddons `POST /clusters/{ClusterId}/components/upgrade`: a JSON array of
 * `{component_name, next_version, version?, config?, policy?}` (UpgradeClusterAddonsRequestBody:
 * component_name and next_version "required"; `version` the current one; policy `overwrite` or
 * `canary`). Starts a staged `addon_upgrade` task; the new version (and config) show once it
 * succeeded, a `fail-task` fault leaves both. Answers `{cluster_id, request_id, task_id}`.
 *
 * Refused (InvalidParameter, UNVERIFIED code): an addon not installed, a `next_version` other than
 * the one the catalog offers for the cluster's version or equal to the installed one (no
 * upgrade), a `version` that is not the installed one, an unknown policy, a bad config.
 */
const upgradeClusterAddons: AckHandler = (request, context) => {
  const cluster = existingCluster(context, request.params.ClusterId ?? '');
  const upgraded: StoredAddon[] = entriesOf(request.body).map((entry) => {
    const name = requiredString(entry, 'component_name');
    const next = requiredString(entry, 'next_version');
    const current = optionalString(entry, 'version');
    const config = optionalString(entry, 'config');
    const policy = optionalString(entry, 'policy');
    const addon = installedAddon(cluster, name);
    if (current !== undefined && current !== addon.version) {
      throw ackErrors.invalidParameter(`Addon ${name} runs ${addon.version}, not ${current}.`);
    }
    const offered = catalogVersion(cluster, name);
    if (next !== offered || next === addon.version) {
      throw ackErrors.invalidParameter(
        `next_version ${next} is not an upgrade of ${name} ${addon.version ?? ''} (offered: ${offered}).`,
      );
    }
    if (policy !== undefined && !POLICIES.includes(policy)) {
      throw ackErrors.invalidParameter(`policy ${policy} is not one of ${POLICIES.join(', ')}.`);
    }
    checkConfig(name, config);
    return { ...addon, version: next, ...(config === undefined ? {} : { config }) };
  });
  const names = upgraded.map((addon) => addon.name);
  const task = startChangeTask(context, cluster, {
    taskType: 'addon_upgrade',
    stages: ['PreCheck', 'UpgradeAddons'],
    effect: {
      addons: [...cluster.addons.filter((addon) => !names.includes(addon.name)), ...upgraded],
    },
    addonNames: names,
  });
  return {
    status: 200,
    body: { cluster_id: cluster.clusterId, request_id: request.requestId, task_id: task.taskId },
  };
};

export { upgradeClusterAddons };
