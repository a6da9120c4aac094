import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JanitorWorld } from './janitor-harness.js';

/**
 * Idle detection for clusters on the default network (`network: "auto"`), whose API server sits
 * in a VPC of their own that the deployed janitor cannot reach: with the default activity source
 * (`auto`) their pods are read from ECI's DescribeContainerGroups (the real @alicloud/eci20180808
 * against the ECI emulator, which shows the Kubernetes emulator's pods as container groups), and
 * the cluster's API server is never called. An ECI failure is "activity unknown": nothing is
 * warned, and a standing warning is never carried out on it.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const AUTO = { janitor: { activitySource: 'auto' as const } };

describe('janitor idle checks through ECI', () => {
  let world: JanitorWorld;

  beforeEach(async () => {
    world = await JanitorWorld.start();
  });

  afterEach(async () => {
    await world?.close();
  });

  it('an idle default-network cluster (system pods only) is warned, then deleted, without its API server', async () => {
    const created = await world.createRunning({ name: 'eci-idle', idleAfter: '30m' });
    world.advance(31 * MIN);
    world.kube.resetStats();
    expect(await world.runJanitor(AUTO)).toMatchObject({ warned: 1, deleted: 0 });
    // Decided on ECI's container groups; the Kubernetes API was not asked.
    expect(world.eci.stats().DescribeContainerGroups).toBeGreaterThan(0);
    expect(world.kube.stats().listPods ?? 0).toBe(0);
    await world.settle();
    const [hook] = world.expiringWebhooks();
    expect(hook?.payload.data).toMatchObject({ id: created.id, reason: 'idle' });

    world.advanceTo(new Date(new Date(hook?.payload.data.deleteAt ?? '').getTime() + MIN));
    expect(await world.runJanitor(AUTO)).toMatchObject({ deleted: 1 });
    await world.settle();
    expect((await world.provision(created.id)).state).toBe('deleted');
    expect(world.kube.stats().listPods ?? 0).toBe(0);
  });

  it('a default-network cluster running a workload pod is busy, however long it has run', async () => {
    const created = await world.createRunning({ name: 'eci-busy', idleAfter: '30m' });
    if (!created.clusterId) throw new Error('no cluster id');
    world.kube.createPod(created.clusterId, { namespace: 'ci', name: 'runner-1' });
    world.advance(3 * HOUR);
    expect(await world.runJanitor(AUTO)).toMatchObject({ examined: 1, warned: 0, deleted: 0 });
    expect(world.eci.stats().DescribeContainerGroups).toBeGreaterThan(0);

    // The pod finished: the cluster is idle from the last time the janitor saw it busy.
    world.kube.deletePod(created.clusterId, 'ci', 'runner-1');
    world.advance(20 * MIN);
    expect(await world.runJanitor(AUTO)).toMatchObject({ warned: 0 });
    world.advance(15 * MIN);
    expect(await world.runJanitor(AUTO)).toMatchObject({ warned: 1, deleted: 0 });
    expect((await world.provision(created.id)).state).toBe('running');
  });

  it('an ECI failure is activity unknown: no warning, and a standing idle warning is not carried out', async () => {
    const created = await world.createRunning({ name: 'eci-down', idleAfter: '30m' });
    world.advance(31 * MIN);
    world.eci.injectFault({ status: 503, code: 'ServiceUnavailable', count: 1000 });
    expect(await world.runJanitor(AUTO)).toMatchObject({ warned: 0, deleted: 0, skipped: 1 });
    const [report] = await world.janitorRuns();
    expect(report?.skipped['activity-unknown']?.ids).toEqual([created.id]);

    // ECI answers again: warned. Then it fails again when the grace period is over.
    world.eci.clearFaults();
    expect(await world.runJanitor(AUTO)).toMatchObject({ warned: 1 });
    world.advance(2 * HOUR);
    world.eci.injectFault({ status: 500, code: 'InternalError', count: 1000 });
    expect(await world.runJanitor(AUTO)).toMatchObject({ deleted: 0, skipped: 1 });
    expect(world.deleteClusterCalls()).toBe(0);
    expect((await world.provision(created.id)).state).toBe('running');
  });

  it('refused credentials are activity unknown too, never "no pods"', async () => {
    const created = await world.createRunning({ name: 'eci-denied', idleAfter: '30m' });
    world.advance(31 * MIN);
    world.eci.injectFault({ status: 403, code: 'Forbidden.RAM', count: 1000 });
    expect(await world.runJanitor(AUTO)).toMatchObject({ warned: 0, deleted: 0, skipped: 1 });
    expect((await world.provision(created.id)).state).toBe('running');
  });
});
