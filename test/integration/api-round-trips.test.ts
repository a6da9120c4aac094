import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AckEmulator, startAckEmulator } from '../../emulator/ack/ack-emulator.js';
import { type MnsEmulator, startMnsEmulator } from '../../emulator/mns/mns-emulator.js';
import { issueApiKey } from '../../shared/access/issue-api-key.js';
import { createApiApp } from '../../shared/app/api-app.js';
import { loadConfig } from '../../shared/config.js';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { newId } from '../../shared/ids.js';
import { lazy } from '../../shared/lazy.js';
import { createLogger } from '../../shared/logger.js';
import { decodeJob } from '../../shared/queue/job-codec.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import type { Database } from '../../shared/store/schema.js';
import type { Store } from '../../shared/store/store.port.js';
import { type ApiCaller, inProcessApi } from '../support/api-client.js';
import { manualClock } from '../support/api-stack.js';
import { StatementCounter } from '../support/statement-counter.js';

/**
 * The hot path of a warm read: once an API instance has seen a key, an authenticated
 * `GET /v1/clusters/{id}` costs one database round trip (the read). The key comes from the
 * instance's key cache and the rate-limit token from its copy of the bucket, written behind.
 * A create (`POST /v1/clusters`, no quota, no Idempotency-Key) writes everything in one
 * statement, the tenant's defaults and quota kept by the instance (read by its first create);
 * the outbox entry's "sent" mark follows behind the answer. A Kysely plugin counts every statement the store sends. Against PostgreSQL when
 * TEST_DATABASE_URL is set (a fresh schema, dropped after), PGlite otherwise. It counts the
 * statements the database answered (`answered`), so the warm read, compiled once and sent many
 * times, counts once per round trip.
 */
const ENV = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI-test-id',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'test-secret',
  ASKP_MNS_ENDPOINT: 'http://127.0.0.1:9',
  ASKP_MNS_ACCOUNT_ID: '1',
  ASKP_LOG_LEVEL: 'error',
  // The write-behind must not fall inside a measured request: the test flushes it itself.
  ASKP_RATE_LIMIT_SYNC_MS: '10000',
  ASKP_API_KEY_CACHE_SECONDS: '5',
};

