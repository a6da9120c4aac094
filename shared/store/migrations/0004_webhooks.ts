import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * Webhooks as a product: per-tenant endpoints subscribed to event types; a delivery row per
 * (event, target) with the event id kept apart from the row id (every target of one event sends
 * the same `webhook-id`); a log of every attempt; who asked for a redelivery; and the previous
 * signing secret, still used for 24 hours after a rotation. Frozen once released, like every
 * migration; one statement per query (PGlite).
 */
const UP = [
  sql`create table webhook_endpoints (
    id text primary key,
    tenant_id text not null references tenants (id),
    url text not null,
    event_types text[] not null default '{}',
    description text,
    disabled_at timestamptz,
    disabled_reason text,
    created_at timestamptz not null,
    check ((disabled_at is null) = (disabled_reason is null))
  )`,
  sql`create index webhook_endpoints_tenant_idx on webhook_endpoints (tenant_id, id)`,
  sql`alter table tenants add column previous_webhook_secret text`,
  sql`alter table tenants add column previous_secret_expires_at timestamptz`,
  // Rows written before this migration were one per event: their id was the event id.
  sql`alter table webhook_deliveries add column event_id text`,
  sql`update webhook_deliveries set event_id = id`,
  sql`alter table webhook_deliveries alter column event_id set not null`,
  sql`alter table webhook_deliveries add column endpoint_id text`,
  sql`alter table webhook_deliveries add column series integer not null default 1`,
  sql`alter table webhook_deliveries add column redelivered_at timestamptz`,
  sql`alter table webhook_deliveries add column redelivered_by text`,
  sql`create index webhook_deliveries_tenant_idx on webhook_deliveries (tenant_id, id)`,
  sql`create table webhook_attempts (
    delivery_id text not null references webhook_deliveries (id) on delete cascade,
    series integer not null check (series >= 1),
    attempt integer not null check (attempt >= 1),
    at timestamptz not null,
    status integer,
    error text,
    duration_ms integer,
    outcome text not null check (outcome in ('delivered', 'retry', 'abandoned')),
    primary key (delivery_id, series, attempt)
  )`,
];

const DOWN = [
  sql`drop table webhook_attempts`,
  sql`drop index webhook_deliveries_tenant_idx`,
  sql`alter table webhook_deliveries drop column redelivered_by`,
  sql`alter table webhook_deliveries drop column redelivered_at`,
  sql`alter table webhook_deliveries drop column series`,
  sql`alter table webhook_deliveries drop column endpoint_id`,
  sql`alter table webhook_deliveries drop column event_id`,
  sql`alter table tenants drop column previous_secret_expires_at`,
  sql`alter table tenants drop column previous_webhook_secret`,
  sql`drop table webhook_endpoints`,
];

const runAll = async (db: Kysely<unknown>, statements: typeof UP): Promise<void> => {
  for (const statement of statements) {
    await statement.execute(db);
  }
};

const webhooks: Migration = {
  up: (db) => runAll(db, UP),
  down: (db) => runAll(db, DOWN),
};

export { webhooks };
