import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AckEmulator, startAckEmulator } from '../../emulator/ack/ack-emulator.js';
import { type MnsEmulator, startMnsEmulator } from '../../emulator/mns/mns-emulator.js';
import { type ApiApp, createApiApp } from '../../shared/app/api-app.js';
import { loadConfig } from '../../shared/config.js';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { generateApiKey, hashSecret } from '../../shared/http/api-key.js';
import { newId } from '../../shared/ids.js';
import { createLogger } from '../../shared/logger.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import type { Database } from '../../shared/store/schema.js';
import type { Store } from '../../shared/store/store.port.js';
import { type ApiCall, type ApiReply, fcEvent, inProcessApi } from '../support/api-client.js';
import { manualClock } from '../support/api-stack.js';

/**
 * Property-based fuzzing of the API function, called in-process through its FC3 HTTP event with
 * PGlite in memory and a real MNS emulator: thousands of malformed methods, paths, headers,
 * query strings and bodies. Whatever comes in: never a 5xx, every error is problem+json, every
 * reply has x-request-id, and a rejected request writes no provision row (nor changes one) and
 * sends no queue message. Seeds are fixed, so every run is the same run.
 */
const KEY = { accessKeyId: 'LTAI5tApiFuzz', accessKeySecret: 'api-fuzz-secret' };
const TENANT = 'tnt_fuzz';

