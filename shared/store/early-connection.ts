import type { Pool } from 'pg';
import { parseDatabaseUrl } from './database-url.js';
import { createPostgresPool } from './postgres-pool.js';

/**
 * A function's bundle entry (functions/<fn>/entry.ts) starts connecting to PostgreSQL before it
 * loads the function's code, so that the connection (TCP, the server starting a backend, auth)
 * overlaps reading, compiling and evaluating the bundle instead of following it. openDatabase
 * takes the pool over when it opens the same URL (database.ts); nothing else changes: a URL that
 * is no plain `postgres://` one (PGlite, `kms-secret://`, unset, invalid) starts nothing here and
 * is opened, or refused with its usual error, when the app is built.
 */
interface EarlyPool {
  connectionString: string;
  pool: Promise<Pool>;
}

let early: EarlyPool | undefined;

const ignore = (): void => {};

/** Starts the pool and one connection; never throws (the app reports any failure itself). */
const connectEarly = (databaseUrl: string | undefined): void => {
  let connectionString: string;
  try {
    const target = parseDatabaseUrl(databaseUrl);
    if (target.kind !== 'postgres') return;
    connectionString = target.connectionString;
  } catch {
    return;
  }
  const pool = createPostgresPool(connectionString).then((created) => {
    // Until openDatabase adds its own listener, an idle connection's failure must not crash
    // the process; the pool drops that connection.
    created.on('error', ignore);
    // The connection goes back to the pool for the app's first query; a failure here is the
    // app's to meet (and report) on that query.
    created.connect().then((client) => client.release(), ignore);
    return created;
  });
  pool.catch(ignore);
  early = { connectionString, pool };
};

/** The pool started early for this connection string, once (a later open makes its own). */
const takeEarlyPool = (connectionString: string): Promise<Pool> | undefined => {
  if (early?.connectionString !== connectionString) return undefined;
  const { pool } = early;
  early = undefined;
  return pool;
};

export { connectEarly, takeEarlyPool };
