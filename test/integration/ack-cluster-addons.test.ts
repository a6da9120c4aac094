import { describe, expect, it } from 'vitest';
import { caught, clusterInput, REGION, startHarness } from './ack-harness.js';

/**
 * A cluster's addons after creation through the real SDK and adapter against the emulator:
 * ListClusterAddonInstances, InstallClusterAddons, UpgradeClusterAddons and UnInstallClusterAddons
 * in staged tasks whose effect shows only once they succeeded, ModifyClusterAddon in the call, a
 * task failed mid-way by a `fail-task` fault, and what ACK refuses (or the emulator does for it).
 */

const OLD_NGINX = 'v1.10.4-aliyun.1';
const NEW_NGINX = 'v1.11.5-aliyun.1';
const COREDNS_133 = '1.11.3.2-f57ea7ed6-aliyun';

const started = async (kubernetesVersion = '1.33.1-aliyun.1') => {
  const harness = await startHarness();
  const { clusterId } = await harness.api.createCluster(
    clusterInput({
      endpointPublicAccess: false,
      kubernetesVersion,
      addons: [{ name: 'coredns' }, { name: 'nginx-ingress-controller' }],
    }),
  );
  harness.clock.advanceSeconds(25);
  const target = { clusterId, regionId: REGION };
  const installed = async () =>
    (await harness.api.listInstalledAddons(target)).map(({ name, version, state }) => ({
      name,
      version,
      state,
    }));
  const taskState = async (taskId: string | null) =>
    (await harness.api.describeTask({ taskId: taskId ?? '', regionId: REGION })).state;
  return { ...harness, target, installed, taskState };
};

