import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKmsEmulator } from '../../emulator/kms/kms-emulator.js';
import { type MnsEmulator, startMnsEmulator } from '../../emulator/mns/mns-emulator.js';
import { bundleAll } from '../../scripts/bundle.js';
import { type OpenedDatabase, openDatabase } from '../../shared/store/database.js';
import { type ApiReply, fcEvent, problemOf } from '../support/api-client.js';
import { runAskp } from '../support/run-askp.js';

/**
 * A deployment from scratch, as docs/deploy.md walks it: the built bundles (what `s deploy`
 * uploads) against a PostgreSQL database nobody migrated answer 503 naming `askp admin migrate`,
 * and timer ticks do nothing; the real `askp` binary then migrates and bootstraps, and the very
 * same handler instances answer 200 with the printed key — no redeploy, no restart.
 */
const adminUrl = process.env.TEST_DATABASE_URL;
if (!adminUrl) {
  process.stdout.write(
    'deploy-from-scratch: skipped, TEST_DATABASE_URL is not set (the bundles ship PostgreSQL only)\n',
  );
}

type Handler = (event: Buffer, context: object) => Promise<unknown>;
interface BundleModule {
  createHandler: (env: Record<string, string>) => Handler;
}

const ACCESS_KEY_ID = 'LTAI5tDeployTest';
const ACCESS_KEY_SECRET = 'deploy-test-secret';