describe('the hot path of an authenticated read, and of a create', () => {
  const counter = new StatementCounter();
  let ack: AckEmulator;
  let mns: MnsEmulator;
  let store: Store;
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let tenantId: string;
  let provisionId: string;

  beforeAll(async () => {
    ack = await startAckEmulator({
      accessKeyId: ENV.ALIBABA_CLOUD_ACCESS_KEY_ID,
      accessKeySecret: ENV.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
    });
    mns = await startMnsEmulator({
      accessKeyId: ENV.ALIBABA_CLOUD_ACCESS_KEY_ID,
      accessKeySecret: ENV.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
      queues: ['provision-jobs'],
    });
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (adminUrl) {
      const admin = await openDatabase({ databaseUrl: adminUrl });
      const schema = `t_${randomBytes(6).toString('hex')}`;
      await sql`create schema ${sql.id(schema)}`.execute(admin.db);
      const url = new URL(adminUrl);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const opened = await openDatabase({ databaseUrl: url.toString() });
      await migrateToLatest(opened.db);
      db = opened.db;
      store = createKyselyStore({ db: opened.db.withPlugin(counter) });
      close = async () => {
        await opened.close();
        await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
        await admin.close();
      };
    } else {
      const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
      await migrateToLatest(opened.db);
      db = opened.db;
      store = createKyselyStore({ db: opened.db.withPlugin(counter) });
      close = opened.close;
    }
    tenantId = newId('ten');
    await store.createTenant({
      id: tenantId,
      name: 'reads',
      webhookSecret: 'whsec_r',
      at: new Date(),
    });
    provisionId = newId('prv');
    await store.createProvision({
      provision: {
        id: provisionId,
        tenantId,
        name: 'hot',
        region: 'cn-hangzhou',
        spec: createClusterRequestSchema.parse({ name: 'hot', region: 'cn-hangzhou' }),
        clusterName: `hot-${provisionId.slice(-10)}`,
        labels: {},
        expiresAt: null,
        createdAt: new Date(),
      },
      event: {
        type: 'provision.accepted',
        state: 'accepted',
        message: 'inserted by a test',
        source: 'service',
        at: new Date(),
      },
      job: { v: 1, kind: 'create', provisionId },
    });
  });

  afterAll(async () => {
    await close();
    await ack?.close();
    await mns?.close();
  });

  const newKey = async (
    scopes: ('clusters:read' | 'clusters:write')[] = ['clusters:read'],
  ): Promise<{ id: string; key: string }> => {
    const issued = await issueApiKey(
      { store, clock: { now: () => new Date() } },
      { tenantId, scopes },
    );
    return { id: issued.record.id, key: issued.key };
  };

  const instance = (clock = manualClock(new Date())) => {
    const app = lazy(() =>
      createApiApp(
        loadConfig({
          ...ENV,
          ASKP_ACK_ENDPOINT: ack.endpoint,
          ASKP_VPC_ENDPOINT: ack.endpoint,
          ASKP_ACK_PROTOCOL: 'http',
          ASKP_MNS_ENDPOINT: mns.url,
        }),
        {
          store,
          clock,
          logger: createLogger({ level: 'error', write: () => {} }),
        },
      ),
    );
    return { api: inProcessApi(app).call, app, clock };
  };

  const statementsOf = async (call: () => ReturnType<ApiCaller>) => {
    counter.answered = 0;
    const reply = await call();
    return { reply, statements: counter.answered };
  };

  it('costs one statement once the instance has seen the key, and writes the spent tokens behind', async () => {
    const { key, id } = await newKey();
    const { api, app } = instance();
    const read = () => api({ method: 'GET', path: `/v1/clusters/${provisionId}`, key });
    // Cold: the key, the shared bucket (one statement that also records the key's use), and the
    // read (the provision joined with its creation progress and janitor mark).
    const cold = await statementsOf(read);
    expect(cold.reply.status).toBe(200);
    expect(cold.statements).toBe(3);
    for (let i = 0; i < 3; i += 1) {
      const warm = await statementsOf(read);
      expect(warm.reply.status).toBe(200);
      expect(JSON.parse(warm.reply.body)).toMatchObject({ id: provisionId });
      expect(warm.statements).toBe(1);
    }
    // The four spent tokens reach the shared bucket in one statement, behind the requests.
    counter.answered = 0;
    await (await app()).rateLimiter.flush();
    expect(counter.answered).toBe(1);
    const bucket = await db
      .selectFrom('rate_limit_buckets')
      .select('tokens')
      .where('bucket', '=', `key:${id}`)
      .executeTakeFirstOrThrow();
    // A fresh bucket of 40, four tokens spent (the clock stood still: nothing refilled).
    expect(Number(bucket.tokens)).toBe(36);
    const used = await db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(used.last_used_at).toBeInstanceOf(Date);
  });

  it('creates in one writing statement, the outbox mark written behind the answer', async () => {
    const { key } = await newKey(['clusters:read', 'clusters:write']);
    const { api, app } = instance();
    const create = (name: string) =>
      api({ method: 'POST', path: '/v1/clusters', key, json: { name, region: 'cn-hangzhou' } });
    // The first create reads the key, the bucket and the tenant's defaults and quota, and fills
    // the instance's ACK catalog.
    expect((await create('first')).status).toBe(202);
    await (await app()).outboxMarks.flush();
    // The "sent" mark is held back: the create answers without waiting for it.
    let release = () => {};
    counter.holdOutboxMarks = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { reply, statements } = await statementsOf(() => create('second')).finally(() => {
      counter.holdOutboxMarks = undefined;
    });
    release();
    expect(reply.status).toBe(202);
    // Answered before the reply: the provision + event + outbox entry + audit record in one
    // statement. The job reached the queue first.
    expect(statements).toBe(1);
    const { id } = JSON.parse(reply.body) as { id: string };
    const sent = mns.peekAll('provision-jobs').map((message) => decodeJob(message.body));
    expect(sent).toContainEqual({ v: 1, kind: 'create', provisionId: id });
    // The "sent" mark, held back until now: one statement, answered behind the reply.
    counter.answered = 0;
    await (await app()).outboxMarks.flush();
    expect(counter.answered).toBe(1);
    const outbox = await db
      .selectFrom('outbox')
      .select(['sent_at'])
      .where('provision_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(outbox.sent_at).toBeInstanceOf(Date);
    const audit = await db
      .selectFrom('audit_records')
      .select(['action', 'target', 'tenant_id'])
      .where('target', '=', `cluster:${id}`)
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({
      action: 'cluster.create',
      target: `cluster:${id}`,
      tenant_id: tenantId,
    });
    const events = await db
      .selectFrom('provision_events')
      .select('type')
      .where('provision_id', '=', id)
      .execute();
    expect(events).toEqual([{ type: 'provision.accepted' }]);
  });

  it("applies a tenant's quota set on another instance within the cache time, and at once on its own", async () => {
    const { key } = await newKey(['clusters:read', 'clusters:write']);
    const creator = instance();
    const create = (name: string) =>
      creator.api({
        method: 'POST',
        path: '/v1/clusters',
        key,
        json: { name, region: 'cn-hangzhou' },
      });
    expect((await create('before-quota')).status).toBe(202);
    // Set elsewhere (another instance, the CLI): this instance still creates on what it read…
    await store.setTenantQuota({
      tenantId,
      quota: { maxClusters: 0, maxMonthlyCost: null },
      at: new Date(),
    });
    expect((await create('within-cache-time')).status).toBe(202);
    creator.clock.advance(4_999);
    expect((await create('still-within')).status).toBe(202);
    // …until ASKP_API_KEY_CACHE_SECONDS have passed since it read the tenant's settings.
    creator.clock.advance(1);
    const refused = await create('past-cache-time');
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'TENANT_QUOTA_EXCEEDED' });

    // Lifted through the instance, with an admin key: its next create applies it at once.
    const admin = await issueApiKey(
      { store, clock: { now: () => new Date() } },
      { tenantId, scopes: ['admin'] },
    );
    const lifted = await creator.api({
      method: 'PUT',
      path: `/v1/admin/tenants/${tenantId}/quota`,
      key: admin.key,
      json: { maxClusters: null, maxMonthlyCost: null },
    });
    expect(lifted.status).toBe(200);
    expect((await create('after-lift')).status).toBe(202);
  });

  it('stops a key revoked on another instance within the cache time, and at once on its own', async () => {
    const { key, id } = await newKey();
    const reader = instance();
    const read = () => reader.api({ method: 'GET', path: `/v1/clusters/${provisionId}`, key });
    expect((await read()).status).toBe(200);
    // Revoked elsewhere (another instance, the CLI): this instance still trusts what it read…
    await store.revokeApiKey({ id, at: new Date() });
    expect((await read()).status).toBe(200);
    reader.clock.advance(4_999);
    expect((await read()).status).toBe(200);
    // …until ASKP_API_KEY_CACHE_SECONDS have passed since it read the key.
    reader.clock.advance(1);
    expect((await read()).status).toBe(401);

    // Revoked through an instance: that instance refuses the key on its next request.
    const other = await newKey();
    const admin = await issueApiKey(
      { store, clock: { now: () => new Date() } },
      { tenantId, scopes: ['admin'] },
    );
    const own = instance();
    const readOther = () =>
      own.api({ method: 'GET', path: `/v1/clusters/${provisionId}`, key: other.key });
    expect((await readOther()).status).toBe(200);
    const revoked = await own.api({
      method: 'POST',
      path: `/v1/admin/api-keys/${other.id}:revoke`,
      key: admin.key,
    });
    expect(revoked.status).toBe(200);
    expect((await readOther()).status).toBe(401);
  });
});