describe('addons after creation through the adapter', () => {
  it('lists the addons created with the cluster, each at the version the catalog offered', async () => {
    const { installed } = await started();
    expect(await installed()).toEqual([
      { name: 'coredns', version: COREDNS_133, state: 'active' },
      { name: 'nginx-ingress-controller', version: NEW_NGINX, state: 'active' },
    ]);
  });

  it('installs in a staged addon_install task: listed only once it succeeded', async () => {
    const { api, clock, target, installed, taskState } = await started();
    const { taskId } = await api.installAddons({
      ...target,
      addons: [{ name: 'metrics-server', version: 'v0.3.9.7-aliyun', config: '{}' }],
    });
    clock.advanceSeconds(1);
    const running = await api.describeTask({ taskId: taskId ?? '', regionId: REGION });
    expect(running).toMatchObject({ taskType: 'addon_install', state: 'running' });
    expect((await installed()).map((addon) => addon.name)).not.toContain('metrics-server');
    clock.advanceSeconds(10);
    expect(await taskState(taskId)).toBe('success');
    expect(await installed()).toContainEqual({
      name: 'metrics-server',
      version: 'v0.3.9.7-aliyun',
      state: 'active',
    });
  });

  it('refuses an unknown addon, a version the catalog does not offer, an installed addon and a config that is no JSON object', async () => {
    const { api, target } = await started();
    const install = (name: string, version: string, config?: string) =>
      caught(
        api.installAddons({
          ...target,
          addons: [{ name, version, ...(config === undefined ? {} : { config }) }],
        }),
      );
    for (const refused of [
      await install('no-such-addon', 'v1'),
      await install('metrics-server', 'v0.0.1'),
      await install('coredns', COREDNS_133),
      await install('metrics-server', 'v0.3.9.7-aliyun', '[1]'),
    ]) {
      expect(refused).toMatchObject({ code: 'ACK_INVALID_REQUEST', ackCode: 'InvalidParameter' });
    }
    const missing = await caught(
      api.listInstalledAddons({ clusterId: 'c-missing', regionId: REGION }),
    );
    expect(missing.code).toBe('ACK_NOT_FOUND');
  });

  it('upgrades an addon of a cluster upgraded past its version, shows it upgrading meanwhile, and refuses what is no upgrade', async () => {
    const { api, clock, target, installed, taskState } = await started('1.32.1-aliyun.1');
    expect(await installed()).toContainEqual({
      name: 'nginx-ingress-controller',
      version: OLD_NGINX,
      state: 'active',
    });
    const upgrade = (nextVersion: string, fromVersion = OLD_NGINX) =>
      api.upgradeAddons({
        ...target,
        addons: [{ name: 'nginx-ingress-controller', fromVersion, nextVersion }],
      });
    // On 1.32 the catalog offers what is installed: nothing to upgrade to.
    expect((await caught(upgrade(NEW_NGINX))).code).toBe('ACK_INVALID_REQUEST');

    const cluster = await api.upgradeCluster({ ...target, nextVersion: '1.33.1-aliyun.1' });
    clock.advanceSeconds(10);
    expect(await taskState(cluster.taskId)).toBe('success');
    expect((await caught(upgrade(NEW_NGINX, 'v0.0.0'))).code).toBe('ACK_INVALID_REQUEST');
    expect((await caught(upgrade('v9.9.9'))).code).toBe('ACK_INVALID_REQUEST');

    const { taskId } = await upgrade(NEW_NGINX);
    clock.advanceSeconds(1);
    expect(await installed()).toContainEqual({
      name: 'nginx-ingress-controller',
      version: OLD_NGINX,
      state: 'upgrading',
    });
    clock.advanceSeconds(10);
    expect(await taskState(taskId)).toBe('success');
    expect(await installed()).toContainEqual({
      name: 'nginx-ingress-controller',
      version: NEW_NGINX,
      state: 'active',
    });
  });

  it('reconfigures in the call (no task), and refuses it for an addon not installed or while a change task runs', async () => {
    const { api, emulator, target } = await started();
    const config = '{"IngressSlbNetworkType":"intranet"}';
    await api.modifyAddonConfig({ ...target, name: 'nginx-ingress-controller', config });
    const stored = emulator.listAllClusters().find((c) => c.clusterId === target.clusterId);
    expect(stored?.addons.find((addon) => addon.name === 'nginx-ingress-controller')?.config).toBe(
      config,
    );
    expect(
      (await caught(api.modifyAddonConfig({ ...target, name: 'metrics-server', config: '{}' })))
        .code,
    ).toBe('ACK_INVALID_REQUEST');
    await api.uninstallAddons({ ...target, names: ['coredns'] });
    const busy = await caught(
      api.modifyAddonConfig({ ...target, name: 'nginx-ingress-controller', config: '{}' }),
    );
    expect(busy).toMatchObject({ code: 'ACK_CONFLICT', ackCode: 'ErrorClusterState' });
  });

  it('uninstalls in a staged task (deleting meanwhile), and refuses an addon not installed', async () => {
    const { api, clock, target, installed, taskState } = await started();
    expect((await caught(api.uninstallAddons({ ...target, names: ['metrics-server'] }))).code).toBe(
      'ACK_INVALID_REQUEST',
    );
    const { taskId } = await api.uninstallAddons({
      ...target,
      names: ['nginx-ingress-controller'],
    });
    clock.advanceSeconds(1);
    expect(await installed()).toContainEqual({
      name: 'nginx-ingress-controller',
      version: NEW_NGINX,
      state: 'deleting',
    });
    clock.advanceSeconds(10);
    expect(await taskState(taskId)).toBe('success');
    expect((await installed()).map((addon) => addon.name)).toEqual(['coredns']);
  });

  it('fails a doomed addon task in its first stage, changing nothing', async () => {
    const { api, clock, emulator, target, installed } = await started();
    emulator.injectFault({ kind: 'fail-task', taskType: 'addon_install', message: 'no quota' });
    const { taskId } = await api.installAddons({
      ...target,
      addons: [{ name: 'metrics-server', version: 'v0.3.9.7-aliyun' }],
    });
    clock.advanceSeconds(10);
    const task = await api.describeTask({ taskId: taskId ?? '', regionId: REGION });
    expect(task).toMatchObject({ state: 'fail', error: { code: 'TaskFailed' } });
    expect(task.stages.map((stage) => stage.state)).toEqual(['failed']);
    expect((await installed()).map((addon) => addon.name)).not.toContain('metrics-server');
  });
});
