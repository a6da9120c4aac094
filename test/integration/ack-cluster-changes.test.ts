import { describe, expect, it } from 'vitest';
import { caught, clusterInput, REGION, startHarness } from './ack-harness.js';

/**
 * Changes after creation through the real SDK and adapter against the emulator: the API server's
 * public endpoint opened and closed by ModifyCluster `api_server_eip` in a staged task, a task
 * failed mid-way by a `fail-task` fault, one change task at a time.
 */

const runningCluster = async (harness: Awaited<ReturnType<typeof startHarness>>) => {
  const { clusterId } = await harness.api.createCluster(
    clusterInput({ endpointPublicAccess: false }),
  );
  harness.clock.advanceSeconds(25);
  return clusterId;
};

describe('RevokeK8sClusterKubeConfig through the adapter', () => {
  it('revokes at once for a running cluster, and answers ACK_NOT_FOUND / ACK_CONFLICT otherwise', async () => {
    const harness = await startHarness();
    const clusterId = await runningCluster(harness);
    await harness.api.revokeKubeconfig({ clusterId, regionId: REGION });
    const stored = harness.emulator.listAllClusters().find((c) => c.clusterId === clusterId);
    expect(stored?.kubeconfigsRevokedAt).toBe(harness.clock.now());
    expect(
      (await caught(harness.api.revokeKubeconfig({ clusterId: 'c-missing', regionId: REGION })))
        .code,
    ).toBe('ACK_NOT_FOUND');
    const creating = (
      await harness.api.createCluster(
        clusterInput({ name: 'not-yet', endpointPublicAccess: false }),
      )
    ).clusterId;
    expect(
      (await caught(harness.api.revokeKubeconfig({ clusterId: creating, regionId: REGION }))).code,
    ).toBe('ACK_CONFLICT');
  });
});

describe('the API server EIP through ModifyCluster', () => {
  it('opens the public endpoint in a staged task: master_url shows it only once the task succeeded', async () => {
    const harness = await startHarness();
    const { api, clock } = harness;
    const clusterId = await runningCluster(harness);
    expect((await api.describeCluster({ clusterId, regionId: REGION }))?.endpoints.internet).toBe(
      undefined,
    );

    const { taskId } = await api.modifyCluster({ clusterId, regionId: REGION, apiServerEip: true });
    clock.advanceSeconds(1);
    const running = await api.describeTask({ taskId: taskId ?? '', regionId: REGION });
    expect(running).toMatchObject({ taskType: 'cluster_modify', state: 'running' });
    expect(running.stages.map((stage) => stage.message)).toEqual(['start to AttachApiServerEip']);
    expect((await api.describeCluster({ clusterId, regionId: REGION }))?.endpoints.internet).toBe(
      undefined,
    );

    clock.advanceSeconds(4);
    const done = await api.describeTask({ taskId: taskId ?? '', regionId: REGION });
    expect(done.state).toBe('success');
    expect(done.stages.map((stage) => stage.message)).toEqual([
      'success to AttachApiServerEip',
      'success to UpdateApiServerCertificate',
    ]);
    const opened = await api.describeCluster({ clusterId, regionId: REGION });
    expect(opened?.endpoints.internet).toMatch(/^https:\/\/47\./);
    // The public credential is issued now that there is a public endpoint.
    const kubeconfig = await api.describeKubeconfig({
      clusterId,
      regionId: REGION,
      temporaryDurationMinutes: 15,
    });
    expect(kubeconfig.config).toContain(opened?.endpoints.internet ?? 'no internet endpoint');

    const closing = await api.modifyCluster({ clusterId, regionId: REGION, apiServerEip: false });
    clock.advanceSeconds(5);
    expect((await api.describeTask({ taskId: closing.taskId ?? '', regionId: REGION })).state).toBe(
      'success',
    );
    expect((await api.describeCluster({ clusterId, regionId: REGION }))?.endpoints.internet).toBe(
      undefined,
    );
  });

  it('fails a task doomed by a fail-task fault in its first stage, changing nothing', async () => {
    const harness = await startHarness();
    const { api, clock, emulator } = harness;
    const clusterId = await runningCluster(harness);
    emulator.injectFault({ kind: 'fail-task', taskType: 'cluster_modify', message: 'no EIP left' });

    const { taskId } = await api.modifyCluster({ clusterId, regionId: REGION, apiServerEip: true });
    clock.advanceSeconds(5);
    const task = await api.describeTask({ taskId: taskId ?? '', regionId: REGION });
    expect(task).toMatchObject({ state: 'fail', error: { code: 'TaskFailed' } });
    expect(task.error?.message).toContain('no EIP left');
    expect(task.stages.map((stage) => stage.state)).toEqual(['failed']);
    expect((await api.describeCluster({ clusterId, regionId: REGION }))?.endpoints.internet).toBe(
      undefined,
    );
  });

  it('refuses a second change task while one runs, and any on a cluster not yet running (ACK_CONFLICT)', async () => {
    const harness = await startHarness();
    const { api, clock } = harness;
    const creating = (
      await api.createCluster(clusterInput({ name: 'still-creating', endpointPublicAccess: false }))
    ).clusterId;
    expect(
      (
        await caught(
          api.modifyCluster({ clusterId: creating, regionId: REGION, apiServerEip: true }),
        )
      ).code,
    ).toBe('ACK_CONFLICT');
    clock.advanceSeconds(25);
    await api.modifyCluster({ clusterId: creating, regionId: REGION, apiServerEip: true });
    const second = await caught(
      api.modifyCluster({ clusterId: creating, regionId: REGION, apiServerEip: false }),
    );
    expect(second).toMatchObject({ code: 'ACK_CONFLICT', ackCode: 'ErrorClusterState' });
    // A metadata change is no task: it is still served.
    await api.modifyCluster({ clusterId: creating, regionId: REGION, deletionProtection: true });
  });

  it('answers a bad api_server_eip with InvalidParameter and starts nothing', async () => {
    const harness = await startHarness();
    const clusterId = await runningCluster(harness);
    const error = await caught(
      harness.api.modifyCluster({
        clusterId,
        regionId: REGION,
        name: '-bad name-',
        apiServerEip: true,
      }),
    );
    expect(error.code).toBe('ACK_INVALID_REQUEST');
    harness.clock.advanceSeconds(10);
    expect(
      (await harness.api.describeCluster({ clusterId, regionId: REGION }))?.endpoints.internet,
    ).toBe(undefined);
  });
});

