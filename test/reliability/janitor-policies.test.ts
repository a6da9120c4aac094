import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { updateProvision } from '../../shared/provisioning/update-provision.js';
import { JanitorWorld } from './janitor-harness.js';

/**
 * The janitor's policies end to end, on a faked clock: TTL and idle clusters are warned with a
 * signed `cluster.expiring` webhook, then deleted through the same path as DELETE once the grace
 * period is over; activity and a PATCH during the grace period cancel. Pods are created and
 * deleted through the emulated Kubernetes API that ACK's kubeconfigs point at.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('janitor policies', () => {
  let world: JanitorWorld;

  beforeEach(async () => {
    world = await JanitorWorld.start();
  });

  afterEach(async () => {
    await world?.close();
  });

  it('TTL expiry: warns with a signed cluster.expiring webhook, then deletes after the grace period', async () => {
    const created = await world.createRunning({ name: 'ttl-demo', ttl: '2h' });
    const expiresAt = created.expiresAt;
    if (expiresAt === null) throw new Error('a ttl sets expiresAt');

    // Not yet: the warning window (one hour) has not opened.
    world.advanceTo(new Date(expiresAt.getTime() - HOUR - MIN));
    expect(await world.runJanitor()).toMatchObject({ outcome: 'done', warned: 0 });

    world.advanceTo(new Date(expiresAt.getTime() - HOUR));
    expect(await world.runJanitor()).toMatchObject({ outcome: 'done', warned: 1, deleted: 0 });
    await world.settle();
    const hooks = world.expiringWebhooks();
    expect(hooks).toHaveLength(1);
    expect(hooks[0]?.verifiedAs).toBe(world.harness.tenants[0]?.id);
    expect(hooks[0]?.payload.data).toMatchObject({
      id: created.id,
      reason: 'ttl',
      deleteAt: expiresAt.toISOString(),
      state: 'running',
    });

    // During the grace period nothing more happens, however often the janitor runs.
    world.advanceTo(new Date(expiresAt.getTime() - MIN));
    expect(await world.runJanitor()).toMatchObject({ warned: 0, deleted: 0 });
    expect(world.deleteClusterCalls()).toBe(0);

    world.advanceTo(new Date(expiresAt.getTime() + MIN));
    expect(await world.runJanitor()).toMatchObject({ deleted: 1 });
    await world.settle();
    expect((await world.provision(created.id)).state).toBe('deleted');
    expect(world.deleteClusterCalls()).toBe(1);
    expect(world.expiringWebhooks()).toHaveLength(1);
    expect(await world.eventTypes(created.id)).toEqual(
      expect.arrayContaining(['janitor.warned', 'janitor.deleting']),
    );
  });

  it('a busy cluster is not idle, however long it has been running', async () => {
    const created = await world.createRunning({ name: 'busy', idleAfter: '30m' });
    if (!created.clusterId) throw new Error('no cluster id');
    world.kube.createPod(created.clusterId, { namespace: 'ci', name: 'runner-1' });
    world.advance(3 * HOUR);
    world.kube.resetStats();
    expect(await world.runJanitor()).toMatchObject({ examined: 1, warned: 0, deleted: 0 });
    // The decision was made on the cluster's pods, read through client-node.
    expect(world.kube.stats().listPods).toBeGreaterThan(0);
    world.advance(3 * HOUR);
    expect(await world.runJanitor()).toMatchObject({ warned: 0, deleted: 0 });
    expect((await world.provision(created.id)).state).toBe('running');
  });

  it('an idle cluster (system pods only) is warned, then deleted after the grace period', async () => {
    const created = await world.createRunning({ name: 'idle', idleAfter: '30m' });
    // Running for less than idleAfter: not even inspected.
    world.kube.resetStats();
    expect(await world.runJanitor()).toMatchObject({ warned: 0 });
    expect(world.kube.stats().listPods ?? 0).toBe(0);

    world.advance(31 * MIN);
    expect(await world.runJanitor()).toMatchObject({ warned: 1 });
    await world.settle();
    const [hook] = world.expiringWebhooks();
    expect(hook?.verifiedAs).toBe(world.harness.tenants[0]?.id);
    expect(hook?.payload.data).toMatchObject({ id: created.id, reason: 'idle' });
    const deleteAt = new Date(hook?.payload.data.deleteAt ?? '');
    expect(deleteAt.getTime() - Date.now()).toBeGreaterThan(50 * MIN);

    world.advanceTo(new Date(deleteAt.getTime() + MIN));
    expect(await world.runJanitor()).toMatchObject({ deleted: 1 });
    await world.settle();
    expect((await world.provision(created.id)).state).toBe('deleted');
    expect(world.deleteClusterCalls()).toBe(1);
  });

  it('new activity during the grace period cancels the warning, and idleness counts from it', async () => {
    const created = await world.createRunning({ name: 'comeback', idleAfter: '30m' });
    if (!created.clusterId) throw new Error('no cluster id');
    world.advance(31 * MIN);
    expect(await world.runJanitor()).toMatchObject({ warned: 1 });

    world.advance(20 * MIN);
    world.kube.createPod(created.clusterId, { namespace: 'web', name: 'api-0' });
    expect(await world.runJanitor()).toMatchObject({ cancelled: 1, deleted: 0 });
    const events = await world.store.listEvents({ provisionId: created.id, limit: 100 });
    const cancelled = events.find((event) => event.type === 'janitor.warning_cancelled');
    expect(cancelled?.message).toContain('new activity');
    // The receiver that was told of the deletion is told it is off.
    await world.settle();
    expect(world.webhooksOfType('cluster.expiry_cancelled')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ id: created.id, reason: 'idle' }),
      }),
    ]);

    // The pod goes away: the cluster is idle from the last time the janitor saw it busy, not
    // from when it started running (which would warn it again at once).
    world.kube.deletePod(created.clusterId, 'web', 'api-0');
    world.advance(20 * MIN);
    expect(await world.runJanitor()).toMatchObject({ warned: 0, deleted: 0 });
    world.advance(15 * MIN);
    expect(await world.runJanitor()).toMatchObject({ warned: 1, deleted: 0 });
    expect(world.deleteClusterCalls()).toBe(0);
    expect((await world.provision(created.id)).state).toBe('running');
  });

  it('extending expiresAt (PATCH) during the grace period cancels the warning at once and tells the receiver', async () => {
    const created = await world.createRunning({ name: 'extend', ttl: '1h' });
    world.advance(MIN);
    expect(await world.runJanitor()).toMatchObject({ warned: 1 });

    const tenantId = world.harness.tenants[0]?.id ?? '';
    const later = new Date(Date.now() + 6 * HOUR);
    await updateProvision(
      { store: world.store, clock: { now: () => new Date() }, config: world.harness.config },
      { tenantId, id: created.id, request: { expiresAt: later.toISOString() } },
    );
    // The PATCH called the deletion off in its own transaction: nothing left for the janitor.
    expect(await world.runJanitor()).toMatchObject({ warned: 0, cancelled: 0 });
    await world.settle();
    const [expiring] = world.webhooksOfType('cluster.expiring');
    expect(world.webhooksOfType('cluster.expiry_cancelled')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          id: created.id,
          reason: 'ttl',
          deleteAt: expiring?.data.deleteAt,
          why: `the expiry was changed to ${later.toISOString()}`,
        }),
      }),
    ]);
    const events = await world.store.listEvents({ provisionId: created.id, limit: 100 });
    expect(events.find((e) => e.type === 'janitor.warning_cancelled')?.message).toContain(
      'expiry was changed',
    );

    // Past the old deletion time: nothing happens; the new expiry is warned in its turn.
    world.advance(2 * HOUR);
    expect(await world.runJanitor()).toMatchObject({ warned: 0, deleted: 0 });
    world.advanceTo(new Date(later.getTime() - 30 * MIN));
    expect(await world.runJanitor()).toMatchObject({ warned: 1 });
    expect(world.deleteClusterCalls()).toBe(0);
  });
});
