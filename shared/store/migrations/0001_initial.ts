import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * The first schema. A migration is frozen once released: its SQL is written out here rather than
 * built from domain constants, so that adding a state to the domain later needs a new migration
 * (which changes the CHECK) instead of silently changing what this one means.
 *
 * One statement per query: PGlite runs queries through the extended protocol, which takes one
 * statement at a time.
 */
const UP = [
  sql`create table tenants (
    id text primary key,
    name text not null,
    webhook_secret text not null,
    created_at timestamptz not null
  )`,
  sql`create table api_keys (
    id text primary key,
    tenant_id text not null references tenants (id),
    secret_hash text not null,
    scopes text[] not null default '{}',
    expires_at timestamptz,
    revoked_at timestamptz,
    created_at timestamptz not null
  )`,
  sql`create index api_keys_tenant_idx on api_keys (tenant_id)`,
  sql`create table provisions (
    id text primary key,
    tenant_id text not null,
    name text not null,
    region text not null,
    spec jsonb not null,
    state text not null check (
      state in ('accepted', 'provisioning', 'running', 'failed', 'deleting', 'deleted', 'cancelled')
    ),
    version integer not null default 1 check (version >= 1),
    cluster_name text not null,
    cluster_id text,
    task_id text,
    ack_state text,
    endpoints jsonb,
    create_pending_at timestamptz,
    attempts integer not null default 0,
    lease_owner text,
    lease_until timestamptz,
    error jsonb,
    labels jsonb not null default '{}',
    expires_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
  // The poller and the sweep list by state (and region); the API lists one tenant's rows by id.
  sql`create index provisions_state_region_idx on provisions (state, region)`,
  sql`create index provisions_tenant_id_idx on provisions (tenant_id, id)`,
  // One ACK cluster belongs to one provision; adoption after a crash must not attach it twice.
  sql`create unique index provisions_cluster_id_key on provisions (cluster_id)
    where cluster_id is not null`,
  sql`create table provision_events (
    provision_id text not null references provisions (id) on delete cascade,
    sequence integer not null check (sequence >= 1),
    type text not null,
    state text not null check (
      state in ('accepted', 'provisioning', 'running', 'failed', 'deleting', 'deleted', 'cancelled')
    ),
    message text not null,
    source text not null check (source in ('service', 'ack')),
    at timestamptz not null,
    primary key (provision_id, sequence)
  )`,
  sql`create table outbox (
    id text primary key,
    provision_id text not null references provisions (id) on delete cascade,
    kind text not null check (kind in ('create', 'delete')),
    body jsonb not null,
    created_at timestamptz not null,
    sent_at timestamptz,
    attempts integer not null default 0,
    last_attempt_at timestamptz
  )`,
  sql`create index outbox_unsent_idx on outbox (created_at) where sent_at is null`,
  sql`create table webhook_deliveries (
    id text primary key,
    tenant_id text not null,
    provision_id text not null references provisions (id) on delete cascade,
    url text not null,
    event_type text not null,
    payload text not null,
    next_attempt_at timestamptz not null,
    attempts integer not null default 0,
    last_status integer,
    last_error text,
    delivered_at timestamptz,
    abandoned_at timestamptz,
    created_at timestamptz not null
  )`,
  sql`create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at)
    where delivered_at is null and abandoned_at is null`,
  sql`create index webhook_deliveries_provision_idx
    on webhook_deliveries (provision_id, created_at)`,
];

const DOWN = [
  sql`drop table webhook_deliveries`,
  sql`drop table outbox`,
  sql`drop table provision_events`,
  sql`drop table provisions`,
  sql`drop table api_keys`,
  sql`drop table tenants`,
];

const runAll = async (db: Kysely<unknown>, statements: typeof UP): Promise<void> => {
  for (const statement of statements) {
    await statement.execute(db);
  }
};

const initial: Migration = {
  up: (db) => runAll(db, UP),
  down: (db) => runAll(db, DOWN),
};

export { initial };
