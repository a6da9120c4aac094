import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { ClusterChange } from '../domain/cluster-change.js';

type AddonChange = Extract<
  ClusterChange,
  { kind: 'addon-install' | 'addon-upgrade' | 'addon-config' | 'addon-uninstall' }
>;

/**
 * Asks ACK for an addon change. ACK refuses a second install, upgrade or uninstall of the same
 * addon (it is installed, upgraded or gone by then), so a redelivered job first reads the
 * installed addons: when they already are what the change asks for, the first call was accepted
 * and its task has ended, and the change is done with nothing to follow (`taskId: null`). A task
 * still running makes ACK refuse the cluster as busy, a retryable conflict: the job comes back.
 * A config change is ModifyClusterAddon, which ACK carries out without a task.
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
  switch (change.kind) {
    case 'addon-install': {
      if (current?.version === change.params.version) return { taskId: null };
      const { name, version, config } = change.params;
      const result = await api.installAddons({
        ...target,
        addons: [{ name, version, ...(config === undefined ? {} : { config }) }],
      });
      return { taskId: result.taskId };
    }
    case 'addon-upgrade': {
      if (current?.version === change.params.version) return { taskId: null };
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
      if (current === undefined) return { taskId: null };
      const result = await api.uninstallAddons({ ...target, names: [change.params.name] });
      return { taskId: result.taskId };
    }
  }
};

export { startAddonChange };
