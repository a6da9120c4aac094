import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * What the janitor keeps: tenant defaults for the TTL and idle policies; per provision, the
 * warning it gave (reason, when, deletion time, what it was based on) and the last time it saw
 * the cluster busy; a lease so that overlapping runs are harmless; and one summary row per run.
 *
 * The warning lives in a table of its own rather than in `provisions`, but it is written in the
 * same transaction as a compare-and-set of the provision's version, so a PATCH racing a warning
 * loses or wins as a whole. Frozen once released, like every migration; one statement per query.
 */
const UP = [
  sql`alter table tenants add column default_ttl text`,
  sql`alter table tenants add column default_idle_after text`,
  sql`create table janitor_marks (
    provision_id text primary key references provisions (id) on delete cascade,
    reason text check (reason in ('ttl', 'idle')),
    warned_at timestamptz,
    delete_at timestamptz,
    expires_at_basis timestamptz,
    idle_after_basis integer,
    warning_event_id text,
    activity_seen_at timestamptz,
    updated_at timestamptz not null,
    check ((reason is null) = (warned_at is null) and (warned_at is null) = (delete_at is null))
  )`,
  sql`create table janitor_leases (
    name text primary key,
    owner text not null,
    lease_until timestamptz not null,
    acquired_at timestamptz not null
  )`,
  sql`create table janitor_runs (
    id text primary key,
    started_at timestamptz not null,
    finished_at timestamptz,
    mode text not null check (mode in ('dry-run', 'live')),
    examined integer not null default 0,
    warned integer not null default 0,
    deleted integer not null default 0,
    cancelled integer not null default 0,
    skipped jsonb not null default '{}',
    orphans jsonb not null default '[]',
    actions jsonb not null default '[]',
    error text
  )`,
  sql`create index janitor_runs_started_idx on janitor_runs (started_at)`,
];

const DOWN = [
  sql`drop table janitor_runs`,
  sql`drop table janitor_leases`,
  sql`drop table janitor_marks`,
  sql`alter table tenants drop column default_idle_after`,
  sql`alter table tenants drop column default_ttl`,
];

const runAll = async (db: Kysely<unknown>, statements: typeof UP): Promise<void> => {
  for (const statement of statements) {
    await statement.execute(db);
  }
};

const janitor: Migration = {
  up: (db) => runAll(db, UP),
  down: (db) => runAll(db, DOWN),
};

export { janitor };
