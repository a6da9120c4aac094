import { changeEndsAt, isChangeTask } from '../change-tasks.js';
import { existingCluster, installedAddons } from '../cluster-addons.js';
import type { StoredTask } from '../types.js';
import type { AckHandler } from './handler.js';

/** What an addon is doing while a task of this type works on it (the SDK's documented states). */
const BUSY_STATES: Partial<Record<StoredTask['taskType'], string>> = {
  addon_upgrade: 'upgrading',
  addon_uninstall: 'deleting',
};

/**
 * ListClusterAddonInstances `GET /clusters/{cluster_id}/addon_instances`: the addons installed in
 * the cluster, `{addons: [{name, version, state}]}` (ListClusterAddonInstancesResponseBody; state
 * `active`, `updating`, `upgrading` or `deleting`). An addon being installed is listed only once
 * its task succeeded (UNVERIFIED: the SDK names no installing state).
 */
const listClusterAddonInstances: AckHandler = (request, context) => {
  const cluster = existingCluster(context, request.params.ClusterId ?? '');
  const now = context.now();
  const busy = new Map<string, string>();
  for (const task of context.store.tasksOf(cluster.clusterId)) {
    const state = BUSY_STATES[task.taskType];
    if (!isChangeTask(task) || state === undefined || now >= changeEndsAt(task)) continue;
    for (const name of task.addonNames ?? []) busy.set(name, state);
  }
  return {
    status: 200,
    body: {
      addons: installedAddons(cluster).map((addon) => ({
        name: addon.name,
        version: addon.version ?? '',
        state: busy.get(addon.name) ?? 'active',
      })),
    },
  };
};

export { listClusterAddonInstances };
