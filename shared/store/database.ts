import { resolve } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { ensurePrivateDir } from '../private-dir.js';
import { parseDatabaseUrl } from './database-url.js';
import { takeEarlyPool } from './early-connection.js';
import { createPostgresPool } from './postgres-pool.js';
import { preparingPool } from './prepared-pool.js';
import type { Database } from './schema.js';

type DatabaseKind = 'pglite' | 'postgres';

interface OpenDatabaseOptions {
  /** DATABASE_URL; see parseDatabaseUrl for the accepted forms. */
  databaseUrl?: string;
  /**
   * Called when an idle pooled connection fails (the server restarted, a network blip). Without a
   * listener `pg` would crash the process; the pool drops the connection and the next query
   * opens a fresh one, so the default only ignores it.
   */
  onPoolError?: (error: Error) => void;
  /** How long opening a PostgreSQL connection may take (the driver's default is forever). */
  connectTimeoutMs?: number;
}

interface OpenedDatabase {
  db: Kysely<Database>;
  /** Ends the pool or closes PGlite (flushing it to its directory). */
  close(): Promise<void>;
  kind: DatabaseKind;
}

// The drivers are imported on demand: a production bundle that talks to RDS never loads PGlite's
// WebAssembly, and the local host never loads `pg` unless asked to (postgres-pool.ts).
const openPglite = async (dataDir: string | null): Promise<Kysely<Database>> => {
  const [{ PGlite }, { PGliteDialect }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('kysely-pglite-dialect'),
  ]);
  let pglite: InstanceType<typeof PGlite>;
  if (dataDir === null) {
    pglite = new PGlite();
  } else {
    const dir = resolve(dataDir);
    await ensurePrivateDir(dir);
    pglite = new PGlite(dir);
  }
  await pglite.waitReady;
  return new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
};

const openPostgres = async (
  connectionString: string,
  onPoolError: (error: Error) => void,
  connectTimeoutMs: number | undefined,
): Promise<Kysely<Database>> => {
  // The pool a function's entry started connecting (early-connection.ts), when it is this one.
  const early = connectTimeoutMs === undefined ? takeEarlyPool(connectionString) : undefined;
  const pool = await (early ??
    createPostgresPool(
      connectionString,
      connectTimeoutMs === undefined ? {} : { connectTimeoutMs },
    ));
  pool.on('error', onPoolError);
  // Queries marked PREPARE go as named prepared statements (prepared-pool.ts).
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
};

const ignore = (): void => {};

/** Opens the database DATABASE_URL names. Does not migrate: call migrateToLatest for that. */
const openDatabase = async (options: OpenDatabaseOptions): Promise<OpenedDatabase> => {
  const target = parseDatabaseUrl(options.databaseUrl);
  const db =
    target.kind === 'pglite'
      ? await openPglite(target.dataDir)
      : await openPostgres(
          target.connectionString,
          options.onPoolError ?? ignore,
          options.connectTimeoutMs,
        );
  return { db, close: () => db.destroy(), kind: target.kind };
};

export type { DatabaseKind, OpenDatabaseOptions, OpenedDatabase };
export { openDatabase };
