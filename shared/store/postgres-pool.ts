import type { Pool } from 'pg';
import { withTlsDefaults } from './database-tls.js';

/**
 * The one place a `pg` pool is made, for a `postgres://` connection string: the functions' early
 * connection (early-connection.ts) and openDatabase must make the same pool, so that the one
 * started early can be handed over.
 */
interface PoolOptions {
  /** How long opening a connection may take (the driver's default is forever). */
  connectTimeoutMs?: number;
}

const createPostgresPool = async (
  connectionString: string,
  options: PoolOptions = {},
): Promise<Pool> => {
  // Imported on demand: the local host never loads `pg` unless asked to.
  const { default: pg } = await import('pg');
  return new pg.Pool({
    // TLS unless the host is loopback or the URL says otherwise (database-tls.ts).
    connectionString: withTlsDefaults(connectionString).url,
    ...(options.connectTimeoutMs === undefined
      ? {}
      : { connectionTimeoutMillis: options.connectTimeoutMs }),
    // An idle connection never holds a process open: a function's process is ended by its
    // runtime, and a process that only loaded a bundle (the bench's import-only run) may exit.
    allowExitOnIdle: true,
  });
};

export type { PoolOptions };
export { createPostgresPool };
