import type { AckCaller } from './ack-caller.js';
import type { AckInstalledAddon, ClusterApi, ModifyClusterResult } from './cluster-api.port.js';
import { cs } from './cs-sdk.js';

/**
 * A cluster's addons after creation: ListClusterAddonInstances (read), InstallClusterAddons,
 * UpgradeClusterAddons and UnInstallClusterAddons (each answers a task), ModifyClusterAddon (no
 * answer body: the SDK reads none). Only the read and the config (setting the same config twice
 * ends the same) are retried: a second install, upgrade or uninstall while the first one's task
 * runs is refused, so a lost answer is left to the change job (start-ack-change.ts looks at the
 * installed addons first).
 */

type AddonOperations = Pick<
  ClusterApi,
  | 'listInstalledAddons'
  | 'installAddons'
  | 'upgradeAddons'
  | 'modifyAddonConfig'
  | 'uninstallAddons'
>;

interface TaskAnswer {
  body?: { taskId?: string; requestId?: string };
}

const taskOf = (response: TaskAnswer): ModifyClusterResult => ({
  taskId: response.body?.taskId || null,
  requestId: response.body?.requestId || null,
});

const createAddonOperations = ({ call }: AckCaller): AddonOperations => ({
  listInstalledAddons: async ({ clusterId, regionId }) => {
    const response = await call('ListClusterAddonInstances', regionId, true, (client) =>
      client.listClusterAddonInstances(clusterId),
    );
    return (response.body?.addons ?? []).map(
      (addon): AckInstalledAddon => ({
        name: addon.name ?? '',
        version: addon.version || null,
        state: addon.state ?? '',
      }),
    );
  },

  installAddons: async ({ clusterId, regionId, addons }) => {
    const request = new cs.InstallClusterAddonsRequest({
      body: addons.map(
        (addon) =>
          new cs.InstallClusterAddonsRequestBody({
            name: addon.name,
            version: addon.version,
            ...(addon.config === undefined ? {} : { config: addon.config }),
          }),
      ),
    });
    return taskOf(
      await call('InstallClusterAddons', regionId, false, (client) =>
        client.installClusterAddons(clusterId, request),
      ),
    );
  },

  upgradeAddons: async ({ clusterId, regionId, addons }) => {
    const request = new cs.UpgradeClusterAddonsRequest({
      body: addons.map(
        (addon) =>
          new cs.UpgradeClusterAddonsRequestBody({
            componentName: addon.name,
            version: addon.fromVersion,
            nextVersion: addon.nextVersion,
            ...(addon.config === undefined ? {} : { config: addon.config }),
          }),
      ),
    });
    return taskOf(
      await call('UpgradeClusterAddons', regionId, false, (client) =>
        client.upgradeClusterAddons(clusterId, request),
      ),
    );
  },

  modifyAddonConfig: async ({ clusterId, regionId, name, config }) => {
    await call('ModifyClusterAddon', regionId, true, (client) =>
      client.modifyClusterAddon(clusterId, name, new cs.ModifyClusterAddonRequest({ config })),
    );
  },

  uninstallAddons: async ({ clusterId, regionId, names }) => {
    const request = new cs.UnInstallClusterAddonsRequest({
      addons: names.map((name) => new cs.UnInstallClusterAddonsRequestAddons({ name })),
    });
    return taskOf(
      await call('UnInstallClusterAddons', regionId, false, (client) =>
        client.unInstallClusterAddons(clusterId, request),
      ),
    );
  },
});

export { createAddonOperations };
