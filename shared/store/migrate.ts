import type { Kysely, Migration, MigrationResultSet } from 'kysely';
import { Migrator, sql } from 'kysely';
import { DomainError } from '../domain/errors.js';
import { MIGRATIONS } from './migrations/index.js';

/**
 * Our own advisory lock around the whole run. Kysely's migrator locks too, but only around
 * applying migrations: creating its bookkeeping tables happens before that, unlocked, and two
 * cold starts racing there can trip over each other. A session lock on one connection covers both.
 * The key is arbitrary and fixed ("askp-mig" in ASCII).
 */
const MIGRATION_LOCK_KEY = 0x61736b702d6d6967n;

interface MigrateOptions {
  /** The migrations to run; the project's own list unless a test supplies another. */
  migrations?: Readonly<Record<string, Migration>>;
}

const currentSchema = async <DB>(db: Kysely<DB>): Promise<string> => {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
    db,
  );
  const schema = rows[0]?.schema;
  if (!schema) {
    throw new DomainError('CONFIG_INVALID', 'the database search_path names no existing schema', {
      field: 'DATABASE_URL',
    });
  }
  return schema;
};

const failureOf = (resultSet: MigrationResultSet): DomainError | undefined => {
  if (resultSet.error === undefined) return undefined;
  const failed = resultSet.results?.find((result) => result.status === 'Error');
  const reason =
    resultSet.error instanceof Error ? resultSet.error.message : String(resultSet.error);
  const message = failed
    ? `database migration ${failed.migrationName} failed: ${reason}`
    : `database migration failed before any migration ran: ${reason}`;
  return new DomainError('INTERNAL', message, { cause: resultSet.error });
};

/**
 * Brings the schema to the latest migration; returns the names it applied (none when up to date).
 * Safe to call from several processes at once: they queue on the advisory lock and the later ones
 * find nothing to do.
 */
const migrateToLatest = async <DB>(
  db: Kysely<DB>,
  options: MigrateOptions = {},
): Promise<string[]> => {
  const migrations = options.migrations ?? MIGRATIONS;
  // One connection for lock, migrations and unlock: a session lock belongs to its connection, and
  // PGlite has only one, so asking the pool for a second one here would wait forever.
  const resultSet = await db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(connection);
    try {
      const migrator = new Migrator({
        db: connection,
        provider: { getMigrations: async () => ({ ...migrations }) },
        // Kysely looks for its bookkeeping tables in every schema unless told which one; naming
        // ours keeps a database shared with other schemas (or parallel test runs) apart.
        migrationTableSchema: await currentSchema(connection),
        // Numbers are handed out to changes made in parallel, so one may be released after a
        // higher one (0010 after 0015): a database that already ran 0015 must still run 0010
        // rather than refuse. Each migration only depends on lower-numbered ones.
        allowUnorderedMigrations: true,
      });
      return await migrator.migrateToLatest();
    } finally {
      await sql`select pg_advisory_unlock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(connection);
    }
  });
  const failure = failureOf(resultSet);
  if (failure) throw failure;
  return (resultSet.results ?? []).map((result) => result.migrationName);
};

export type { MigrateOptions };
export { migrateToLatest };
