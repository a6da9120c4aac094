import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { bootstrapAdmin } from '../shared/access/bootstrap-admin.js';
import { systemClock } from '../shared/clock.js';
import { openDatabase } from '../shared/store/database.js';
import { createKyselyStore } from '../shared/store/kysely-store.js';
import { migrateToLatest } from '../shared/store/migrate.js';

/**
 * The cold start of a first answered request: a fresh `node` imports the built api bundle,
 * builds its app and answers `GET /v1/clusters` (200) against PostgreSQL, measured from spawn to
 * exit. Two ways to open the store: `migrate` (what every cold start did before: the migration
 * lock and Kysely's bookkeeping, on a database already current) and `check` (now: one read of the
 * applied migrations). Baseline: a bare `node` in the same run. Needs PostgreSQL
 * (BENCH_DATABASE_URL or TEST_DATABASE_URL; a fresh schema, dropped after).
 */
const RUNS = 7;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

const timeNode = (args: string[], env: Record<string, string> = {}): number => {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  if (result.status !== 0) {
    throw new Error(`node failed (${result.status}): ${result.stderr.toString().slice(0, 500)}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
};

/** The child: import the bundle, answer one request, exit (the pg pool would keep it alive). */
const childScript = (bundle: string, schema: 'migrate' | 'require-current'): string => `
const { createHandler } = await import(${JSON.stringify(bundle)});
const handler = createHandler(process.env, { schema: ${JSON.stringify(schema)} });
const event = Buffer.from(JSON.stringify({
  version: 'v1', rawPath: '/v1/clusters', headers: { authorization: 'Bearer ' + process.env.BENCH_KEY },
  queryParameters: {}, body: '', isBase64Encoded: false,
  requestContext: { requestId: 'bench', http: { method: 'GET', path: '/v1/clusters', sourceIp: '127.0.0.1' } },
}));
const reply = await handler(event, {});
process.exit(reply.statusCode === 200 ? 0 : 3);
`;

const benchFirstRequest = async (): Promise<string[]> => {
  const adminUrl =
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/test';
  const title = 'first answered request of a cold api instance (GET /v1/clusters, PostgreSQL)';
  let admin: Awaited<ReturnType<typeof openDatabase>>;
  try {
    admin = await openDatabase({ databaseUrl: adminUrl, connectTimeoutMs: 5000 });
    await sql`select 1`.execute(admin.db);
  } catch {
    return [`${title}: skipped, no PostgreSQL at BENCH_DATABASE_URL / TEST_DATABASE_URL`];
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  try {
    const url = new URL(adminUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const databaseUrl = url.toString();
    const opened = await openDatabase({ databaseUrl });
    await migrateToLatest(opened.db);
    const { key } = await bootstrapAdmin(
      { store: createKyselyStore({ db: opened.db }), clock: systemClock },
      { tenantName: 'bench', anotherKey: false },
    );
    await opened.close();
    const env = {
      DATABASE_URL: databaseUrl,
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'bench',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'bench',
      ASKP_MNS_ENDPOINT: 'http://127.0.0.1:9',
      ASKP_MNS_ACCOUNT_ID: '1',
      ASKP_LOG_LEVEL: 'error',
      BENCH_KEY: key,
    };
    const bundle = pathToFileURL(join('dist', 'api', 'index.mjs')).href;
    const run = (mode: 'migrate' | 'require-current') => () =>
      timeNode(['--input-type=module', '-e', childScript(bundle, mode)], env);
    const baseline = median(Array.from({ length: RUNS }, () => timeNode(['-e', ''])));
    // Interleaved, so that machine load drifts over both alike.
    const migrate: number[] = [];
    const check: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      migrate.push(run('migrate')());
      check.push(run('require-current')());
    }
    const m = median(migrate);
    const c = median(check);
    return [
      `${title} (median of ${RUNS}, baseline: bare node ${baseline.toFixed(0)} ms)`,
      `  migrating at cold start (before) ${m.toFixed(0).padStart(5)} ms  ${(m / baseline).toFixed(2)}x baseline`,
      `  schema check only (now)          ${c.toFixed(0).padStart(5)} ms  ${(c / baseline).toFixed(2)}x baseline, ${(c / m).toFixed(2)}x before`,
    ];
  } finally {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin.db);
    await admin.close();
  }
};

export { benchFirstRequest };
