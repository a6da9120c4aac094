import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { Provision } from '../../shared/domain/provision.js';
import { PROVISION_STATES } from '../../shared/domain/provision-state.js';
import { newId } from '../../shared/ids.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import type { IdempotencyClaim, Store, StoredResponse } from '../../shared/store/store.port.js';

/**
 * The store methods the REST API added: idempotency records, rate-limit buckets, transitions
 * that carry a job, settings changes, label filters and API key management. PGlite always;
 * a real PostgreSQL server too when TEST_DATABASE_URL is set (a fresh schema, dropped after).
 */
interface Backend {
  name: string;
  open(): Promise<{ stores: [Store, Store]; close(): Promise<void> }>;
}

const pglite: Backend = {
  name: 'PGlite (memory)',
  open: async () => {
    const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
    await migrateToLatest(opened.db);
    const store = createKyselyStore({ db: opened.db });
    return { stores: [store, store], close: opened.close };
  },
};

const postgres = (adminUrl: string): Backend => ({
  name: 'PostgreSQL',
  open: async () => {
    const admin = await openDatabase({ databaseUrl: adminUrl });
    const schema = `t_${randomBytes(6).toString('hex')}`;
    await sql`create schema ${sql.id(schema)}`.execute(admin.db);
    const url = new URL(adminUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const one = await openDatabase({ databaseUrl: url.toString() });
    const two = await openDatabase({ databaseUrl: url.toString() });
    await migrateToLatest(one.db);
    return {
      stores: [createKyselyStore({ db: one.db }), createKyselyStore({ db: two.db })],
      close: async () => {
        await Promise.all([one.close(), two.close()]);
        await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
        await admin.close();
      },
    };
  },
});

const backends: Backend[] = [pglite];
if (process.env.TEST_DATABASE_URL) backends.push(postgres(process.env.TEST_DATABASE_URL));

const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

const tenant = (): string => `tnt_${randomBytes(5).toString('hex')}`;

const provisionIn = async (
  store: Store,
  input: { tenantId: string; labels?: Record<string, string> },
): Promise<Provision> => {
  const id = newId('prv', T0.getTime());
  const labels = input.labels ?? {};
  const { provision } = await store.createProvision({
    provision: {
      id,
      tenantId: input.tenantId,
      name: 'demo',
      region: 'cn-hangzhou',
      spec: createClusterRequestSchema.parse({ name: 'demo', region: 'cn-hangzhou', labels }),
      clusterName: `demo-${id.slice(-10)}`,
      labels,
      expiresAt: null,
      createdAt: T0,
    },
    event: {
      type: 'provision.accepted',
      state: 'accepted',
      message: 'accepted',
      source: 'service',
      at: T0,
    },
    job: { v: 1, kind: 'create', provisionId: id },
  });
  return provision;
};

const response = (status: number, body: string): StoredResponse => ({
  status,
  headers: { 'content-type': 'application/json', location: '/x' },
  body,
});

const begin = (store: Store, claim: IdempotencyClaim, fingerprint: string, seconds: number) =>
  store.beginIdempotentRequest({
    claim,
    fingerprint,
    now: at(seconds),
    lockedUntil: at(seconds + 60),
    expiresAt: at(seconds + 86_400),
  });

const allOf = (store: Store, tenantId: string) =>
  store.listProvisions({ states: PROVISION_STATES, tenantId, limit: 1000 });

describe.each(backends)('API store methods on $name', (backend) => {
  let store: Store;
  let other: Store;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const opened = await backend.open();
    [store, other] = opened.stores;
    close = opened.close;
  });

  afterAll(async () => {
    await close?.();
  });

  describe('idempotency keys', () => {
    it('lets exactly one of many racing requests start, the others see it in flight', async () => {
      const tenantId = tenant();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          begin(index % 2 ? other : store, { tenantId, key: 'k1', owner: `o${index}` }, 'f', 0),
        ),
      );
      expect(results.filter((result) => result.outcome === 'started')).toHaveLength(1);
      expect(results.filter((result) => result.outcome === 'in-flight')).toHaveLength(19);
    });

    it('replays the stored response, refuses another fingerprint, and scopes keys per tenant', async () => {
      const tenantId = tenant();
      const claim = { tenantId, key: 'k2', owner: 'first' };
      expect(await begin(store, claim, 'f', 0)).toEqual({ outcome: 'started' });
      expect(
        await store.completeIdempotentRequest({ claim, response: response(202, '{"a":1}') }),
      ).toBe(true);
      // Completing twice changes nothing.
      expect(await store.completeIdempotentRequest({ claim, response: response(500, 'x') })).toBe(
        false,
      );
      expect(await begin(store, { ...claim, owner: 'second' }, 'f', 1)).toEqual({
        outcome: 'replay',
        response: response(202, '{"a":1}'),
      });
      expect(await begin(store, { ...claim, owner: 'third' }, 'other', 1)).toEqual({
        outcome: 'mismatch',
      });
      expect(await begin(store, { ...claim, tenantId: tenant(), owner: 'x' }, 'other', 1)).toEqual({
        outcome: 'started',
      });
    });

    it('treats an expired key as new, and takes over a dead request only for the same body', async () => {
      const tenantId = tenant();
      const done = { tenantId, key: 'k3', owner: 'a' };
      await begin(store, done, 'f', 0);
      await store.completeIdempotentRequest({ claim: done, response: response(202, 'old') });
      expect(await begin(store, { ...done, owner: 'b' }, 'g', 86_400)).toEqual({
        outcome: 'started',
      });

      const dead = { tenantId, key: 'k4', owner: 'died' };
      await begin(store, dead, 'f', 0);
      expect(await begin(store, { ...dead, owner: 'early' }, 'f', 30)).toEqual({
        outcome: 'in-flight',
      });
      expect(await begin(store, { ...dead, owner: 'other-body' }, 'g', 61)).toEqual({
        outcome: 'mismatch',
      });
      expect(await begin(store, { ...dead, owner: 'retry' }, 'f', 61)).toEqual({
        outcome: 'started',
      });
      // The dead request's late completion cannot overwrite the new holder's claim.
      expect(
        await store.completeIdempotentRequest({ claim: dead, response: response(202, 'x') }),
      ).toBe(false);
    });

    it('keeps a live request’s key by heartbeat, frees a dead one’s after its short lock', async () => {
      const claim = { tenantId: tenant(), key: 'k6', owner: 'alive' };
      await begin(store, claim, 'f', 0);
      // The live request renews before its lock (60 s from `begin` here) runs out.
      expect(await store.renewIdempotencyClaim({ claim, lockedUntil: at(100) })).toBe(true);
      expect(await begin(store, { ...claim, owner: 'retry' }, 'f', 61)).toEqual({
        outcome: 'in-flight',
      });
      // It stopped renewing (died): the next request takes the key over once the lock passed.
      expect(await begin(store, { ...claim, owner: 'retry' }, 'f', 101)).toEqual({
        outcome: 'started',
      });
      // The dead holder's late heartbeat changes nothing.
      expect(await store.renewIdempotencyClaim({ claim, lockedUntil: at(500) })).toBe(false);
    });

    it('releases a claim so that a retry starts again', async () => {
      const claim = { tenantId: tenant(), key: 'k5', owner: 'a' };
      await begin(store, claim, 'f', 0);
      await store.releaseIdempotentRequest(claim);
      expect(await begin(store, { ...claim, owner: 'b' }, 'f', 1)).toEqual({ outcome: 'started' });
    });

    it('deletes expired records only', async () => {
      const tenantId = tenant();
      await begin(store, { tenantId, key: 'old', owner: 'a' }, 'f', -90_000);
      await begin(store, { tenantId, key: 'new', owner: 'a' }, 'f', 0);
      expect(
        await store.deleteExpiredIdempotencyKeys({ now: at(1), limit: 1000 }),
      ).toBeGreaterThanOrEqual(1);
      expect(await begin(store, { tenantId, key: 'new', owner: 'b' }, 'f', 2)).toEqual({
        outcome: 'in-flight',
      });
    });

    it('completes the key in the transaction that inserts the provision, or writes neither', async () => {
      const tenantId = tenant();
      const claim = { tenantId, key: 'k6', owner: 'mine' };
      await begin(store, claim, 'f', 0);
      const id = newId('prv', T0.getTime());
      const input = {
        provision: {
          id,
          tenantId,
          name: 'demo',
          region: 'cn-hangzhou',
          spec: createClusterRequestSchema.parse({ name: 'demo', region: 'cn-hangzhou' }),
          clusterName: `demo-${id.slice(-10)}`,
          labels: {},
          expiresAt: null,
          createdAt: T0,
        },
        event: {
          type: 'provision.accepted',
          state: 'accepted' as const,
          message: 'accepted',
          source: 'service' as const,
          at: T0,
        },
        job: { v: 1 as const, kind: 'create' as const, provisionId: id },
      };
      // Someone else holds the key now: the insert must roll back.
      const stolen = { ...claim, owner: 'thief' };
      await expect(
        store.createProvision({
          ...input,
          idempotency: { claim: stolen, respond: (p) => response(202, p.id) },
        }),
      ).rejects.toMatchObject({ code: 'IDEMPOTENCY_IN_FLIGHT' });
      expect(await store.getProvision({ id })).toBeNull();

      const { provision } = await store.createProvision({
        ...input,
        idempotency: { claim, respond: (p) => response(202, `{"id":"${p.id}"}`) },
      });
      expect(await begin(store, { ...claim, owner: 'retry' }, 'f', 1)).toEqual({
        outcome: 'replay',
        response: response(202, `{"id":"${provision.id}"}`),
      });
    });
  });

  describe('rate-limit buckets', () => {
    it('allows a burst, then refills at the rate', async () => {
      const bucket = `key:${randomBytes(4).toString('hex')}`;
      const take = (seconds: number) =>
        store.takeRateLimitToken({ bucket, now: at(seconds), perSecond: 2, burst: 3 });
      expect((await take(0)).remaining).toBe(2);
      expect((await take(0)).allowed).toBe(true);
      expect((await take(0)).allowed).toBe(true);
      const refused = await take(0);
      expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 500 });
      expect((await take(0.5)).allowed).toBe(true);
      expect((await take(0.5)).allowed).toBe(false);
      // Never more than the burst, however long the key was idle.
      const later = await take(3600);
      expect(later).toMatchObject({ allowed: true, remaining: 2 });
      // A clock that steps back refills nothing.
      await take(3600);
      await take(3600);
      expect((await take(3000)).allowed).toBe(false);
    });

    it('hands out exactly the burst to racing instances', async () => {
      const bucket = `key:${randomBytes(4).toString('hex')}`;
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          (index % 2 ? other : store).takeRateLimitToken({
            bucket,
            now: at(0),
            perSecond: 1,
            burst: 10,
          }),
        ),
      );
      expect(results.filter((result) => result.allowed)).toHaveLength(10);
    });
  });

  describe('provisions', () => {
    it('moves to deleting and writes the delete job in one transaction, or does neither', async () => {
      const provision = await provisionIn(store, { tenantId: tenant() });
      const moved = await store.applyTransition({
        id: provision.id,
        expectedVersion: provision.version,
        transition: {
          to: 'failed',
          patch: { error: { code: 'X', message: 'x' } },
          event: { type: 't', state: 'failed', message: 'failed', source: 'service', at: at(1) },
        },
      });
      if (!moved) throw new Error('transition failed');
      const transition = {
        to: 'deleting' as const,
        patch: {},
        event: {
          type: 'api.delete_requested',
          state: 'deleting' as const,
          message: 'm',
          source: 'service' as const,
          at: at(2),
        },
      };
      const job = { v: 1 as const, kind: 'delete' as const, provisionId: provision.id };
      expect(
        await store.applyTransitionWithJob({
          id: provision.id,
          expectedVersion: provision.version,
          transition,
          job,
        }),
      ).toBeNull();
      const unsentBefore = await store.listUnsentOutbox({ before: at(10_000), limit: 10_000 });
      expect(
        unsentBefore.filter(
          (entry) => entry.body.kind === 'delete' && entry.provisionId === provision.id,
        ),
      ).toEqual([]);

      const result = await store.applyTransitionWithJob({
        id: provision.id,
        expectedVersion: moved.version,
        transition,
        job,
      });
      expect(result?.provision.state).toBe('deleting');
      const unsent = await store.listUnsentOutbox({ before: at(10_000), limit: 10_000 });
      const entry = unsent.find((item) => item.id === result?.outboxId);
      expect(entry?.body).toEqual(job);
      const events = await store.listEvents({ provisionId: provision.id, limit: 10 });
      expect(events.map((item) => item.state)).toEqual(['accepted', 'failed', 'deleting']);
    });

    it('changes the settings with compare-and-set and records the event', async () => {
      const provision = await provisionIn(store, { tenantId: tenant(), labels: { a: '1' } });
      const settings = {
        name: 'renamed',
        labels: { b: '2' },
        expiresAt: at(7200),
        spec: { ...provision.spec, name: 'renamed', labels: { b: '2' }, deletionProtection: true },
      };
      const event = {
        type: 'provision.updated',
        state: 'accepted' as const,
        message: 'changed name',
        source: 'service' as const,
        at: at(5),
      };
      const updated = await store.updateProvisionSettings({
        id: provision.id,
        expectedVersion: provision.version,
        settings,
        event,
      });
      expect(updated).toMatchObject({
        name: 'renamed',
        labels: { b: '2' },
        expiresAt: at(7200),
        version: provision.version + 1,
        updatedAt: at(5),
      });
      expect(updated?.spec.deletionProtection).toBe(true);
      expect(updated?.clusterName).toBe(provision.clusterName);
      expect(
        await store.updateProvisionSettings({
          id: provision.id,
          expectedVersion: provision.version,
          settings,
          event,
        }),
      ).toBeNull();
    });

    it('filters a tenant’s provisions by every label given', async () => {
      const tenantId = tenant();
      const both = await provisionIn(store, { tenantId, labels: { env: 'prod', team: 'a' } });
      await provisionIn(store, { tenantId, labels: { env: 'prod', team: 'b' } });
      await provisionIn(store, { tenantId, labels: { env: 'dev', team: 'a' } });
      await provisionIn(store, { tenantId: tenant(), labels: { env: 'prod', team: 'a' } });
      const listed = await store.listProvisions({
        states: PROVISION_STATES,
        tenantId,
        labels: { env: 'prod', team: 'a' },
        limit: 100,
      });
      expect(listed.map((item) => item.id)).toEqual([both.id]);
      expect(
        await store.listProvisions({ states: PROVISION_STATES, tenantId, labels: {}, limit: 100 }),
      ).toHaveLength(3);
      expect(await allOf(store, tenantId)).toHaveLength(3);
    });
  });

  describe('API keys', () => {
    it('lists keys by tenant in id order and revokes once', async () => {
      const tenantId = tenant();
      await store.createTenant({ id: tenantId, name: 'x', webhookSecret: 'whsec_x', at: T0 });
      const ids = ['aaaaaaaa0001', 'aaaaaaaa0002', 'aaaaaaaa0003'].map(
        (prefix) => `${prefix}${randomBytes(2).toString('hex')}`,
      );
      for (const id of ids) {
        await store.putApiKey({
          id,
          tenantId,
          secretHash: 'ab'.repeat(32),
          scopes: ['clusters:read'],
          expiresAt: null,
          revokedAt: null,
          createdAt: T0,
          name: null,
          lastUsedAt: null,
        });
      }
      const page = await store.listApiKeys({ tenantId, limit: 2 });
      expect(page.map((key) => key.id)).toEqual(ids.slice(0, 2));
      const rest = await store.listApiKeys({ tenantId, afterId: ids[1], limit: 2 });
      expect(rest.map((key) => key.id)).toEqual(ids.slice(2));
      const first = await store.revokeApiKey({ id: ids[0] ?? '', at: at(10) });
      expect(first?.revokedAt).toEqual(at(10));
      const again = await store.revokeApiKey({ id: ids[0] ?? '', at: at(20) });
      expect(again?.revokedAt).toEqual(at(10));
      expect(await store.revokeApiKey({ id: 'nosuchkey000', at: at(20) })).toBeNull();
    });
  });

  describe('tenant limits', () => {
    const spec = createClusterRequestSchema.parse({ name: 'demo', region: 'cn-hangzhou' });
    const admitAtMost =
      (max: number) =>
      (held: readonly unknown[]): void => {
        if (held.length + 1 > max) throw new DomainError('TENANT_QUOTA_EXCEEDED', 'full');
      };
    const racer = (target: Store, tenantId: string, index: number) => {
      const id = newId('prv', T0.getTime() + index);
      return target.createProvision({
        provision: {
          id,
          tenantId,
          name: 'demo',
          region: 'cn-hangzhou',
          spec,
          clusterName: `demo-${id.slice(-10)}`,
          labels: {},
          expiresAt: null,
          createdAt: T0,
        },
        event: {
          type: 'provision.accepted',
          state: 'accepted',
          message: 'accepted',
          source: 'service',
          at: T0,
        },
        job: { v: 1, kind: 'create', provisionId: id },
        admit: admitAtMost(3),
      });
    };

    it('admits exactly 3 of 20 creates racing on two connections against a limit of 3', async () => {
      const tenantId = tenant();
      await store.createTenant({ id: tenantId, name: 'racer', webhookSecret: 'whsec_x', at: T0 });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, index) => racer(index % 2 ? other : store, tenantId, index)),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(3);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toMatchObject({ code: 'TENANT_QUOTA_EXCEEDED' });
        }
      }
      expect(await allOf(store, tenantId)).toHaveLength(3);
      expect(await store.heldClusterSpecs(tenantId)).toHaveLength(3);
    });

    it('stores networks and a quota per tenant, replacing the whole value, and knows no stranger', async () => {
      const tenantId = tenant();
      await store.createTenant({ id: tenantId, name: 'limits', webhookSecret: 'whsec_x', at: T0 });
      const network = { region: 'cn-hangzhou', vpcId: 'vpc-aaaa', vswitchIds: ['vsw-b', 'vsw-a'] };
      expect(await store.getTenantNetworks(tenantId)).toEqual([]);
      expect(await store.setTenantNetworks({ tenantId, networks: [network] })).toBe(true);
      expect(await other.getTenantNetworks(tenantId)).toEqual([network]);
      expect(await store.setTenantNetworks({ tenantId, networks: [] })).toBe(true);
      expect(await store.getTenantNetworks(tenantId)).toEqual([]);
      expect(await store.getTenantQuota(tenantId)).toEqual({
        maxClusters: null,
        maxMonthlyCost: null,
      });
      const quota = { maxClusters: 2, maxMonthlyCost: 99.5 };
      expect(await store.setTenantQuota({ tenantId, quota, at: T0 })).toBe(true);
      expect(await other.getTenantQuota(tenantId)).toEqual(quota);
      const stranger = tenant();
      expect(await store.setTenantNetworks({ tenantId: stranger, networks: [network] })).toBe(
        false,
      );
      expect(await store.setTenantQuota({ tenantId: stranger, quota, at: T0 })).toBe(false);
      expect(await store.getTenantNetworks(stranger)).toEqual([]);
    });
  });
});
