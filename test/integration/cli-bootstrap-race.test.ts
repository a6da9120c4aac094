import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../../shared/access/bootstrap-admin.js';
import { systemClock } from '../../shared/clock.js';
import { BOOTSTRAP_LOCK_NAMESPACE, withAdvisoryLock } from '../../shared/store/advisory-lock.js';
import { type OpenedDatabase, openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { runAskp } from '../support/run-askp.js';
import { waitFor } from '../support/wait-for.js';

/**
 * `askp admin bootstrap` twice at once for one tenant (two pipelines, a re-run on top of a slow
 * one): exactly one key is issued, the other run exits 5 (refused, docs/cli.md). The real binary
 * against PostgreSQL, in a schema of its own; advisory locks need a real server, not PGlite.
 */
const adminUrl = process.env.TEST_DATABASE_URL;
if (!adminUrl) {
  process.stdout.write(
    'cli-bootstrap-race: skipped, TEST_DATABASE_URL is not set (advisory locks across processes need PostgreSQL)\n',
  );
}

describe.skipIf(!adminUrl)('askp admin bootstrap under concurrency', () => {
  let admin: OpenedDatabase;
  let scoped: OpenedDatabase;
  let schema: string;
  let databaseUrl: string;

  const adminKeysOf = async (tenantName: string): Promise<number> => {
    const store = createKyselyStore({ db: scoped.db });
    const tenants = await store.findTenantsByName(tenantName);
    expect(tenants).toHaveLength(1);
    const keys = await store.listApiKeys({ tenantId: tenants[0]?.id ?? '', limit: 100 });
    return keys.filter((key) => key.scopes.includes('admin')).length;
  };

  beforeAll(async () => {
    admin = await openDatabase({ databaseUrl: adminUrl });
    schema = `bootstrap_${randomBytes(6).toString('hex')}`;
    await sql`create schema ${sql.id(schema)}`.execute(admin.db);
    const url = new URL(adminUrl ?? '');
    url.searchParams.set('options', `-c search_path=${schema}`);
    databaseUrl = url.toString();
    const migrated = await runAskp(['admin', 'migrate'], { DATABASE_URL: databaseUrl });
    expect(migrated.code, migrated.stderr).toBe(0);
    scoped = await openDatabase({ databaseUrl });
  }, 120_000);

  afterAll(async () => {
    await scoped?.close();
    if (admin) {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin.db);
      await admin.close();
    }
  });

  it('two bootstraps started together issue one key: one exits 0 with it, the other exits 5', async () => {
    const env = { DATABASE_URL: databaseUrl };
    const results = await Promise.all([
      runAskp(['admin', 'bootstrap', '--tenant', 'race-a'], env),
      runAskp(['admin', 'bootstrap', '--tenant', 'race-a'], env),
    ]);
    const codes = results.map((result) => result.code).sort();
    expect(codes, results.map((result) => result.stderr).join('\n')).toEqual([0, 5]);
    const winner = results.find((result) => result.code === 0);
    expect(winner?.stdout).toMatch(/^askp_/);
    const loser = results.find((result) => result.code === 5);
    expect(loser?.stdout).toBe('');
    expect(loser?.stderr).toContain('already has an admin key');
    expect(await adminKeysOf('race-a')).toBe(1);
  }, 120_000);

  it('a bootstrap that starts while another holds the tenant waits for it, then exits 5 without a key', async () => {
    // This test plays the first bootstrap: it takes the tenant's lock, and only once the binary
    // is seen waiting on that lock does it issue its key. Without the lock the binary would never
    // wait (the probe times out) and would issue a second key.
    const waitingOnBootstrapLock = async (): Promise<true | undefined> => {
      const { rows } = await sql<{ waiting: string }>`
        select count(*)::text as waiting from pg_locks
        where locktype = 'advisory' and not granted
          and classid::bigint = (hashtext(${BOOTSTRAP_LOCK_NAMESPACE})::bigint + 4294967296) % 4294967296
          and objid::bigint = (hashtext('race-b')::bigint + 4294967296) % 4294967296`.execute(
        admin.db,
      );
      return rows[0]?.waiting === '1' ? true : undefined;
    };
    let second: Promise<{ code: number; stdout: string; stderr: string }> | undefined;
    await withAdvisoryLock(
      scoped.db,
      { namespace: BOOTSTRAP_LOCK_NAMESPACE, name: 'race-b' },
      async (connection) => {
        second = runAskp(['admin', 'bootstrap', '--tenant', 'race-b'], {
          DATABASE_URL: databaseUrl,
        });
        await waitFor('the second bootstrap to wait on the lock', waitingOnBootstrapLock, 60_000);
        const first = await bootstrapAdmin(
          { store: createKyselyStore({ db: connection }), clock: systemClock },
          { tenantName: 'race-b', anotherKey: false },
        );
        expect(first.tenantCreated).toBe(true);
      },
    );
    const result = await second;
    expect(result?.code, result?.stderr).toBe(5);
    expect(result?.stdout).toBe('');
    expect(await adminKeysOf('race-b')).toBe(1);
  }, 120_000);
});
