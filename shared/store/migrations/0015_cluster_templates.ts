import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * A tenant's cluster templates (`/v1/templates`): named per tenant, the create fields as given
 * (JSON), and a version that every replacement increments, so a cluster's spec can say which
 * template, at which version, it was made from. Frozen once released.
 */
const UP = [
  sql`create table cluster_templates (
    tenant_id text not null references tenants (id),
    name text not null,
    spec jsonb not null,
    version integer not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    primary key (tenant_id, name)
  )`,
];

const DOWN = [sql`drop table cluster_templates`];

const runAll = async (db: Kysely<unknown>, statements: typeof UP): Promise<void> => {
  for (const statement of statements) {
    await statement.execute(db);
  }
};

const clusterTemplates: Migration = {
  up: (db) => runAll(db, UP),
  down: (db) => runAll(db, DOWN),
};

export { clusterTemplates };
