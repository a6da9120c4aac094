import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * What the complete REST API needs: Idempotency-Key records (per tenant, kept at least 24 hours,
 * the response stored for replay) and token buckets for per-key rate limits. Frozen once
 * released, like every migration; one statement per query (PGlite).
 */
const UP = [
  sql`create table idempotency_keys (
    tenant_id text not null,
    key text not null,
    fingerprint text not null,
    status text not null check (status in ('processing', 'completed')),
    owner text not null,
    locked_until timestamptz not null,
    response_status integer,
    response_headers jsonb,
    response_body text,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    primary key (tenant_id, key),
    check (status = 'processing' or response_status is not null)
  )`,
  sql`create index idempotency_keys_expires_idx on idempotency_keys (expires_at)`,
  sql`create table rate_limit_buckets (
    bucket text primary key,
    tokens double precision not null,
    updated_at timestamptz not null
  )`,
  // The list endpoint filters one tenant's provisions by label (jsonb containment).
  sql`create index provisions_labels_idx on provisions using gin (labels jsonb_path_ops)`,
];

const DOWN = [
  sql`drop index provisions_labels_idx`,
  sql`drop table rate_limit_buckets`,
  sql`drop table idempotency_keys`,
];

const runAll = async (db: Kysely<unknown>, statements: typeof UP): Promise<void> => {
  for (const statement of statements) {
    await statement.execute(db);
  }
};

const apiAccess: Migration = {
  up: (db) => runAll(db, UP),
  down: (db) => runAll(db, DOWN),
};

export { apiAccess };