describe('the Kubernetes upgrade through UpgradeCluster', () => {
  it('lists the upgrades ACK offers, upgrades in a staged task (current_version moves on success), refuses a version that is no upgrade, and a fail-task fault leaves the version', async () => {
    const harness = await startHarness();
    const { api, clock, emulator } = harness;
    const { clusterId } = await api.createCluster(
      clusterInput({ endpointPublicAccess: false, kubernetesVersion: '1.31.1-aliyun.1' }),
    );
    clock.advanceSeconds(25);
    const versionOf = async () =>
      (await api.describeCluster({ clusterId, regionId: REGION }))?.currentVersion;

    expect(
      await api.listUpgradableVersions({ regionId: REGION, kubernetesVersion: '1.31.1-aliyun.1' }),
    ).toEqual(['1.33.1-aliyun.1', '1.32.1-aliyun.1']);
    expect(
      await api.listUpgradableVersions({ regionId: REGION, kubernetesVersion: '9.9.9-aliyun.1' }),
    ).toEqual([]);

    const downgrade = await caught(
      api.upgradeCluster({ clusterId, regionId: REGION, nextVersion: '1.30.1-aliyun.1' }),
    );
    expect(downgrade.code).toBe('ACK_INVALID_REQUEST');

    emulator.injectFault({ kind: 'fail-task', taskType: 'cluster_upgrade', message: 'boom' });
    const doomed = await api.upgradeCluster({
      clusterId,
      regionId: REGION,
      nextVersion: '1.32.1-aliyun.1',
    });
    clock.advanceSeconds(10);
    expect((await api.describeTask({ taskId: doomed.taskId ?? '', regionId: REGION })).state).toBe(
      'fail',
    );
    expect(await versionOf()).toBe('1.31.1-aliyun.1');

    const { taskId } = await api.upgradeCluster({
      clusterId,
      regionId: REGION,
      nextVersion: '1.32.1-aliyun.1',
    });
    clock.advanceSeconds(1);
    const running = await api.describeTask({ taskId: taskId ?? '', regionId: REGION });
    expect(running).toMatchObject({ taskType: 'cluster_upgrade', state: 'running' });
    // Only one change task at a time.
    const busy = await caught(
      api.upgradeCluster({ clusterId, regionId: REGION, nextVersion: '1.33.1-aliyun.1' }),
    );
    expect(busy.code).toBe('ACK_CONFLICT');
    expect(await versionOf()).toBe('1.31.1-aliyun.1');
    clock.advanceSeconds(10);
    expect((await api.describeTask({ taskId: taskId ?? '', regionId: REGION })).state).toBe(
      'success',
    );
    expect(await versionOf()).toBe('1.32.1-aliyun.1');
  });
});
