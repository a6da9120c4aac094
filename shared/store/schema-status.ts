import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';
import { DomainError } from '../domain/errors.js';
import { MIGRATIONS } from './migrations/index.js';

/**
 * Deployed functions never migrate (`askp admin migrate` does, at deploy time): at cold start they
 * only ask which migrations the database has, one indexed read of Kysely's bookkeeping table,
 * instead of taking the migration lock and creating tables. A schema behind this release stops
 * the function with SCHEMA_OUTDATED (a 503 naming the command) until an operator migrates; the
 * next invocation checks again.
 */
const MIGRATE_COMMAND = 'askp admin migrate';

/** Kysely's default bookkeeping table, created in the current schema by migrateToLatest. */
const MIGRATION_TABLE = 'kysely_migration';

/** SQLSTATE 42P01 (undefined_table), as `pg` and PGlite report it: nothing was ever migrated. */
const isUndefinedTable = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === '42P01';

const appliedMigrations = async <DB>(db: Kysely<DB>): Promise<Set<string>> => {
  try {
    const { rows } = await sql<{
      name: string;
    }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
    return new Set(rows.map((row) => row.name));
  } catch (error) {
    if (isUndefinedTable(error)) return new Set();
    throw error;
  }
};

/** The migrations this release has that the database lacks, in run order. */
const pendingMigrations = async <DB>(
  db: Kysely<DB>,
  migrations: Readonly<Record<string, Migration>> = MIGRATIONS,
): Promise<string[]> => {
  const applied = await appliedMigrations(db);
  return Object.keys(migrations).filter((name) => !applied.has(name));
};

/** SCHEMA_OUTDATED: retryable, since migrating fixes it without a redeploy. */
class SchemaOutdatedError extends DomainError {
  declare public readonly code: 'SCHEMA_OUTDATED';
  /** The migrations the database lacks, in run order. */
  public readonly pending: readonly string[];

  public constructor(pending: readonly string[]) {
    super(
      'SCHEMA_OUTDATED',
      `the database schema is behind this release (${pending.length} migration(s) pending, first ${pending[0]}): run \`${MIGRATE_COMMAND}\``,
      { retryable: true },
    );
    this.name = 'SchemaOutdatedError';
    this.pending = pending;
  }
}

/** Throws SchemaOutdatedError unless every migration of this release has run. */
const requireCurrentSchema = async <DB>(
  db: Kysely<DB>,
  migrations: Readonly<Record<string, Migration>> = MIGRATIONS,
): Promise<void> => {
  const pending = await pendingMigrations(db, migrations);
  if (pending.length > 0) throw new SchemaOutdatedError(pending);
};

export { MIGRATE_COMMAND, pendingMigrations, requireCurrentSchema, SchemaOutdatedError };
