import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PREPARE, preparingPool } from '../../shared/store/prepared-pool.js';

/**
 * The hot queries go to PostgreSQL as named prepared statements (planned once per connection);
 * every other query stays unnamed, and a statement a migration made stale is sent again unnamed
 * instead of failing. Against PostgreSQL only (PGlite has no `pg` pool): TEST_DATABASE_URL.
 */
if (!process.env.TEST_DATABASE_URL) {
  process.stdout.write(
    'prepared-pool: PostgreSQL cases skipped, TEST_DATABASE_URL is not set (named prepared statements need a pg pool on PostgreSQL)\n',
  );
}

interface Scratch {
  t: { a: number; b?: number | null };
}

const withScratch = async (run: (db: Kysely<Scratch>) => Promise<void>): Promise<void> => {
  const adminUrl = process.env.TEST_DATABASE_URL ?? '';
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = new URL(adminUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  // One connection: what it prepared is what pg_prepared_statements shows.
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  const db = new Kysely<Scratch>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
  try {
    await sql`create table t (a int)`.execute(db);
    await sql`insert into t (a) values (1)`.execute(db);
    await run(db);
  } finally {
    await db.destroy();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
};

const preparedNames = async (db: Kysely<Scratch>): Promise<string[]> => {
  const { rows } = await sql<{
    name: string;
  }>`select name from pg_prepared_statements order by name`.execute(db);
  return rows.map((row) => row.name);
};

describe('named prepared statements for marked queries', () => {
  it.runIf(process.env.TEST_DATABASE_URL)(
    'prepares a marked query once per connection and leaves the others unnamed',
    async () => {
      await withScratch(async (db) => {
        const marked = () =>
          db.selectFrom('t').select('a').where('a', '=', 1).modifyEnd(PREPARE).execute();
        expect(await marked()).toEqual([{ a: 1 }]);
        expect(await marked()).toEqual([{ a: 1 }]);
        await db.selectFrom('t').select('a').where('a', '>', 0).execute();
        const names = await preparedNames(db);
        expect(names).toHaveLength(1);
        expect(names[0]).toMatch(/^askp_[0-9a-f]{24}$/);
      });
    },
  );

  it.runIf(process.env.TEST_DATABASE_URL)(
    'answers a marked query after a migration changed its result, unnamed from then on',
    async () => {
      await withScratch(async (db) => {
        const marked = () => db.selectFrom('t').selectAll().modifyEnd(PREPARE).execute();
        expect(await marked()).toEqual([{ a: 1 }]);
        await sql`alter table t add column b int`.execute(db);
        expect(await marked()).toEqual([{ a: 1, b: null }]);
        expect(await marked()).toEqual([{ a: 1, b: null }]);
      });
    },
  );
});
