import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * API keys get an optional `name` (set at creation, to tell keys apart in a list) and
 * `last_used_at`: when the key last authenticated a request, written behind the request (by the
 * API's rate-limit sync, at most once a minute per key), never on its path. Frozen once released.
 */
const UP = [
  sql`alter table api_keys add column name text`,
  sql`alter table api_keys add column last_used_at timestamptz`,
];

const DOWN = [
  sql`alter table api_keys drop column last_used_at`,
  sql`alter table api_keys drop column name`,
];

const runAll = async (db: Kysely<unknown>, statements: typeof UP): Promise<void> => {
  for (const statement of statements) {
    await statement.execute(db);
  }
};

const apiKeyNameAndUse: Migration = {
  up: (db) => runAll(db, UP),
  down: (db) => runAll(db, DOWN),
};

export { apiKeyNameAndUse };
