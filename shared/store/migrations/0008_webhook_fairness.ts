import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * Fair webhook delivery (issue 13): a circuit breaker per (tenant, target) kept in the database,
 * since poller instances are stateless and run in parallel, and the time until which a claimed
 * delivery is in flight, so every instance can count a tenant's and an endpoint's attempts in
 * flight before claiming more. A target is an endpoint id or `url:<origin>` for a cluster's own
 * webhook URL. A circuit row exists only while it has failures or is open; a success deletes it.
 * Frozen once released; one statement per query (PGlite).
 */
const UP = [
  sql`create table webhook_circuits (
    tenant_id text not null,
    target text not null,
    failures integer not null default 0 check (failures >= 0),
    opened_at timestamptz,
    retry_at timestamptz,
    opens integer not null default 0 check (opens >= 0),
    probe_until timestamptz,
    updated_at timestamptz not null,
    primary key (tenant_id, target),
    check ((opened_at is null) = (retry_at is null))
  )`,
  sql`alter table webhook_deliveries add column claimed_until timestamptz`,
  sql`create index webhook_deliveries_claimed_idx on webhook_deliveries (claimed_until)
    where claimed_until is not null`,
];

const DOWN = [
  sql`drop index webhook_deliveries_claimed_idx`,
  sql`alter table webhook_deliveries drop column claimed_until`,
  sql`drop table webhook_circuits`,
];

const runAll = async (db: Kysely<unknown>, statements: typeof UP): Promise<void> => {
  for (const statement of statements) {
    await statement.execute(db);
  }
};

const webhookFairness: Migration = {
  up: (db) => runAll(db, UP),
  down: (db) => runAll(db, DOWN),
};

export { webhookFairness };
