import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterSpecSchema } from '../../shared/domain/cluster-spec.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { NewProvisionEvent, Provision, Transition } from '../../shared/domain/provision.js';
import type { ProvisionState } from '../../shared/domain/provision-state.js';
import { PROVISION_STATES } from '../../shared/domain/provision-state.js';
import { newId } from '../../shared/ids.js';
import type { DatabaseKind } from '../../shared/store/database.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import { initial } from '../../shared/store/migrations/0001_initial.js';
import { MIGRATIONS } from '../../shared/store/migrations/index.js';
import type { Database } from '../../shared/store/schema.js';
import type { NewWebhookDelivery, Store } from '../../shared/store/store.port.js';

/**
 * One suite, two engines: PGlite in memory always, and a real PostgreSQL server when
 * TEST_DATABASE_URL is set. Each PostgreSQL database is a fresh schema (dropped afterwards), so
 * test files running in parallel never see each other's rows.
 */

interface TestDatabase {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /**
   * A second handle on the same database, standing in for another process. PGlite has one
   * connection, so there it is the same handle; on PostgreSQL it is a separate pool.
   */
  other: Kysely<Database>;
  close(): Promise<void>;
}

interface Backend {
  name: string;
  kind: DatabaseKind;
  create(): Promise<TestDatabase>;
}

const pgliteBackend: Backend = {
  name: 'PGlite (memory)',
  kind: 'pglite',
  create: async () => {
    const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
    return { db: opened.db, kind: opened.kind, other: opened.db, close: opened.close };
  },
};