describe.skipIf(!adminUrl)('a deployment from an empty database', () => {
  let outRoot: string;
  let admin: OpenedDatabase;
  let schema: string;
  let databaseUrl: string;
  let mns: MnsEmulator;
  let env: Record<string, string>;

  const load = async (name: string): Promise<Handler> => {
    const module = (await import(
      pathToFileURL(join(outRoot, name, 'index.mjs')).href
    )) as BundleModule;
    return module.createHandler(env);
  };

  const call = async (handler: Handler, path: string, key?: string): Promise<ApiReply> => {
    const reply = (await handler(
      fcEvent({ method: 'GET', path, ...(key ? { key } : {}) }),
      {},
    )) as { statusCode: number; headers: Record<string, string>; body: string };
    return {
      status: reply.statusCode,
      headers: Object.fromEntries(
        Object.entries(reply.headers).map(([name, value]) => [name.toLowerCase(), value]),
      ),
      body: reply.body,
    };
  };

  const tick = (name: string): Buffer =>
    Buffer.from(
      JSON.stringify({ triggerTime: new Date().toISOString(), triggerName: name, payload: '{}' }),
    );

  beforeAll(async () => {
    outRoot = await mkdtemp(join(tmpdir(), 'askp-deploy-'));
    await bundleAll(outRoot);
    admin = await openDatabase({ databaseUrl: adminUrl });
    schema = `deploy_${randomBytes(6).toString('hex')}`;
    await sql`create schema ${sql.id(schema)}`.execute(admin.db);
    const url = new URL(adminUrl ?? '');
    url.searchParams.set('options', `-c search_path=${schema}`);
    databaseUrl = url.toString();
    mns = await startMnsEmulator({
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
    });
    env = {
      DATABASE_URL: databaseUrl,
      ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET,
      ASKP_MNS_ENDPOINT: mns.url,
      ASKP_MNS_ACCOUNT_ID: '1000000000000001',
      // No ACK is needed by what this test asks; a closed port makes any call fail fast.
      ASKP_ACK_ENDPOINT: '127.0.0.1:9',
      ASKP_ACK_PROTOCOL: 'http',
      ASKP_VPC_ENDPOINT: '127.0.0.1:9',
      ASKP_LOG_LEVEL: 'error',
    };
  }, 180_000);

  afterAll(async () => {
    await mns?.close();
    if (admin) {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin.db);
      await admin.close();
    }
    await rm(outRoot, { recursive: true, force: true });
  });

  it('answers 503 naming askp admin migrate, then 200 with the key askp admin bootstrap printed', async () => {
    const api = await load('api');
    const poller = await load('poller');
    const janitor = await load('janitor');

    const before = await call(
      api,
      '/v1/clusters',
      'askp_0123456789abcdef_notakeyyetnotakeyyetnotakeyyet00',
    );
    expect(before.status).toBe(503);
    expect(before.headers['content-type']).toContain('application/problem+json');
    const problem = problemOf(before);
    expect(problem.code).toBe('SCHEMA_OUTDATED');
    expect(problem.detail).toContain('askp admin migrate');
    // Timer ticks log the same and do nothing (no throw: Function Compute would only retry).
    await expect(poller(tick('every-minute'), {})).resolves.toMatchObject({
      outcome: 'skipped',
      reason: 'schema-outdated',
    });
    await expect(janitor(tick('every-15-minutes'), {})).resolves.toMatchObject({
      outcome: 'skipped',
      reason: 'schema-outdated',
    });
    // The functions did not migrate: the schema is still empty.
    const { rows } = await sql<{
      count: string;
    }>`select count(*)::text as count from information_schema.tables where table_schema = ${schema}`.execute(
      admin.db,
    );
    expect(rows[0]?.count).toBe('0');

    const early = await runAskp(['admin', 'bootstrap', '--tenant', 'ops'], {
      DATABASE_URL: databaseUrl,
    });
    expect(early.code, early.stderr).toBe(6);
    expect(early.stderr).toContain('askp admin migrate');

    const migrated = await runAskp(['admin', 'migrate'], { DATABASE_URL: databaseUrl });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain('applied 0001_initial');

    const bootstrap = await runAskp(['admin', 'bootstrap', '--tenant', 'ops'], {
      DATABASE_URL: databaseUrl,
    });
    expect(bootstrap.code, bootstrap.stderr).toBe(0);
    const key = bootstrap.stdout.trim();
    expect(key).toMatch(/^askp_[a-z0-9]+_[A-Za-z0-9_-]+$/);
    // Shown once: the database holds only its hash.
    const stored = await sql<{
      secret_hash: string;
    }>`select secret_hash from ${sql.id(schema, 'api_keys')}`.execute(admin.db);
    expect(stored.rows).toHaveLength(1);
    // The secret is everything after the id: base64url may itself hold '_' (a lone 'd' before one
    // once matched the hex hash), so not split('_')[2].
    const secret = key.split('_').slice(2).join('_');
    expect(JSON.stringify(stored.rows)).not.toContain(secret);

    const after = await call(api, '/v1/clusters', key);
    expect(after.status, after.body).toBe(200);
    const tenants = await call(api, '/v1/admin/api-keys', key);
    expect(tenants.status, tenants.body).toBe(200);
    await expect(poller(tick('every-minute'), {})).resolves.toMatchObject({ failedSteps: [] });
  }, 180_000);

  it('refuses a second bootstrap of the same tenant unless told --another-key', async () => {
    const again = await runAskp(['admin', 'bootstrap', '--tenant', 'ops'], {
      DATABASE_URL: databaseUrl,
    });
    expect(again.code).toBe(5);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('--another-key');
    // This time the URL comes from KMS Secrets Manager, as docs/deploy.md suggests keeping it.
    const kms = await startKmsEmulator({
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
      secrets: { 'askp-database-url': databaseUrl },
    });
    const another = await runAskp(['admin', 'bootstrap', '--tenant', 'ops', '--another-key'], {
      DATABASE_URL: 'kms-secret://askp-database-url',
      ASKP_KMS_ENDPOINT: kms.url,
      ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET,
    }).finally(() => kms.close());
    expect(another.code, another.stderr).toBe(0);
    const api = await load('api');
    expect((await call(api, '/v1/clusters', another.stdout.trim())).status).toBe(200);
  }, 120_000);

  it('askp admin setup migrates and creates the jobs queue and its dead-letter queue, idempotently', async () => {
    const setupEnv = {
      DATABASE_URL: databaseUrl,
      ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET,
      ASKP_MNS_ENDPOINT: mns.url,
      ASKP_MNS_ACCOUNT_ID: '1000000000000001',
    };
    const first = await runAskp(['admin', 'setup'], setupEnv);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('queue provision-jobs: created');
    expect(first.stderr).toContain('queue provision-jobs-dlq: created');
    const second = await runAskp(['admin', 'setup'], setupEnv);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('queue provision-jobs: exists');
    expect(second.stderr).toContain('queue provision-jobs-dlq: exists');
    expect(mns.stats().CreateQueue).toBe(2);
  }, 120_000);
});
