import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * Where each creation stands in ACK's create task, and how often each ACK action was called.
 *
 * `creation_progress` is a table of its own, not columns of `provisions`: the poller writes it on
 * every tick of a creation, and bumping the provision's version that often would make PATCHes and
 * the worker lose their compare-and-set for nothing. `recorded` lists the stage statuses already
 * written to the timeline (`<index>:started`, `<index>:ended`), so each is written once.
 *
 * `ack_call_counts` makes the ACK call metrics the whole service's: every instance adds to the
 * same rows, and `GET /metrics` on any api instance reads them. Frozen once released.
 */
const UP = [
  sql`create table creation_progress (
    provision_id text primary key references provisions (id) on delete cascade,
    task_id text not null,
    stage text,
    completed_stages integer not null default 0,
    total_stages integer not null default 0,
    recorded jsonb not null default '[]',
    checked_at timestamptz not null
  )`,
  sql`create table ack_call_counts (
    action text not null,
    code text not null,
    calls bigint not null default 0,
    primary key (action, code)
  )`,
];

const DOWN = [sql`drop table ack_call_counts`, sql`drop table creation_progress`];

const runAll = async (db: Kysely<unknown>, statements: typeof UP): Promise<void> => {
  for (const statement of statements) {
    await statement.execute(db);
  }
};

const progressAndMetrics: Migration = {
  up: (db) => runAll(db, UP),
  down: (db) => runAll(db, DOWN),
};

export { progressAndMetrics };
