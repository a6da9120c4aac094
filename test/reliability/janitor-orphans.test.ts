import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TAG_PROVISION_ID } from '../../shared/domain/cluster-name.js';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { newId } from '../../shared/ids.js';
import { createLogger } from '../../shared/logger.js';
import { acceptProvision } from '../../shared/provisioning/accept-provision.js';
import { commitTransition } from '../../shared/provisioning/commit-transition.js';
import { JanitorWorld } from './janitor-harness.js';

/**
 * No forgotten cluster: a cluster tagged with one of our provisions that no live provision owns
 * (its provision failed, was cancelled or deleted, or owns another cluster) is listed at once and
 * reaped after ASKP_JANITOR_ORPHAN_GRACE_SECONDS; a dry run only says it would; a provision's own
 * cluster and a cluster whose provision the store does not know are never touched.
 */
const MIN = 60_000;
const GRACE_MS = 3600 * 1000;

describe('janitor: orphans of dead provisions and duplicates are reaped after the grace period', () => {
  let world: JanitorWorld;

  beforeEach(async () => {
    world = await JanitorWorld.start();
  });

  afterEach(async () => {
    await world?.close();
  });

  /** A provision that never got further than `accepted`, then moved to `to` by hand. */
  const deadProvision = async (name: string, to: 'failed' | 'cancelled') => {
    const tenant = world.harness.tenants[0];
    if (!tenant) throw new Error('no tenant');
    const accepted = await acceptProvision(
      {
        store: world.store,
        queue: world.harness.queue,
        clock: { now: () => new Date() },
        logger: createLogger({ level: 'error' }),
        config: world.harness.config,
      },
      {
        tenantId: tenant.id,
        spec: createClusterRequestSchema.parse({ name, region: 'cn-hangzhou' }),
      },
    );
    // The create job is consumed first, so no worker creates anything for it afterwards.
    const moved = await commitTransition(world.store, accepted, to, {
      reason: 'test.dead',
      message: `made ${to} by the test`,
      now: new Date(),
      patch: to === 'failed' ? { error: { code: 'WORKER_GAVE_UP', message: 'test' } } : {},
    });
    if (!moved) throw new Error('setup failed');
    return moved;
  };

  it('lists at once, reaps after the grace period (dry run: would-reap), records it in the timeline, never the own or an unknown provision’s cluster', async () => {
    const [owned, gone] = await world.createRunningMany([{ name: 'owned' }, { name: 'gone' }]);
    if (!owned?.clusterId || !gone) throw new Error('setup failed');
    const tenant = world.harness.tenants[0];
    if (!tenant) throw new Error('no tenant');
    expect((await world.harness.api(tenant, 'DELETE', `/v1/clusters/${gone.id}`)).statusCode).toBe(
      202,
    );
    await world.settle();
    expect((await world.provision(gone.id)).state).toBe('deleted');
    const failed = await deadProvision('gave-up', 'failed');
    const cancelled = await deadProvision('cancelled', 'cancelled');
    await world.settle();

    const tagged = async (name: string, provisionId: string) =>
      world.createForeignCluster({ name, tags: { [TAG_PROVISION_ID]: provisionId } });
    const duplicate = await tagged('owned-duplicate', owned.id);
    const ofDeleted = await tagged('late-for-deleted', gone.id);
    const ofFailed = await tagged('late-for-failed', failed.id);
    const ofCancelled = await tagged('late-for-cancelled', cancelled.id);
    const unknown = await tagged('unknown', newId('prv'));
    const reapable = [duplicate, ofDeleted, ofFailed, ofCancelled];
    const deletesBefore = world.deleteClusterCalls();

    // Listed at once, each waiting for its grace period; the unknown one only listed.
    await world.runJanitor();
    let [report] = await world.janitorRuns();
    let byCluster = new Map(report?.orphans.map((o) => [o.clusterId, o]) ?? []);
    expect([...byCluster.keys()].sort()).toEqual([...reapable, unknown].sort());
    for (const clusterId of reapable) expect(byCluster.get(clusterId)?.action).toBe('waiting');
    expect(byCluster.get(unknown)?.action).toBe('listed');
    expect(byCluster.get(ofFailed)?.why).toContain('failed');
    expect(byCluster.get(duplicate)?.why).toContain('owns another cluster');

    // Past the grace period, a dry run says what it would do and does nothing.
    world.advance(GRACE_MS + MIN);
    await world.runJanitor({ janitor: { dryRun: true } });
    [report] = await world.janitorRuns();
    byCluster = new Map(report?.orphans.map((o) => [o.clusterId, o]) ?? []);
    for (const clusterId of reapable) expect(byCluster.get(clusterId)?.action).toBe('would-reap');
    expect(world.deleteClusterCalls()).toBe(deletesBefore);

    // A live run reaps them (a second later: reports are ordered by their start).
    world.advance(1000);
    await world.runJanitor();
    [report] = await world.janitorRuns();
    byCluster = new Map(report?.orphans.map((o) => [o.clusterId, o]) ?? []);
    for (const clusterId of reapable) expect(byCluster.get(clusterId)?.action).toBe('reaped');
    expect(byCluster.get(unknown)?.action).toBe('listed');
    expect(world.deleteClusterCalls()).toBe(deletesBefore + reapable.length);
    world.advance(10_000);
    for (const clusterId of reapable) expect(world.ackState(clusterId)).toBe('deleted');
    expect(world.ackState(unknown)).toBe('running');
    // The provision's own cluster is untouched; the reaped duplicate is in its timeline.
    expect(world.ackState(owned.clusterId)).toBe('running');
    expect((await world.provision(owned.id)).state).toBe('running');
    for (const provision of [owned, gone, failed, cancelled]) {
      expect(await world.eventTypes(provision.id)).toContain('janitor.orphan_deleted');
    }

    // Nothing left to reap: the next run lists only the unknown one.
    world.advance(1000);
    await world.runJanitor();
    [report] = await world.janitorRuns();
    expect(report?.orphans.map((o) => o.clusterId)).toEqual([unknown]);
  });
});
