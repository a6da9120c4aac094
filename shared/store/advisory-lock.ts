import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/**
 * A PostgreSQL session advisory lock around `use` (pg_advisory_lock, "Advisory Locks" in the
 * PostgreSQL manual): every caller asking for the same (namespace, name) waits for the holder, on
 * any connection of any process, so a check-then-write such as "does this tenant have an admin
 * key yet? no: issue one" cannot interleave with another one. The lock and `use` run on one
 * pinned connection (a session lock belongs to its connection) and the lock is released however
 * `use` ends; a process that dies mid-way loses its connection, and the lock with it.
 *
 * The key is two int4s, (hashtext(namespace), hashtext(name)): a hash collision only makes two
 * unrelated names wait for each other, never lets two holders in together.
 */
const withAdvisoryLock = async <T>(
  db: Kysely<Database>,
  key: { namespace: string; name: string },
  use: (connection: Kysely<Database>) => Promise<T>,
): Promise<T> =>
  db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(hashtext(${key.namespace}), hashtext(${key.name}))`.execute(
      connection,
    );
    try {
      return await use(connection);
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${key.namespace}), hashtext(${key.name}))`.execute(
        connection,
      );
    }
  });

/** The lock `askp admin bootstrap` holds per tenant name. */
const BOOTSTRAP_LOCK_NAMESPACE = 'askp.admin-bootstrap';

export { BOOTSTRAP_LOCK_NAMESPACE, withAdvisoryLock };
