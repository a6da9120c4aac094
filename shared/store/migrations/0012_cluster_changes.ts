import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * Changes after creation (issue #17): the `updating` state, the `change` job kind, and one
 * `cluster_changes` row per change (kind, params, ACK task, state, outcome, the task's stage
 * statuses already in the timeline). A partial unique index keeps a provision to one open change:
 * two requests racing for the same provision cannot both start one, whatever the provision row's
 * compare-and-set says. The CHECKs are rebuilt under PostgreSQL's default names for column checks
 * (`<table>_<column>_check`, how 0001 created them). Frozen once released.
 */
const STATES_BEFORE = `'accepted', 'provisioning', 'running', 'failed', 'deleting', 'deleted', 'cancelled'`;
const STATES_AFTER = `${STATES_BEFORE}, 'updating'`;

const checkStates = (table: string, states: string) => [
  sql`alter table ${sql.table(table)} drop constraint ${sql.ref(`${table}_state_check`)}`,
  sql`alter table ${sql.table(table)} add constraint ${sql.ref(`${table}_state_check`)} check (state in (${sql.raw(states)}))`,
];

const UP = [
  ...checkStates('provisions', STATES_AFTER),
  ...checkStates('provision_events', STATES_AFTER),
  sql`alter table outbox drop constraint outbox_kind_check`,
  sql`alter table outbox add constraint outbox_kind_check check (kind in ('create', 'delete', 'change'))`,
  sql`create table cluster_changes (
    id text primary key,
    provision_id text not null references provisions (id) on delete cascade,
    tenant_id text not null,
    kind text not null,
    params jsonb not null,
    state text not null check (state in ('pending', 'running', 'succeeded', 'failed')),
    ack_task_id text,
    error jsonb,
    recorded jsonb not null default '[]',
    created_at timestamptz not null,
    updated_at timestamptz not null,
    finished_at timestamptz
  )`,
  sql`create unique index cluster_changes_one_open_idx on cluster_changes (provision_id)
    where state in ('pending', 'running')`,
  sql`create index cluster_changes_provision_idx on cluster_changes (provision_id, created_at)`,
];

const DOWN = [
  sql`drop table cluster_changes`,
  sql`alter table outbox drop constraint outbox_kind_check`,
  sql`alter table outbox add constraint outbox_kind_check check (kind in ('create', 'delete'))`,
  ...checkStates('provision_events', STATES_BEFORE),
  ...checkStates('provisions', STATES_BEFORE),
];

const runAll = async (db: Kysely<unknown>, statements: typeof UP): Promise<void> => {
  for (const statement of statements) {
    await statement.execute(db);
  }
};

const clusterChanges: Migration = {
  up: (db) => runAll(db, UP),
  down: (db) => runAll(db, DOWN),
};

export { clusterChanges };