const postgresBackend = (adminUrl: string): Backend => ({
  name: 'PostgreSQL',
  kind: 'postgres',
  create: async () => {
    const admin = await openDatabase({ databaseUrl: adminUrl });
    const schema = `t_${randomBytes(6).toString('hex')}`;
    await sql`create schema ${sql.id(schema)}`.execute(admin.db);
    const url = new URL(adminUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const one = await openDatabase({ databaseUrl: url.toString() });
    const two = await openDatabase({ databaseUrl: url.toString() });
    return {
      db: one.db,
      kind: one.kind,
      other: two.db,
      close: async () => {
        await Promise.all([one.close(), two.close()]);
        await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
        await admin.close();
      },
    };
  },
});

const backends: Backend[] = [pgliteBackend];
const testDatabaseUrl = process.env.TEST_DATABASE_URL;
if (testDatabaseUrl) backends.push(postgresBackend(testDatabaseUrl));

// Fixtures. Every test makes its own tenant, region and provisions, so the tests share one
// database per engine without depending on each other's rows.

const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

const uniqueRegion = (): string => `cn-t${randomBytes(4).toString('hex')}`;

const event = (
  type: string,
  state: ProvisionState,
  seconds: number,
  message = `${type} happened`,
): NewProvisionEvent => ({ type, state, message, source: 'service', at: at(seconds) });

const transitionTo = (to: ProvisionState, seconds: number, patch = {}): Transition => ({
  to,
  patch,
  event: event(`to-${to}`, to, seconds),
});

const webhook = (provision: Provision, seconds: number): NewWebhookDelivery => ({
  id: newId('evt'),
  tenantId: provision.tenantId,
  provisionId: provision.id,
  url: 'https://hooks.example.com/askp',
  eventType: 'cluster.provisioning',
  payload: JSON.stringify({ type: 'cluster.provisioning', id: provision.id }),
  nextAttemptAt: at(seconds),
});

const createProvision = async (
  store: Store,
  input: { tenantId?: string; region?: string; seconds?: number } = {},
): Promise<Provision> => {
  const id = newId('prv');
  const region = input.region ?? uniqueRegion();
  const createdAt = at(input.seconds ?? 0);
  const { provision } = await store.createProvision({
    provision: {
      id,
      tenantId: input.tenantId ?? newId('ten'),
      name: 'demo',
      region,
      spec: clusterSpecSchema.parse({ name: 'demo', region, labels: { team: 'data' } }),
      clusterName: `demo-${id.slice(-10)}`,
      labels: { team: 'data' },
      expiresAt: at(3600),
      createdAt,
    },
    event: {
      type: 'accepted',
      state: 'accepted',
      message: 'accepted',
      source: 'service',
      at: createdAt,
    },
    job: { v: 1, kind: 'create', provisionId: id },
  });
  return provision;
};

const rejection = async (promise: Promise<unknown>): Promise<DomainError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe.each(backends)('Kysely store on $name', (backend) => {
  let database: TestDatabase;
  let store: Store;
  /** The same database through the second handle: "another process". */
  let otherStore: Store;

  beforeAll(async () => {
    database = await backend.create();
    await migrateToLatest(database.db);
    store = createKyselyStore({ db: database.db });
    otherStore = createKyselyStore({ db: database.other });
  });

  afterAll(async () => {
    await database.close();
  });

  it('runs on the engine its URL names', () => {
    expect(database.kind).toBe(backend.kind);
  });

  describe('migrations', () => {
    it('applies every migration once, and nothing on a second run', async () => {
      const fresh = await backend.create();
      try {
        expect(await migrateToLatest(fresh.db)).toEqual(Object.keys(MIGRATIONS));
        expect(await migrateToLatest(fresh.db)).toEqual([]);
      } finally {
        await fresh.close();
      }
    });

    it('lets two processes migrate an empty database at the same time', async () => {
      const fresh = await backend.create();
      try {
        const [first, second] = await Promise.all([
          migrateToLatest(fresh.db),
          migrateToLatest(fresh.other),
        ]);
        expect([...first, ...second]).toEqual(Object.keys(MIGRATIONS));
        const tables = await sql<{ name: string }>`
          select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_name = 'provisions'`.execute(fresh.db);
        expect(tables.rows).toHaveLength(1);
      } finally {
        await fresh.close();
      }
    });

    it('names the migration that failed and leaves the schema as it was', async () => {
      const fresh = await backend.create();
      try {
        const error = await rejection(
          migrateToLatest(fresh.db, {
            migrations: {
              '0001_initial': initial,
              '0002_broken': {
                up: async (db) => {
                  await sql`alter table no_such_table add column x int`.execute(db);
                },
              },
            },
          }),
        );
        expect(error.code).toBe('INTERNAL');
        expect(error.message).toContain('0002_broken');
        // Pending migrations run in one transaction: the good one rolled back with the bad one.
        expect(await migrateToLatest(fresh.db)).toEqual(Object.keys(MIGRATIONS));
      } finally {
        await fresh.close();
      }
    });
  });

  describe('createProvision', () => {
    it('writes the row at version 1, event 1 and an unsent outbox entry', async () => {
      const provision = await createProvision(store, { seconds: 5 });
      expect(provision).toMatchObject({
        state: 'accepted',
        version: 1,
        attempts: 0,
        clusterId: null,
        labels: { team: 'data' },
        createdAt: at(5),
        updatedAt: at(5),
        expiresAt: at(3600),
      });
      expect(provision.createdAt).toBeInstanceOf(Date);
      expect(await store.getProvision({ id: provision.id })).toEqual(provision);

      const events = await store.listEvents({ provisionId: provision.id, limit: 10 });
      expect(events).toEqual([
        {
          provisionId: provision.id,
          sequence: 1,
          type: 'accepted',
          state: 'accepted',
          message: 'accepted',
          source: 'service',
          at: at(5),
        },
      ]);

      const outbox = await store.listUnsentOutbox({ before: at(6), limit: 1000 });
      const mine = outbox.filter((entry) => entry.provisionId === provision.id);
      expect(mine).toEqual([
        {
          id: expect.stringMatching(/^obx_/),
          provisionId: provision.id,
          kind: 'create',
          body: { v: 1, kind: 'create', provisionId: provision.id },
          createdAt: at(5),
          sentAt: null,
          attempts: 0,
          lastAttemptAt: null,
        },
      ]);
    });

    it('returns the outbox id it made with the injected id generator', async () => {
      const custom = createKyselyStore({ db: database.db, newId: (prefix) => newId(`${prefix}x`) });
      const id = newId('prv');
      const region = uniqueRegion();
      const { outboxId } = await custom.createProvision({
        provision: {
          id,
          tenantId: 'ten_custom',
          name: 'demo',
          region,
          spec: clusterSpecSchema.parse({ name: 'demo', region }),
          clusterName: 'demo-x',
          labels: {},
          expiresAt: null,
          createdAt: T0,
        },
        event: event('accepted', 'accepted', 0),
        job: { v: 1, kind: 'create', provisionId: id },
      });
      expect(outboxId).toMatch(/^obxx_/);
      const outbox = await store.listUnsentOutbox({ before: at(1), limit: 1000 });
      expect(outbox.map((entry) => entry.id)).toContain(outboxId);
    });

    it('rejects a duplicate id with CONFLICT and leaves the first provision untouched', async () => {
      const provision = await createProvision(store);
      const error = await rejection(
        store.createProvision({
          provision: {
            id: provision.id,
            tenantId: provision.tenantId,
            name: 'other',
            region: provision.region,
            spec: provision.spec,
            clusterName: 'other',
            labels: {},
            expiresAt: null,
            createdAt: at(1),
          },
          event: event('accepted', 'accepted', 1, 'second'),
          job: { v: 1, kind: 'create', provisionId: provision.id },
        }),
      );
      expect(error.code).toBe('CONFLICT');
      expect(await store.getProvision({ id: provision.id })).toEqual(provision);
      const events = await store.listEvents({ provisionId: provision.id, limit: 10 });
      expect(events.map((e) => e.message)).toEqual(['accepted']);
    });
  });

  describe('getProvision', () => {
    it('returns null for another tenant and for an unknown id', async () => {
      const provision = await createProvision(store, { tenantId: 'ten_owner' });
      expect(await store.getProvision({ id: provision.id, tenantId: 'ten_owner' })).toEqual(
        provision,
      );
      expect(await store.getProvision({ id: provision.id, tenantId: 'ten_intruder' })).toBeNull();
      expect(await store.getProvision({ id: newId('prv') })).toBeNull();
    });
  });

  describe('applyTransition', () => {
    it('with the current version: changes state and patch, bumps version, writes the event', async () => {
      const provision = await createProvision(store);
      const updated = await store.applyTransition({
        id: provision.id,
        expectedVersion: 1,
        transition: transitionTo('provisioning', 10, {
          clusterId: `c${randomBytes(8).toString('hex')}`,
          taskId: 'T-1',
          ackState: 'initial',
          endpoints: { intranet: 'https://10.0.0.1:6443' },
          leaseOwner: null,
        }),
      });
      expect(updated).toMatchObject({
        state: 'provisioning',
        version: 2,
        taskId: 'T-1',
        ackState: 'initial',
        endpoints: { intranet: 'https://10.0.0.1:6443' },
        updatedAt: at(10),
      });
      expect(await store.getProvision({ id: provision.id })).toEqual(updated);
      const events = await store.listEvents({ provisionId: provision.id, limit: 10 });
      expect(events.map((e) => [e.sequence, e.type, e.state])).toEqual([
        [1, 'accepted', 'accepted'],
        [2, 'to-provisioning', 'provisioning'],
      ]);
    });

    it('with a stale version: returns null and writes no state, event or webhook', async () => {
      const provision = await createProvision(store);
      await store.applyTransition({
        id: provision.id,
        expectedVersion: 1,
        transition: transitionTo('provisioning', 10),
      });
      const stale = await store.applyTransition({
        id: provision.id,
        expectedVersion: 1,
        transition: transitionTo('failed', 20),
        webhooks: [webhook(provision, 20)],
      });
      expect(stale).toBeNull();
      expect(await store.getProvision({ id: provision.id })).toMatchObject({
        state: 'provisioning',
        version: 2,
      });
      const events = await store.listEvents({ provisionId: provision.id, limit: 10 });
      expect(events.map((e) => e.type)).toEqual(['accepted', 'to-provisioning']);
      expect(await store.listDeliveries({ provisionId: provision.id })).toEqual([]);
    });

    it('of two concurrent writers naming the same version, exactly one wins', async () => {
      const provision = await createProvision(store);
      const results = await Promise.all([
        store.applyTransition({
          id: provision.id,
          expectedVersion: 1,
          transition: transitionTo('provisioning', 10),
          webhooks: [webhook(provision, 10)],
        }),
        otherStore.applyTransition({
          id: provision.id,
          expectedVersion: 1,
          transition: transitionTo('cancelled', 10),
          webhooks: [webhook(provision, 10)],
        }),
      ]);
      const winners = results.filter((result) => result !== null);
      expect(winners).toHaveLength(1);
      const winner = winners[0];
      const current = await store.getProvision({ id: provision.id });
      expect(current).toEqual(winner);
      expect(current?.version).toBe(2);
      const events = await store.listEvents({ provisionId: provision.id, limit: 10 });
      expect(events.map((e) => e.sequence)).toEqual([1, 2]);
      expect(events[1]?.state).toBe(current?.state);
      expect(await store.listDeliveries({ provisionId: provision.id })).toHaveLength(1);
    });

    it('writes its webhook deliveries with the transition', async () => {
      const provision = await createProvision(store);
      const hooks = [
        webhook(provision, 10),
        { ...webhook(provision, 10), url: 'https://b.example' },
      ];
      await store.applyTransition({
        id: provision.id,
        expectedVersion: 1,
        transition: transitionTo('provisioning', 10),
        webhooks: hooks,
      });
      const deliveries = await store.listDeliveries({ provisionId: provision.id });
      expect(deliveries).toHaveLength(2);
      expect(deliveries.map((d) => d.id).sort()).toEqual(hooks.map((h) => h.id).sort());
      expect(deliveries[0]).toMatchObject({
        tenantId: provision.tenantId,
        eventType: 'cluster.provisioning',
        attempts: 0,
        lastStatus: null,
        deliveredAt: null,
        abandonedAt: null,
        createdAt: at(10),
        nextAttemptAt: at(10),
      });
    });

    it('rolls the state change back when a webhook cannot be written', async () => {
      const provision = await createProvision(store);
      const first = webhook(provision, 10);
      await store.applyTransition({
        id: provision.id,
        expectedVersion: 1,
        transition: transitionTo('provisioning', 10),
        webhooks: [first],
      });
      // Reusing a delivery id makes the insert fail after the state update already ran.
      const error = await rejection(
        store.applyTransition({
          id: provision.id,
          expectedVersion: 2,
          transition: transitionTo('running', 20),
          webhooks: [first],
        }),
      );
      expect(error.code).toBe('CONFLICT');
      expect(await store.getProvision({ id: provision.id })).toMatchObject({
        state: 'provisioning',
        version: 2,
      });
      const events = await store.listEvents({ provisionId: provision.id, limit: 10 });
      expect(events.map((e) => e.state)).toEqual(['accepted', 'provisioning']);
    });

    it('accepts every state of the domain (the CHECK constraint is in step)', async () => {
      const provision = await createProvision(store);
      let version = provision.version;
      for (const [index, state] of PROVISION_STATES.entries()) {
        const updated = await store.applyTransition({
          id: provision.id,
          expectedVersion: version,
          transition: transitionTo(state, index),
        });
        expect(updated?.state).toBe(state);
        version = updated?.version ?? Number.NaN;
      }
    });

    it('refuses to give one ACK cluster id to two provisions', async () => {
      const clusterId = `c${randomBytes(8).toString('hex')}`;
      const first = await createProvision(store);
      const second = await createProvision(store);
      await store.applyTransition({
        id: first.id,
        expectedVersion: 1,
        transition: transitionTo('provisioning', 1, { clusterId }),
      });
      const error = await rejection(
        store.applyTransition({
          id: second.id,
          expectedVersion: 1,
          transition: transitionTo('provisioning', 1, { clusterId }),
        }),
      );
      expect(error.code).toBe('CONFLICT');
      expect(await store.getProvision({ id: second.id })).toMatchObject({
        state: 'accepted',
        clusterId: null,
      });
    });
  });

  describe('updateProvision', () => {
    it('patches without changing the state; null clears; stale versions are refused', async () => {
      const provision = await createProvision(store);
      const leased = await store.updateProvision({
        id: provision.id,
        expectedVersion: 1,
        patch: { leaseOwner: 'worker-1', leaseUntil: at(60), attempts: 1, createPendingAt: at(1) },
        at: at(1),
      });
      expect(leased).toMatchObject({
        state: 'accepted',
        version: 2,
        leaseOwner: 'worker-1',
        leaseUntil: at(60),
        attempts: 1,
        createPendingAt: at(1),
        updatedAt: at(1),
      });
      expect(leased?.leaseUntil).toBeInstanceOf(Date);

      const stale = await otherStore.updateProvision({
        id: provision.id,
        expectedVersion: 1,
        patch: { leaseOwner: 'worker-2' },
      });
      expect(stale).toBeNull();

      const released = await store.updateProvision({
        id: provision.id,
        expectedVersion: 2,
        patch: { leaseOwner: null, leaseUntil: null, error: { code: 'X', message: 'boom' } },
        event: event('lease-released', 'accepted', 2),
      });
      expect(released).toMatchObject({
        version: 3,
        leaseOwner: null,
        leaseUntil: null,
        attempts: 1,
        error: { code: 'X', message: 'boom' },
        updatedAt: at(2),
      });
      const events = await store.listEvents({ provisionId: provision.id, limit: 10 });
      expect(events.map((e) => [e.sequence, e.type])).toEqual([
        [1, 'accepted'],
        [2, 'lease-released'],
      ]);
    });

    it('stamps updatedAt from the database clock when the caller gives no time', async () => {
      const provision = await createProvision(store);
      const updated = await store.updateProvision({
        id: provision.id,
        expectedVersion: 1,
        patch: { ackState: 'initial' },
      });
      expect(updated?.updatedAt).toBeInstanceOf(Date);
      expect(updated?.updatedAt).not.toEqual(provision.updatedAt);
    });
  });

  describe('listProvisions', () => {
    it('filters by states and region and pages in id order with an afterId cursor', async () => {
      const region = uniqueRegion();
      const made: Provision[] = [];
      for (let i = 0; i < 5; i += 1) made.push(await createProvision(store, { region }));
      await createProvision(store); // another region
      const [first, second, , fourth] = made;
      if (!first || !second || !fourth) throw new Error('fixtures missing');
      await store.applyTransition({
        id: second.id,
        expectedVersion: 1,
        transition: transitionTo('provisioning', 1),
      });
      await store.applyTransition({
        id: fourth.id,
        expectedVersion: 1,
        transition: transitionTo('failed', 1),
      });
      const ids = made.map((p) => p.id).sort();

      const all = await store.listProvisions({
        states: ['accepted', 'provisioning', 'failed'],
        region,
        limit: 100,
      });
      expect(all.map((p) => p.id)).toEqual(ids);

      const accepted = await store.listProvisions({ states: ['accepted'], region, limit: 100 });
      expect(accepted.map((p) => p.id)).toEqual(
        ids.filter((id) => id !== second.id && id !== fourth.id),
      );

      const page1 = await store.listProvisions({ states: PROVISION_STATES, region, limit: 2 });
      const page2 = await store.listProvisions({
        states: PROVISION_STATES,
        region,
        limit: 2,
        afterId: page1.at(-1)?.id ?? '',
      });
      const page3 = await store.listProvisions({
        states: PROVISION_STATES,
        region,
        limit: 2,
        afterId: page2.at(-1)?.id ?? '',
      });
      expect([...page1, ...page2, ...page3].map((p) => p.id)).toEqual(ids);
      expect(page3).toHaveLength(1);

      expect(await store.listProvisions({ states: [], region, limit: 100 })).toEqual([]);
    });

    it('lists one tenant only when asked', async () => {
      const region = uniqueRegion();
      const mine = await createProvision(store, { region, tenantId: 'ten_list_a' });
      await createProvision(store, { region, tenantId: 'ten_list_b' });
      const listed = await store.listProvisions({
        states: PROVISION_STATES,
        region,
        tenantId: 'ten_list_a',
        limit: 100,
      });
      expect(listed.map((p) => p.id)).toEqual([mine.id]);
    });
  });

  describe('events', () => {
    it('come back in order with consecutive sequences, after a cursor, up to a limit', async () => {
      const provision = await createProvision(store);
      for (let i = 1; i <= 4; i += 1) {
        await store.appendEvent({
          provisionId: provision.id,
          event: { ...event(`step-${i}`, 'accepted', i), source: 'ack' },
        });
      }
      const all = await store.listEvents({ provisionId: provision.id, limit: 100 });
      expect(all.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(all[1]).toMatchObject({ type: 'step-1', source: 'ack', at: at(1) });
      const after = await store.listEvents({
        provisionId: provision.id,
        afterSequence: 2,
        limit: 2,
      });
      expect(after.map((e) => e.type)).toEqual(['step-2', 'step-3']);
    });

    it('skips an append that repeats the last event, but not an older one', async () => {
      const provision = await createProvision(store);
      const step = event('ack-step', 'accepted', 1, 'creating the control plane');
      await store.appendEvent({ provisionId: provision.id, event: step });
      await store.appendEvent({ provisionId: provision.id, event: { ...step, at: at(2) } });
      await store.appendEvent({
        provisionId: provision.id,
        event: event('ack-step', 'accepted', 3, 'done'),
      });
      await store.appendEvent({ provisionId: provision.id, event: { ...step, at: at(4) } });
      const events = await store.listEvents({ provisionId: provision.id, limit: 100 });
      expect(events.map((e) => [e.sequence, e.message])).toEqual([
        [1, 'accepted'],
        [2, 'creating the control plane'],
        [3, 'done'],
        [4, 'creating the control plane'],
      ]);
    });

    it('numbers concurrent appends and transitions without gaps or clashes', async () => {
      const provision = await createProvision(store);
      await Promise.all([
        ...[1, 2, 3].map((i) =>
          store.appendEvent({ provisionId: provision.id, event: event(`a-${i}`, 'accepted', i) }),
        ),
        ...[4, 5, 6].map((i) =>
          otherStore.appendEvent({
            provisionId: provision.id,
            event: event(`b-${i}`, 'accepted', i),
          }),
        ),
        store.applyTransition({
          id: provision.id,
          expectedVersion: 1,
          transition: transitionTo('provisioning', 7),
        }),
      ]);
      const events = await store.listEvents({ provisionId: provision.id, limit: 100 });
      expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('refuses an event for a provision that does not exist', async () => {
      const error = await rejection(
        store.appendEvent({ provisionId: newId('prv'), event: event('x', 'accepted', 1) }),
      );
      expect(error.code).toBe('NOT_FOUND');
    });
  });

  describe('outbox', () => {
    const mineOf = async (provisionId: string, before: Date) =>
      (await store.listUnsentOutbox({ before, limit: 1000 })).filter(
        (entry) => entry.provisionId === provisionId,
      );

    it('lists unsent entries older than the cutoff; attempts push them back; sent ones leave', async () => {
      const provision = await createProvision(store, { seconds: 100 });
      expect(await mineOf(provision.id, at(100))).toEqual([]);
      const [entry] = await mineOf(provision.id, at(101));
      if (!entry) throw new Error('outbox entry missing');

      await store.recordOutboxAttempt({ id: entry.id, at: at(200) });
      expect(await mineOf(provision.id, at(101))).toEqual([]);
      expect(await mineOf(provision.id, at(201))).toEqual([
        { ...entry, attempts: 1, lastAttemptAt: at(200) },
      ]);

      await store.markOutboxSent({ id: entry.id, at: at(210) });
      await store.markOutboxSent({ id: entry.id, at: at(999) });
      expect(await mineOf(provision.id, at(10_000))).toEqual([]);
      const row = await database.db
        .selectFrom('outbox')
        .select('sent_at')
        .where('id', '=', entry.id)
        .executeTakeFirstOrThrow();
      expect(row.sent_at).toEqual(at(210));
    });
  });

  describe('webhook deliveries', () => {
    const withDelivery = async (seconds: number) => {
      const provision = await createProvision(store);
      const hook = webhook(provision, seconds);
      await store.applyTransition({
        id: provision.id,
        expectedVersion: 1,
        transition: transitionTo('provisioning', seconds),
        webhooks: [hook],
      });
      return { provision, hook };
    };
    const dueIds = async (now: Date) =>
      (await store.listDueDeliveries({ now, limit: 1000 })).map((delivery) => delivery.id);

    it('are due once next_attempt_at has come', async () => {
      const { hook } = await withDelivery(50);
      expect(await dueIds(at(49))).not.toContain(hook.id);
      expect(await dueIds(at(50))).toContain(hook.id);
    });

    it('are claimed by exactly one of several concurrent senders', async () => {
      const { hook } = await withDelivery(10);
      const claims = await Promise.all(
        [store, otherStore, store, otherStore, store].map((s) =>
          s.claimDelivery({ id: hook.id, now: at(20), leaseUntil: at(80) }),
        ),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await dueIds(at(79))).not.toContain(hook.id);
      expect(await dueIds(at(80))).toContain(hook.id);
    });

    it('record a retry: attempts, status, error cut to 500 characters, next attempt', async () => {
      const { provision, hook } = await withDelivery(10);
      await store.recordDeliveryAttempt({
        id: hook.id,
        at: at(11),
        status: 503,
        error: 'x'.repeat(2000),
        outcome: 'retry',
        nextAttemptAt: at(70),
      });
      const [delivery] = await store.listDeliveries({ provisionId: provision.id });
      expect(delivery).toMatchObject({
        attempts: 1,
        lastStatus: 503,
        nextAttemptAt: at(70),
        deliveredAt: null,
        abandonedAt: null,
      });
      expect(delivery?.lastError).toHaveLength(500);
      expect(await dueIds(at(69))).not.toContain(hook.id);
      expect(await dueIds(at(70))).toContain(hook.id);
    });

    it('record a delivery: no longer due, no longer claimable', async () => {
      const { provision, hook } = await withDelivery(10);
      await store.recordDeliveryAttempt({
        id: hook.id,
        at: at(11),
        status: 204,
        error: null,
        outcome: 'delivered',
        nextAttemptAt: null,
      });
      const [delivery] = await store.listDeliveries({ provisionId: provision.id });
      expect(delivery).toMatchObject({ attempts: 1, lastStatus: 204, deliveredAt: at(11) });
      expect(await dueIds(at(10_000))).not.toContain(hook.id);
      expect(
        await store.claimDelivery({ id: hook.id, now: at(10_000), leaseUntil: at(10_060) }),
      ).toBe(false);
    });

    it('record an abandonment: kept in the log, never due again', async () => {
      const { provision, hook } = await withDelivery(10);
      await store.recordDeliveryAttempt({
        id: hook.id,
        at: at(12),
        status: 410,
        error: 'gone',
        outcome: 'abandoned',
        nextAttemptAt: null,
      });
      const [delivery] = await store.listDeliveries({ provisionId: provision.id });
      expect(delivery).toMatchObject({
        attempts: 1,
        lastStatus: 410,
        lastError: 'gone',
        abandonedAt: at(12),
      });
      expect(await dueIds(at(10_000))).not.toContain(hook.id);
    });

    it('refuse a retry without a next attempt time', async () => {
      const { hook } = await withDelivery(10);
      const error = await rejection(
        store.recordDeliveryAttempt({
          id: hook.id,
          at: at(11),
          status: 500,
          error: null,
          outcome: 'retry',
          nextAttemptAt: null,
        }),
      );
      expect(error.code).toBe('INTERNAL');
    });
  });

  describe('tenants and API keys', () => {
    it('creates and reads a tenant; a second create with the same id is a CONFLICT', async () => {
      const id = newId('ten');
      const tenant = await store.createTenant({
        id,
        name: 'Acme',
        webhookSecret: 'whsec_abc',
        at: T0,
      });
      expect(tenant).toEqual({
        id,
        name: 'Acme',
        webhookSecret: 'whsec_abc',
        previousWebhookSecret: null,
        previousSecretExpiresAt: null,
        createdAt: T0,
      });
      expect(await store.getTenant(id)).toEqual(tenant);
      expect(await store.getTenant(newId('ten'))).toBeNull();
      const error = await rejection(
        store.createTenant({ id, name: 'Again', webhookSecret: 'whsec_zzz', at: T0 }),
      );
      expect(error.code).toBe('CONFLICT');
      expect(error.message).not.toContain('whsec_zzz');
    });

    it('puts an API key once: a second put with the same id keeps the first', async () => {
      const tenantId = newId('ten');
      await store.createTenant({ id: tenantId, name: 'Keys', webhookSecret: 'whsec_k', at: T0 });
      const record = {
        id: newId('key'),
        tenantId,
        secretHash: 'a'.repeat(64),
        scopes: ['clusters:write', 'kubeconfig:read'],
        expiresAt: at(86_400),
        revokedAt: null,
        createdAt: T0,
        name: null,
        lastUsedAt: null,
      };
      await store.putApiKey(record);
      await store.putApiKey({ ...record, secretHash: 'b'.repeat(64), scopes: [] });
      expect(await store.getApiKey(record.id)).toEqual(record);
      expect(await store.getApiKey(newId('key'))).toBeNull();
    });
  });
});
