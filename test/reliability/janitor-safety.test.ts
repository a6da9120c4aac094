import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TAG_PROVISION_ID } from '../../shared/domain/cluster-name.js';
import { newId } from '../../shared/ids.js';
import { updateProvision } from '../../shared/provisioning/update-provision.js';
import type { Store } from '../../shared/store/store.port.js';
import { SimulatedCrash } from './harness.js';
import { deadAfter, JanitorWorld } from './janitor-harness.js';

/**
 * Deleting the wrong cluster is the worst thing this service can do. These cases pin down what
 * the janitor must never delete (protected, kept, not ours, orphans, anything in a dry run), and
 * that a janitor killed mid-run or racing another run never deletes twice.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
/** ASKP_JANITOR_LEASE_SECONDS' default: a short lease a live run renews by heartbeat. */
const LEASE_MS = 60_000;

describe('janitor safety', () => {
  let world: JanitorWorld;

  beforeEach(async () => {
    world = await JanitorWorld.start();
  });

  afterEach(async () => {
    await world?.close();
  });

  it('deletes nothing under deletion protection (ours or ACK’s) or keep=true, and keep=true set during the grace period cancels', async () => {
    const [ours, kept, ack, late] = await world.createRunningMany([
      { name: 'protected', ttl: '1h', deletionProtection: true },
      { name: 'kept', ttl: '1h', labels: { keep: 'true' } },
      { name: 'ack-protected', ttl: '1h' },
      { name: 'kept-late', ttl: '1h' },
    ]);
    if (!ours || !kept || !ack?.clusterId || !late) throw new Error('setup failed');
    // Protection turned on in ACK itself (the console, another tool): only ACK knows.
    await world.harness.clusterApi.modifyCluster({
      clusterId: ack.clusterId,
      regionId: ack.region,
      deletionProtection: true,
    });

    const first = await world.runJanitor();
    expect(first).toMatchObject({ warned: 1, deleted: 0 });
    const [report] = await world.janitorRuns();
    expect(report?.skipped['deletion-protection']?.ids).toEqual([ours.id]);
    expect(report?.skipped['keep-label']?.ids).toEqual([kept.id]);
    expect(report?.skipped['ack-deletion-protection']?.ids).toEqual([ack.id]);

    // The caller labels the warned cluster keep=true during the grace period: the PATCH itself
    // calls the deletion off, and tells the receiver (cluster.expiry_cancelled).
    await updateProvision(
      { store: world.store, clock: { now: () => new Date() }, config: world.harness.config },
      {
        tenantId: late.tenantId,
        id: late.id,
        request: { labels: { keep: 'true' } },
      },
    );
    expect(await world.runJanitor()).toMatchObject({ warned: 0, cancelled: 0, deleted: 0 });

    world.advance(3 * HOUR);
    expect(await world.runJanitor()).toMatchObject({ warned: 0, deleted: 0 });
    await world.settle();
    expect(world.deleteClusterCalls()).toBe(0);
    for (const provision of await world.provisions()) expect(provision.state).toBe('running');
    expect(world.expiringWebhooks().map((hook) => hook.payload.data.id)).toEqual([late.id]);
    expect(world.webhooksOfType('cluster.expiry_cancelled')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          id: late.id,
          reason: 'ttl',
          why: 'the label keep=true was set',
        }),
      }),
    ]);
    expect(await world.eventTypes(late.id)).toEqual(
      expect.arrayContaining(['janitor.warned', 'janitor.warning_cancelled']),
    );
  });

  it('a dry run warns and deletes nothing, and its report says what it would have done', async () => {
    const [expiring, idle] = await world.createRunningMany([
      { name: 'dry-ttl', ttl: '1h' },
      { name: 'dry-idle', idleAfter: '30m' },
    ]);
    if (!expiring || !idle) throw new Error('setup failed');
    world.advance(2 * HOUR);
    const dry = await world.runJanitor({ janitor: { dryRun: true } });
    expect(dry).toMatchObject({ outcome: 'done', mode: 'dry-run', warned: 2, deleted: 0 });
    await world.settle();
    expect(world.expiringWebhooks()).toEqual([]);
    expect(await world.eventTypes(expiring.id)).not.toContain('janitor.warned');
    const [report] = await world.janitorRuns();
    expect(report).toMatchObject({ mode: 'dry-run', warned: 2 });
    expect(report?.finishedAt).not.toBeNull();
    const wouldWarn = report?.actions.filter((a) => a.action === 'warn').map((a) => a.provisionId);
    expect(wouldWarn?.sort()).toEqual([expiring.id, idle.id].sort());

    // Warned for real, then past the grace period: a dry run says it would delete both.
    await world.runJanitor();
    world.advance(2 * HOUR);
    expect(await world.runJanitor({ janitor: { dryRun: true } })).toMatchObject({
      mode: 'dry-run',
      deleted: 2,
    });
    await world.settle();
    expect(world.deleteClusterCalls()).toBe(0);
    for (const provision of await world.provisions()) expect(provision.state).toBe('running');
    const [second] = await world.janitorRuns();
    expect(second?.actions.map((a) => a.action)).toEqual(['delete', 'delete']);
  });

  it('never touches a cluster that is not ours: no tag, a tag of another provision, or retagged after the warning', async () => {
    const [retagged, foreignRow, warnedThenRetagged] = await world.createRunningMany([
      { name: 'retagged', ttl: '1h' },
      { name: 'foreign', ttl: '1h' },
      { name: 'late-retag', ttl: '1h' },
    ]);
    if (!retagged?.clusterId || !foreignRow || !warnedThenRetagged?.clusterId) {
      throw new Error('setup failed');
    }
    const otherId = newId('prv');
    const retag = (clusterId: string) =>
      world.harness.clusterApi.tagResources({
        regionId: 'cn-hangzhou',
        clusterIds: [clusterId],
        tags: { [TAG_PROVISION_ID]: otherId },
      });
    await retag(retagged.clusterId);
    // Our row names a cluster that carries no tag of ours at all.
    const untagged = await world.createForeignCluster({ name: 'someone-else', tags: {} });
    const current = await world.provision(foreignRow.id);
    await world.store.updateProvision({
      id: current.id,
      expectedVersion: current.version,
      patch: { clusterId: untagged },
    });
    // Warned while it was ours; its tag changes during the grace period.
    const warned = await world.runJanitor();
    expect(warned).toMatchObject({ warned: 1, skipped: 2 });
    await retag(warnedThenRetagged.clusterId);

    world.advance(3 * HOUR);
    expect(await world.runJanitor()).toMatchObject({ warned: 0, deleted: 0, skipped: 3 });
    const [report] = await world.janitorRuns();
    expect(report?.skipped['not-ours']?.ids.sort()).toEqual(
      [retagged.id, foreignRow.id, warnedThenRetagged.id].sort(),
    );
    expect(await world.eventTypes(warnedThenRetagged.id)).toContain('janitor.warning_cancelled');
    await world.settle();
    // The only DeleteCluster is the reaping of foreignRow's first cluster: it still carries
    // foreignRow's tag while the row names another (a duplicate), and the grace period passed.
    expect(world.deleteClusterCalls()).toBe(1);
    expect(['deleting', 'deleted']).toContain(world.ackState(foreignRow.clusterId ?? ''));
    expect(world.ackState(untagged)).toBe('running');
    expect(world.ackState(retagged.clusterId)).toBe('running');
    expect(world.ackState(warnedThenRetagged.clusterId)).toBe('running');
    expect(world.expiringWebhooks().map((hook) => hook.payload.data.id)).toEqual([
      warnedThenRetagged.id,
    ]);
  });

  it('lists orphans (tagged ours, unknown to the store) in every known region and never touches them', async () => {
    const owned = await world.createRunning({ name: 'owned' });
    const unknownId = newId('prv');
    const orphan = await world.createForeignCluster({
      name: 'orphan-hz',
      tags: { [TAG_PROVISION_ID]: unknownId },
    });
    const farOrphan = await world.createForeignCluster({
      name: 'orphan-bj',
      regionId: 'cn-beijing',
      tags: { [TAG_PROVISION_ID]: unknownId },
    });
    // A second cluster claiming the owned provision: the provision owns another one.
    const impostor = await world.createForeignCluster({
      name: 'impostor',
      tags: { [TAG_PROVISION_ID]: owned.id },
    });
    const untagged = await world.createForeignCluster({ name: 'untagged', tags: {} });

    const summary = await world.runJanitor({ janitor: { regions: ['cn-beijing'] } });
    expect(summary).toMatchObject({ outcome: 'done', orphans: 3, deleted: 0, warned: 0 });
    const [report] = await world.janitorRuns();
    const found = new Map(report?.orphans.map((o) => [o.clusterId, o]) ?? []);
    expect([...found.keys()].sort()).toEqual([orphan, farOrphan, impostor].sort());
    expect(found.get(orphan)?.why).toContain('no provision');
    expect(found.get(farOrphan)?.regionId).toBe('cn-beijing');
    expect(found.get(impostor)?.why).toContain('owns another cluster');
    await world.settle();
    expect(world.deleteClusterCalls()).toBe(0);
    for (const clusterId of [orphan, farOrphan, impostor, untagged]) {
      expect(world.ackState(clusterId)).toBe('running');
    }
  });

  /** The janitor process dies right after `method` committed: nothing after it happens. */
  const crashAfter =
    (method: 'applyTransitionWithJob' | 'recordJanitorWarning', kill: { dead: boolean }) =>
    (store: Store): Store => {
      const die = (): never => {
        kill.dead = true;
        throw new SimulatedCrash(`after ${method}`);
      };
      const wrapped: Store =
        method === 'applyTransitionWithJob'
          ? {
              ...store,
              applyTransitionWithJob: async (input) => {
                await store.applyTransitionWithJob(input);
                return die();
              },
            }
          : {
              ...store,
              recordJanitorWarning: async (input) => {
                await store.recordJanitorWarning(input);
                return die();
              },
            };
      return deadAfter(wrapped, kill);
    };

  it.each([
    ['after the first deletion transition, before its job was sent', 'applyTransitionWithJob'],
    ['after the first warning was written', 'recordJanitorWarning'],
  ] as const)(
    'a janitor killed %s and restarted converges without a double delete',
    async (_point, method) => {
      const [first, second] = await world.createRunningMany([
        { name: 'crash-a', ttl: '1h' },
        { name: 'crash-b', ttl: '1h' },
      ]);
      if (!first || !second) throw new Error('setup failed');
      if (method === 'applyTransitionWithJob') {
        expect(await world.runJanitor()).toMatchObject({ warned: 2 });
        world.advance(2 * HOUR);
      }
      const kill = { dead: false };
      await expect(
        world.runJanitor({
          store: crashAfter(method, kill),
          clusterApi: (api) => deadAfter(api, kill),
          queue: (queue) => deadAfter(queue, kill),
        }),
      ).rejects.toBeInstanceOf(SimulatedCrash);
      const [dead] = await world.janitorRuns();
      expect(dead?.finishedAt).toBeNull();

      // Restarted at once: the dead run's lease still holds.
      expect(await world.runJanitor()).toMatchObject({
        outcome: 'busy',
        message: 'another run holds the lease',
      });
      // The dead run stops renewing: it blocks the next runs for at most one short lease (before
      // heartbeats the lease was 900 s, so a janitor killed mid-run held up every run 15 minutes).
      world.advance(LEASE_MS - 10_000);
      expect(await world.runJanitor()).toMatchObject({ outcome: 'busy' });
      world.advance(10_001);
      expect(await world.runJanitor()).toMatchObject({ outcome: 'done' });
      // Meanwhile the poller runs as every minute (its sweep sends a job the crash never sent).
      await world.settle();
      world.advance(2 * HOUR);
      await world.runJanitor();
      await world.settle();
      expect(await world.runJanitor()).toMatchObject({ examined: 0, deleted: 0 });

      for (const provision of [first, second]) {
        expect((await world.provision(provision.id)).state).toBe('deleted');
        expect(world.ackState(provision.clusterId ?? '')).toBe('deleted');
      }
      expect(world.deleteClusterCalls()).toBe(2);
      // Each cluster was warned exactly once, whatever the crash interrupted.
      const warnedIds = world.expiringWebhooks().map((hook) => hook.payload.data.id);
      expect(warnedIds.sort()).toEqual([first.id, second.id].sort());
    },
  );

  it('two overlapping runs: one holds the lease, the other exits saying so', async () => {
    await world.createRunning({ name: 'overlap', ttl: '1h' });
    let enter = (): void => undefined;
    const entered = new Promise<void>((resolve) => {
      enter = resolve;
    });
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const slow = world.runJanitor({
      clusterApi: (api) => ({
        ...api,
        describeCluster: async (input) => {
          enter();
          await gate;
          return api.describeCluster(input);
        },
      }),
    });
    await entered;
    expect(await world.runJanitor()).toEqual({
      triggerName: 'every-15-minutes',
      outcome: 'busy',
      message: 'another run holds the lease',
    });
    open();
    expect(await slow).toMatchObject({ outcome: 'done', warned: 1 });
    expect(await world.janitorRuns()).toHaveLength(1);
    // The lease was let go: the next run runs.
    expect(await world.runJanitor()).toMatchObject({ outcome: 'done', warned: 0 });
    expect(await world.janitorRuns()).toHaveLength(2);
  });
});
