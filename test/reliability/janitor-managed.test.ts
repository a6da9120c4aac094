import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMULATED_NETWORKS } from '../../emulator/ack/ack-emulator.js';
import { AckError } from '../../shared/ack/ack-error.js';
import { TAG_PROVISION_ID } from '../../shared/domain/cluster-name.js';
import { JanitorWorld } from './janitor-harness.js';

/**
 * The janitor on managed clusters (pods on the ECS nodes of node pools): idleness is read from
 * the cluster's Kubernetes API only — ECI never sees those pods, so its empty listing must never
 * count as idle — a due cluster is deleted with its pools and nodes, and an orphaned managed
 * cluster is found and reaped like a serverless one.
 */
const MIN = 60_000;
const GRACE_MS = 3600 * 1000;
const AUTO = { janitor: { activitySource: 'auto' as const } };

const hangzhou = EMULATED_NETWORKS.find((network) => network.regionId === 'cn-hangzhou');
const MANAGED = {
  profile: 'managed' as const,
  network: {
    vpcId: hangzhou?.vpcId ?? '',
    vswitchIds: (hangzhou?.vswitches ?? []).map((vswitch) => vswitch.vswitchId),
  },
  nodePools: [{ name: 'default', instanceTypes: ['ecs.g7.large'], desiredSize: 2 }],
};

describe('janitor: managed clusters with node pools', () => {
  let world: JanitorWorld;

  beforeEach(async () => {
    world = await JanitorWorld.start();
  });

  afterEach(async () => {
    await world?.close();
  });

  it('reads a managed cluster’s pods through its API server, never ECI, and deletes an idle one with its pools and nodes', async () => {
    const created = await world.createRunning({ name: 'mgd-idle', idleAfter: '30m', ...MANAGED });
    if (!created.clusterId) throw new Error('no cluster id');
    const clusterId = created.clusterId;
    const pools = await world.harness.clusterApi.listNodePools({
      clusterId,
      regionId: 'cn-hangzhou',
    });
    expect(pools.map((pool) => pool.totalNodes)).toEqual([2]);

    // A workload pod on its nodes keeps it busy, with the source that would ask ECI otherwise.
    world.kube.createPod(clusterId, { namespace: 'ci', name: 'runner-1' });
    world.advance(31 * MIN);
    expect(await world.runJanitor(AUTO)).toMatchObject({ examined: 1, warned: 0 });
    expect(world.eci.stats().DescribeContainerGroups ?? 0).toBe(0);
    expect(world.kube.stats().listPods).toBeGreaterThan(0);

    // Idle from the last time it was seen busy: warned, then deleted after the grace period.
    world.kube.deletePod(clusterId, 'ci', 'runner-1');
    world.advance(31 * MIN);
    expect(await world.runJanitor(AUTO)).toMatchObject({ warned: 1, deleted: 0 });
    await world.settle();
    const [hook] = world.expiringWebhooks();
    expect(hook?.payload.data).toMatchObject({ id: created.id, reason: 'idle' });
    world.advanceTo(new Date(new Date(hook?.payload.data.deleteAt ?? '').getTime() + MIN));
    expect(await world.runJanitor(AUTO)).toMatchObject({ deleted: 1 });
    await world.settle();
    expect((await world.provision(created.id)).state).toBe('deleted');
    expect(world.ackState(clusterId)).toBe('deleted');
    // The pools and their nodes went with the cluster.
    const gone = await world.harness.clusterApi
      .listNodePools({ clusterId, regionId: 'cn-hangzhou' })
      .then(
        () => 'still listed',
        (error: unknown) => (error instanceof AckError ? error.code : String(error)),
      );
    expect(gone).toBe('ACK_NOT_FOUND');
    expect(world.eci.stats().DescribeContainerGroups ?? 0).toBe(0);
  });

  it('an API server that does not answer is activity unknown for a managed cluster, even with ECI at hand: no warning', async () => {
    const created = await world.createRunning({ name: 'mgd-dark', idleAfter: '30m', ...MANAGED });
    world.advance(31 * MIN);
    world.kube.injectFault({ clusterId: created.clusterId ?? '', status: 503, times: 1000 });
    expect(await world.runJanitor({ janitor: { activitySource: 'eci' } })).toMatchObject({
      warned: 0,
      deleted: 0,
      skipped: 1,
    });
    const [report] = await world.janitorRuns();
    expect(report?.skipped['activity-unknown']?.ids).toEqual([created.id]);
    expect(world.eci.stats().DescribeContainerGroups ?? 0).toBe(0);
  });

  it('finds a managed cluster whose provision is gone as an orphan and reaps it, pools and all, after the grace period', async () => {
    const [owner] = await world.createRunningMany([{ name: 'mgd-owner', ...MANAGED }]);
    if (!owner?.clusterId) throw new Error('setup failed');
    const duplicate = await world.createForeignCluster({
      name: 'mgd-owner-duplicate',
      tags: { [TAG_PROVISION_ID]: owner.id },
      nodePools: [{ name: 'default', desiredSize: 1 }],
    });
    expect(
      world.harness.ack.listAllClusters().find((c) => c.clusterId === duplicate),
    ).toMatchObject({
      clusterType: 'ManagedKubernetes',
      profile: 'Default',
    });

    await world.runJanitor();
    let [report] = await world.janitorRuns();
    expect(report?.orphans.map((orphan) => [orphan.clusterId, orphan.action])).toEqual([
      [duplicate, 'waiting'],
    ]);

    world.advance(GRACE_MS + MIN);
    await world.runJanitor();
    [report] = await world.janitorRuns();
    expect(report?.orphans.map((orphan) => [orphan.clusterId, orphan.action])).toEqual([
      [duplicate, 'reaped'],
    ]);
    world.advance(10_000);
    expect(world.ackState(duplicate)).toBe('deleted');
    expect(world.ackState(owner.clusterId)).toBe('running');
  });
});