// A fixed number of runs, not a time limit: on a loaded 2-core machine 2,000 requests can
// outlast the default 60 s.
describe('the API under fuzzing', { timeout: 300_000 }, () => {
  let mns: MnsEmulator;
  /** A create is checked against what ACK offers, so the API needs ACK too. */
  let ack: AckEmulator;
  let store: Store;
  let db: Kysely<Database>;
  let app: ApiApp;
  let api: ReturnType<typeof inProcessApi>;
  let fullKey: string;
  let readKey: string;
  const ids: string[] = [];
  /** How often each status and code came back: the fuzzing must reach past the first checks. */
  const seen = new Map<string, number>();

  const keyFor = async (scopes: string[]): Promise<string> => {
    const generated = generateApiKey();
    await store.putApiKey({
      id: generated.id,
      tenantId: TENANT,
      secretHash: hashSecret(generated.secret),
      scopes,
      expiresAt: null,
      revokedAt: null,
      createdAt: new Date(),
      name: null,
      lastUsedAt: null,
    });
    return generated.key;
  };

  /**
   * Every provision row as id:version:state (any write bumps the version), the number of events
   * and outbox entries, and the messages the queue has taken. One SQL query, straight on the
   * database: cheap enough to run around every request.
   */
  const writes = async (): Promise<string> => {
    const { rows } = await sql<{ snapshot: string }>`
      select concat_ws('|',
        (select string_agg(id || ':' || version || ':' || state, ',' order by id) from provisions),
        (select count(*) from provision_events),
        (select count(*) from outbox)) as snapshot`.execute(db);
    return `${rows[0]?.snapshot}|${mns.stats().SendMessage ?? 0}`;
  };

  const check = (reply: ApiReply, what: string): void => {
    expect(reply.status, what).toBeLessThan(500);
    expect(reply.headers['x-request-id'], what).toBeTruthy();
    if (reply.status >= 400) {
      expect(reply.headers['content-type'], what).toBe('application/problem+json');
      const problem = JSON.parse(reply.body);
      expect(problem, what).toMatchObject({
        type: expect.stringMatching(/^https:\/\/ask-provisioner\.dev\/problems\/[a-z-]+$/),
        title: expect.any(String),
        status: reply.status,
        detail: expect.any(String),
        code: expect.stringMatching(/^[A-Z_]+$/),
      });
    } else if (reply.status === 204) {
      // An OPTIONS reply: no body, so no content type.
      expect(reply.body, what).toBe('');
    } else {
      expect(reply.headers['content-type'], what).toBe('application/json');
    }
  };

  /** Sends one request and checks the properties; a rejected request must have written nothing. */
  const probe = async (call: ApiCall, base64: boolean): Promise<void> => {
    const before = await writes();
    const reply = await api.send(fcEvent(call, { base64 }));
    const code = reply.status >= 400 ? JSON.parse(reply.body).code : 'ok';
    seen.set(`${reply.status} ${code}`, (seen.get(`${reply.status} ${code}`) ?? 0) + 1);
    const what = `${call.method} ${call.path} ${JSON.stringify(call.query)} → ${reply.status} ${reply.body.slice(0, 200)}`;
    check(reply, what);
    if (reply.status >= 400) expect(await writes(), what).toBe(before);
  };

  beforeAll(async () => {
    mns = await startMnsEmulator({ ...KEY, queues: ['provision-jobs'] });
    ack = await startAckEmulator(KEY);
    const config = loadConfig({
      ASKP_ACK_ENDPOINT: ack.endpoint,
      ASKP_ACK_PROTOCOL: 'http',
      ASKP_VPC_ENDPOINT: ack.endpoint,
      DATABASE_URL: 'pglite://memory',
      ALIBABA_CLOUD_ACCESS_KEY_ID: KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEY.accessKeySecret,
      ASKP_MNS_ENDPOINT: mns.url,
      ASKP_MNS_ACCOUNT_ID: '1000000000000001',
      ASKP_MAX_BODY_BYTES: '4096',
      ASKP_RATE_LIMIT_PER_SECOND: '100000',
      ASKP_RATE_LIMIT_BURST: '1000000',
      // The fuzzer sends thousands of bad keys from one address; throttling them is tested apart.
      ASKP_AUTH_FAILURE_BURST: '1000000',
      ASKP_LOG_LEVEL: 'error',
    });
    const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
    await migrateToLatest(opened.db);
    db = opened.db;
    store = createKyselyStore({ db, close: opened.close });
    app = await createApiApp(config, {
      store,
      clock: manualClock(new Date('2031-03-01T00:00:00Z')),
      logger: createLogger({ level: 'error', write: () => {} }),
    });
    api = inProcessApi(async () => app);
    await store.createTenant({
      id: TENANT,
      name: 'fuzz',
      webhookSecret: 'whsec_fuzz',
      at: new Date(),
    });
    fullKey = await keyFor(['admin']);
    readKey = await keyFor(['clusters:read']);
    for (const protect of [false, true]) {
      const id = newId('prv');
      ids.push(id);
      const spec = createClusterRequestSchema.parse({
        name: 'fuzz',
        region: 'cn-hangzhou',
        deletionProtection: protect,
      });
      await store.createProvision({
        provision: {
          id,
          tenantId: TENANT,
          name: 'fuzz',
          region: 'cn-hangzhou',
          spec,
          clusterName: `fuzz-${id.slice(-10)}`,
          labels: {},
          expiresAt: null,
          createdAt: new Date(),
        },
        event: { type: 'a', state: 'accepted', message: 'a', source: 'service', at: new Date() },
        job: { v: 1, kind: 'create', provisionId: id },
      });
    }
  });

  afterAll(async () => {
    await store?.close();
    await mns?.close();
    await ack?.close();
  });

  // Arbitraries. Each mixes near-misses of valid input with plain garbage.
  const idArb = () =>
    fc.oneof(
      fc.constantFrom(...ids, 'prv_00000000000000000000000000', '0123456789abcdef'),
      fc.string({ maxLength: 40 }),
      fc.stringMatching(/^prv_[0-9a-z]{18,34}$/),
      fc.constantFrom('%', '%E0%A4%A', '..', '%2F', '\u0000', '😀', ' '),
    );

  const pathArb = () =>
    fc.oneof(
      { weight: 4, arbitrary: idArb().map((id) => `/v1/clusters/${id}`) },
      { weight: 2, arbitrary: idArb().map((id) => `/v1/clusters/${id}/events`) },
      { weight: 1, arbitrary: idArb().map((id) => `/v1/admin/api-keys/${id}:revoke`) },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          '/v1/clusters',
          '/v1/clusters/',
          '/v1/clusters:preflight',
          '/v1/admin/tenants',
          '/v1/admin/api-keys',
          '/healthz',
          '/openapi.json',
          '/',
          '',
          '/v2/clusters',
          '//v1//clusters',
        ),
      },
      { weight: 1, arbitrary: fc.webPath() },
      { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((text) => `/${text}`) },
    );

  const methodArb = () =>
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE') },
      { weight: 1, arbitrary: fc.constantFrom('PUT', 'HEAD', 'OPTIONS', 'get', 'TRACE') },
      { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
    );

  const authArb = () =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constant('full') },
      { weight: 1, arbitrary: fc.constant('read') },
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
      {
        weight: 1,
        arbitrary: fc
          .stringMatching(/^askp_[0-9a-z]{8,32}_[A-Za-z0-9_-]{32,64}$/)
          .map((key) => `Bearer ${key}`),
      },
    );

  const contentTypeArb = () =>
    fc.oneof(
      {
        weight: 6,
        arbitrary: fc.constantFrom('application/json', 'application/merge-patch+json'),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'text/plain',
          'application/json; charset=utf-8',
          'application/x-www-form-urlencoded',
          'application/jsonx',
          '',
        ),
      },
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    );

  const idempotencyKeyArb = () =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: fc.uuid().map((uuid) => `"${uuid}"`) },
      { weight: 1, arbitrary: fc.constantFrom('"fuzz-1"', 'fuzz-1', '"fuzz-2"') },
      { weight: 2, arbitrary: fc.string({ maxLength: 300 }) },
      { weight: 1, arbitrary: fc.string({ maxLength: 300 }).map((text) => `"${text}"`) },
    );

  const valueArb = () =>
    fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom('', '-bad', 'x\u0000', '\ud800', 'aliyun:x', '1h', '15m', '99999d'),
      fc.constant(null),
    );

  const createBodyArb = () =>
    fc
      .record(
        {
          name: fc.oneof(fc.constantFrom('fuzz', 'a-b', '-x', ''), valueArb()),
          region: fc.oneof(fc.constantFrom('cn-hangzhou', 'cn-', 'CN-HANGZHOU'), valueArb()),
          network: fc.oneof(
            fc.constant('auto'),
            fc.record({ vpcId: valueArb(), vswitchIds: fc.array(valueArb(), { maxLength: 3 }) }),
            valueArb(),
          ),
          labels: fc.oneof(
            fc.dictionary(fc.string({ maxLength: 8 }), valueArb(), { maxKeys: 4 }),
            valueArb(),
          ),
          ttl: valueArb(),
          deletionProtection: fc.oneof(fc.boolean(), valueArb()),
          addons: fc.oneof(
            fc.array(fc.record({ name: valueArb(), config: valueArb() }), { maxLength: 2 }),
            valueArb(),
          ),
          webhook: fc.oneof(fc.record({ url: fc.oneof(fc.webUrl(), valueArb()) }), valueArb()),
          extra: valueArb(),
        },
        { requiredKeys: [] },
      )
      .map((body) => JSON.stringify(body));

  const patchBodyArb = () =>
    fc
      .record(
        {
          name: valueArb(),
          deletionProtection: fc.oneof(fc.boolean(), valueArb()),
          ttl: valueArb(),
          expiresAt: fc.oneof(
            fc.date().map((date) => (Number.isNaN(date.getTime()) ? 'x' : date.toISOString())),
            valueArb(),
          ),
          labels: fc.oneof(
            fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
            valueArb(),
          ),
          tenantId: valueArb(),
          scopes: fc.oneof(
            fc.array(fc.constantFrom('clusters:read', 'admin', 'root'), { maxLength: 5 }),
            valueArb(),
          ),
        },
        { requiredKeys: [] },
      )
      .map((body) => JSON.stringify(body));

  const labelsArb = () =>
    fc.dictionary(
      fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
      fc.stringMatching(/^[a-z0-9]{0,8}$/),
      { maxKeys: 3 },
    );

  /** Bodies that pass validation, so the fuzzing reaches the use cases and the store. */
  const validBodyArb = () =>
    fc.oneof(
      fc
        .record(
          {
            name: fc.constantFrom('fuzz', 'fuzz-2'),
            region: fc.constant('cn-hangzhou'),
            labels: labelsArb(),
            ttl: fc.constantFrom('1h', '2d'),
            deletionProtection: fc.boolean(),
          },
          { requiredKeys: ['name', 'region'] },
        )
        .map((body) => JSON.stringify(body)),
      fc
        .record(
          {
            labels: labelsArb(),
            deletionProtection: fc.boolean(),
            ttl: fc.constantFrom('1h', '30d'),
          },
          { requiredKeys: [] },
        )
        .map((body) => JSON.stringify(body)),
      fc.constantFrom(
        JSON.stringify({ name: 'fuzz tenant' }),
        JSON.stringify({ tenantId: TENANT, scopes: ['clusters:read'] }),
      ),
    );

  const bodyArb = () =>
    fc.oneof(
      { weight: 3, arbitrary: validBodyArb() },
      { weight: 3, arbitrary: createBodyArb() },
      { weight: 3, arbitrary: patchBodyArb() },
      { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
      { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '',
          '{',
          '[]',
          'null',
          '{"name":"x"}{',
          `${'['.repeat(200)}${']'.repeat(200)}`,
        ),
      },
      { weight: 1, arbitrary: fc.string({ minLength: 4000, maxLength: 5000 }) },
    );

  const queryArb = () =>
    fc.dictionary(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('state', 'label', 'limit', 'cursor', 'tenantId') },
        { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
      ),
      fc.oneof(
        fc.constantFrom(
          'running',
          'accepted,cancelled',
          'a=b',
          'env=prod,team=x',
          '1',
          '100',
          '0',
          '101',
          'tnt_fuzz',
        ),
        fc.string({ maxLength: 30 }),
        fc.base64String({ maxLength: 40 }),
      ),
      { maxKeys: 3 },
    );

  /** The operations the API has, with an id (valid or not) where the path takes one. */
  const routedArb = () =>
    fc
      .constantFrom(
        ['GET', '/v1/clusters'],
        ['POST', '/v1/clusters'],
        ['GET', '/v1/clusters/{id}'],
        ['PATCH', '/v1/clusters/{id}'],
        ['DELETE', '/v1/clusters/{id}'],
        ['GET', '/v1/clusters/{id}/events'],
        ['POST', '/v1/admin/tenants'],
        ['POST', '/v1/admin/api-keys'],
        ['GET', '/v1/admin/api-keys'],
        ['POST', '/v1/admin/api-keys/{id}:revoke'],
        ['GET', '/healthz'],
      )
      .chain(([method, template]) =>
        idArb().map((id) => ({ method, path: template.replace('{id}', id) })),
      );

  const requestLineArb = () =>
    fc.oneof(
      { weight: 3, arbitrary: routedArb() },
      { weight: 1, arbitrary: fc.record({ method: methodArb(), path: pathArb() }) },
    );

  const requestArb = () =>
    fc.record({
      line: requestLineArb(),
      auth: authArb(),
      contentType: contentTypeArb(),
      idempotencyKey: idempotencyKeyArb(),
      extraHeaders: fc.dictionary(
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.string({ maxLength: 20 }),
        { maxKeys: 2 },
      ),
      query: fc.oneof(
        { weight: 3, arbitrary: fc.constant({}) },
        { weight: 1, arbitrary: queryArb() },
      ),
      body: bodyArb(),
      base64: fc.boolean(),
    });

  const toCall = (input: {
    line: { method: string; path: string };
    auth: string | undefined;
    contentType: string | undefined;
    idempotencyKey: string | undefined;
    extraHeaders: Record<string, string>;
    query: Record<string, string>;
    body: string;
  }): ApiCall => {
    const headers: Record<string, string> = { ...input.extraHeaders };
    if (input.auth === 'full') headers.authorization = `Bearer ${fullKey}`;
    else if (input.auth === 'read') headers.authorization = `Bearer ${readKey}`;
    else if (input.auth !== undefined) headers.authorization = input.auth;
    if (input.contentType !== undefined) headers['content-type'] = input.contentType;
    if (input.idempotencyKey !== undefined) headers['idempotency-key'] = input.idempotencyKey;
    return { ...input.line, headers, query: input.query, body: input.body };
  };

  it('never fails on its own, whatever the request', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb(), async (input) => probe(toCall(input), input.base64)),
      { seed: 20_240_601, numRuns: 2000, endOnFailure: true },
    );
  });

  it('rejects malformed bodies on the writing endpoints without writing', async () => {
    const writing = fc.record({
      line: fc.constantFrom(
        { method: 'POST', path: '/v1/clusters' },
        { method: 'PATCH', path: `/v1/clusters/${ids[0]}` },
        { method: 'PATCH', path: `/v1/clusters/${ids[1]}` },
        { method: 'POST', path: '/v1/admin/api-keys' },
        { method: 'POST', path: '/v1/admin/tenants' },
      ),
      body: bodyArb(),
      contentType: fc.constantFrom('application/json', 'application/merge-patch+json'),
      idempotencyKey: idempotencyKeyArb(),
    });
    await fc.assert(
      fc.asyncProperty(writing, async (input) =>
        probe(toCall({ ...input, auth: 'full', extraHeaders: {}, query: {} }), false),
      ),
      { seed: 7, numRuns: 1500, endOnFailure: true },
    );
  });

  it('got past every gate: the runs above met each kind of answer', () => {
    const statuses = new Set([...seen.keys()].map((key) => Number(key.split(' ')[0])));
    for (const status of [200, 202, 400, 401, 403, 404, 405, 409, 413, 415, 422]) {
      expect(statuses, `no run was answered with ${status}`).toContain(status);
    }
  });
});
