import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import type { JanitorWarning } from '../../shared/domain/janitor-policy.js';
import { newJanitorRun } from '../../shared/domain/janitor-run.js';
import type { NewProvisionEvent, Provision } from '../../shared/domain/provision.js';
import type { ProvisionState } from '../../shared/domain/provision-state.js';
import { newId } from '../../shared/ids.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import type { Store } from '../../shared/store/store.port.js';

/**
 * The janitor's part of the store on PGlite: the lease is compare-and-set with an expiry, every
 * decision is a compare-and-set on the provision's version that writes all of itself or nothing,
 * and the reports read back as written.
 */

const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

const event = (type: string, state: ProvisionState, seconds: number): NewProvisionEvent => ({
  type,
  state,
  message: `${type} happened`,
  source: 'service',
  at: at(seconds),
});

const warning = (seconds: number): JanitorWarning => ({
  reason: 'ttl',
  warnedAt: at(seconds),
  deleteAt: at(seconds + 3600),
  expiresAtBasis: at(seconds + 3600),
  idleAfterBasis: null,
});

describe('janitor store (PGlite)', () => {
  let store: Store;

  beforeAll(async () => {
    const { db, close } = await openDatabase({ databaseUrl: 'pglite://memory' });
    await migrateToLatest(db);
    store = createKyselyStore({ db, close });
  });

  afterAll(async () => {
    await store?.close();
  });

  /** A provision that became running at `runningAt` seconds. */
  const runningProvision = async (runningAt: number): Promise<Provision> => {
    const id = newId('prv');
    const { provision } = await store.createProvision({
      provision: {
        id,
        tenantId: 'ten_store',
        name: 'demo',
        region: 'cn-hangzhou',
        spec: createClusterRequestSchema.parse({ name: 'demo', region: 'cn-hangzhou' }),
        clusterName: `demo-${id.slice(-10)}`,
        labels: {},
        expiresAt: at(3600),
        createdAt: at(0),
      },
      event: event('accepted', 'accepted', 0),
      job: { v: 1, kind: 'create', provisionId: id },
    });
    const provisioning = await store.applyTransition({
      id,
      expectedVersion: provision.version,
      transition: {
        to: 'provisioning',
        patch: { clusterId: `c${id.slice(-12)}` },
        event: event('p', 'provisioning', 10),
      },
    });
    const running = await store.applyTransition({
      id,
      expectedVersion: provisioning?.version ?? 0,
      transition: { to: 'running', patch: {}, event: event('r', 'running', runningAt) },
    });
    if (!running) throw new Error('setup failed');
    return running;
  };

  const candidate = async (id: string) =>
    (await store.listJanitorCandidates({ limit: 1000 })).find((c) => c.provision.id === id);

  it('gives the lease to one owner at a time until it expires or is released', async () => {
    const take = (owner: string, seconds: number) =>
      store.acquireJanitorLease({
        name: 'test',
        owner,
        now: at(seconds),
        leaseUntil: at(seconds + 60),
      });
    expect(await take('a', 0)).toEqual({ acquired: true });
    expect(await take('b', 30)).toEqual({ acquired: false, owner: 'a', leaseUntil: at(60) });
    expect(await take('b', 60)).toEqual({ acquired: true });
    // A late release by the old holder does not free the new holder's lease.
    await store.releaseJanitorLease({ name: 'test', owner: 'a' });
    expect(await take('c', 61)).toMatchObject({ acquired: false, owner: 'b' });
    await store.releaseJanitorLease({ name: 'test', owner: 'b' });
    expect(await take('c', 62)).toEqual({ acquired: true });
  });

  it('lists running provisions with when they became running and no warning', async () => {
    const provision = await runningProvision(40);
    expect(await candidate(provision.id)).toMatchObject({
      warning: null,
      runningSince: at(40),
      activitySeenAt: null,
    });
    expect(await store.listProvisionRegions()).toContain('cn-hangzhou');
  });

  it('writes a warning with its event and webhook only on the version it read', async () => {
    const provision = await runningProvision(40);
    const input = {
      id: provision.id,
      warning: warning(100),
      warningEventId: 'evt_1',
      event: event('janitor.warned', 'running', 100),
      webhooks: [
        {
          id: newId('whd'),
          tenantId: provision.tenantId,
          provisionId: provision.id,
          url: 'https://hooks.example.com/askp',
          eventType: 'cluster.expiring' as const,
          payload: '{}',
          nextAttemptAt: at(100),
        },
      ],
    };
    expect(await store.recordJanitorWarning({ ...input, expectedVersion: 1 })).toBeNull();
    expect((await candidate(provision.id))?.warning).toBeNull();
    expect(await store.listDeliveries({ provisionId: provision.id })).toEqual([]);

    const warned = await store.recordJanitorWarning({
      ...input,
      expectedVersion: provision.version,
    });
    expect(warned?.version).toBe(provision.version + 1);
    expect((await candidate(provision.id))?.warning).toEqual(warning(100));
    expect(await store.listDeliveries({ provisionId: provision.id })).toHaveLength(1);
    const events = await store.listEvents({ provisionId: provision.id, limit: 10 });
    expect(events.at(-1)?.type).toBe('janitor.warned');

    const cancelEvent = event('janitor.warning_cancelled', 'running', 200);
    expect(
      await store.cancelJanitorWarning({
        id: provision.id,
        expectedVersion: provision.version,
        event: cancelEvent,
      }),
    ).toBeNull();
    expect((await candidate(provision.id))?.warning).not.toBeNull();
    await store.cancelJanitorWarning({
      id: provision.id,
      expectedVersion: warned?.version ?? 0,
      event: cancelEvent,
    });
    expect((await candidate(provision.id))?.warning).toBeNull();
  });

  it('remembers the latest activity seen, never an older one', async () => {
    const provision = await runningProvision(40);
    await store.recordJanitorActivity({ id: provision.id, seenAt: at(500) });
    await store.recordJanitorActivity({ id: provision.id, seenAt: at(300) });
    expect((await candidate(provision.id))?.activitySeenAt).toEqual(at(500));
    // A warning written later keeps the activity it did not know about.
    await store.recordJanitorWarning({
      id: provision.id,
      expectedVersion: provision.version,
      warning: warning(600),
      warningEventId: null,
      event: event('janitor.warned', 'running', 600),
      webhooks: [],
    });
    expect(await candidate(provision.id)).toMatchObject({ activitySeenAt: at(500) });
  });

  it("keeps a tenant's janitor defaults", async () => {
    await store.createTenant({ id: 'tnt_defaults', name: 'd', webhookSecret: 'whsec_x', at: T0 });
    expect(await store.getTenantDefaults('tnt_defaults')).toEqual({
      defaultTtl: null,
      defaultIdleAfter: null,
    });
    const defaults = { defaultTtl: '8h', defaultIdleAfter: '1h' };
    expect(await store.setTenantDefaults({ tenantId: 'tnt_defaults', defaults })).toBe(true);
    expect(await store.getTenantDefaults('tnt_defaults')).toEqual(defaults);
    expect(await store.setTenantDefaults({ tenantId: 'tnt_nobody', defaults })).toBe(false);
  });

  it('reads run reports back newest first, a page at a time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const run = newJanitorRun({
        id: newId('jnr', at(i).getTime()),
        startedAt: at(i),
        mode: 'live',
      });
      await store.startJanitorRun(run);
      run.examined = i;
      run.skipped = { 'keep-label': { count: 1, ids: ['prv_x'] } };
      run.orphans = [
        {
          clusterId: 'c1',
          regionId: 'cn-hangzhou',
          name: 'n',
          provisionId: 'prv_y',
          why: 'w',
          action: 'listed',
        },
      ];
      run.finishedAt = at(i + 1);
      await store.finishJanitorRun(run);
      ids.push(run.id);
    }
    const first = await store.listJanitorRuns({ limit: 2 });
    expect(first.map((run) => run.id)).toEqual([ids[2], ids[1]]);
    expect(first[0]).toMatchObject({ examined: 2, finishedAt: at(3), mode: 'live' });
    expect(first[0]?.skipped).toEqual({ 'keep-label': { count: 1, ids: ['prv_x'] } });
    const rest = await store.listJanitorRuns({ beforeId: ids[1], limit: 2 });
    expect(rest.map((run) => run.id)).toEqual([ids[0]]);
  });
});
