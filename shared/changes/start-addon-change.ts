import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { ClusterChange } from '../domain/cluster-change.js';

type AddonChange = Extract<
  ClusterChange,
  { kind: 'addon-install' | 'addon-upgrade' | 'addon-config' | 'addon-uninstall' }
>;

/** ACK's `task_type` of each addon task (the emulator's names; UNVERIFIED for ACK). */
const TASK_TYPES = {
  'addon-install': 'addon_install',
  'addon-upgrade': 'addon_upgrade',
  'addon-uninstall': 'addon_uninstall',
} as const;

/** Clocks differ: a task ACK started for this change may look up to this much older than it. */
const CLOCK_SKEW_MS = 60_000;

/**
 * A task of this kind still running for the cluster that started after the change was asked
 * for: the one a first call whose answer was lost started. Adopting it (rather than asking
 * again, which ACK refuses while a task runs) lets the poller follow it to its real end.
 */
const taskAlreadyStarted = async (
  api: ClusterApi,
  target: { clusterId: string; regionId: string },
  change: AddonChange,
  taskType: string,
): Promise<string | null> => {
  const since = change.createdAt.getTime() - CLOCK_SKEW_MS;
  const tasks = await api.listClusterTasks(target);
  const started = tasks.find(
    (task) =>
      task.taskType === taskType &&
      task.state === 'running' &&
      task.created !== null &&
      Date.parse(task.created) >= since,
  );
  return started?.taskId ?? null;
};

/**
 * Asks ACK for an addon change. ACK refuses a second install, upgrade or uninstall of the same
 * addon (it is installed, upgraded or gone by then, or the cluster is busy with the first one's
 * task), so the job first looks at what a lost first call may have done: the installed addons
 * already as asked mean its task has ended (the change is done, nothing to follow: `taskId:
 * null`); a task of the kind running since the change was asked for is the first call's, and is
 * followed. A config change is ModifyClusterAddon, which ACK carries out without a task.
 */
const startAddonChange = async (
  api: ClusterApi,
  target: { clusterId: string; regionId: string },
  change: AddonChange,
): Promise<{ taskId: string | null }> => {
  if (change.kind === 'addon-config') {
    await api.modifyAddonConfig({
      ...target,
      name: change.params.name,
      config: change.params.config,
    });
    return { taskId: null };
  }
  const installed = await api.listInstalledAddons(target);
  const current = installed.find((addon) => addon.name === change.params.name);
  const done =
    change.kind === 'addon-uninstall'
      ? current === undefined
      : current?.version === change.params.version;
  if (done) return { taskId: null };
  const adopted = await taskAlreadyStarted(api, target, change, TASK_TYPES[change.kind]);
  if (adopted !== null) return { taskId: adopted };
  switch (change.kind) {
    case 'addon-install': {
      const { name, version, config } = change.params;
      const result = await api.installAddons({
        ...target,
        addons: [{ name, version, ...(config === undefined ? {} : { config }) }],
      });
      return { taskId: result.taskId };
    }
    case 'addon-upgrade': {
      const { name, fromVersion, version, config } = change.params;
      const result = await api.upgradeAddons({
        ...target,
        addons: [
          { name, fromVersion, nextVersion: version, ...(config === undefined ? {} : { config }) },
        ],
      });
      return { taskId: result.taskId };
    }
    case 'addon-uninstall': {
      const result = await api.uninstallAddons({ ...target, names: [change.params.name] });
      return { taskId: result.taskId };
    }
  }
};

export { startAddonChange };
