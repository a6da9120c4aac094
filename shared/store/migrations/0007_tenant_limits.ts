import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * A tenant's limits, set by an admin: the networks (VPC and its vSwitches, per region) its creates
 * may name, and its quota (clusters held, their monthly cost; null is no limit). A tenant with no
 * rows may use only network "auto" and has no quota. Frozen once released; one statement per
 * query (PGlite).
 */
const UP = [
  sql`create table tenant_networks (
    tenant_id text not null references tenants (id),
    region text not null,
    vpc_id text not null,
    vswitch_ids text[] not null,
    primary key (tenant_id, region, vpc_id)
  )`,
  sql`create table tenant_quotas (
    tenant_id text primary key references tenants (id),
    max_clusters integer check (max_clusters >= 0),
    max_monthly_cost double precision check (max_monthly_cost >= 0),
    updated_at timestamptz not null
  )`,
];

const DOWN = [sql`drop table tenant_quotas`, sql`drop table tenant_networks`];

const runAll = async (db: Kysely<unknown>, statements: typeof UP): Promise<void> => {
  for (const statement of statements) {
    await statement.execute(db);
  }
};

const tenantLimits: Migration = {
  up: (db) => runAll(db, UP),
  down: (db) => runAll(db, DOWN),
};

export { tenantLimits };
