import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * Keys the service makes for itself, the same on every function instance: `cursor` signs the page
 * cursors (an edited cursor is a 400). Made on first use (insert-if-absent), so no operator step
 * and no configuration. Someone who can read this table can forge a cursor — which only ever
 * pages through their own tenant's rows — so it needs no more protection than the database's.
 * Frozen once released.
 */
const UP = [
  sql`create table service_keys (
    name text primary key,
    secret text not null,
    created_at timestamptz not null
  )`,
];

const DOWN = [sql`drop table service_keys`];

const runAll = async (db: Kysely<unknown>, statements: typeof UP): Promise<void> => {
  for (const statement of statements) {
    await statement.execute(db);
  }
};

const serviceKeys: Migration = {
  up: (db) => runAll(db, UP),
  down: (db) => runAll(db, DOWN),
};

export { serviceKeys };
