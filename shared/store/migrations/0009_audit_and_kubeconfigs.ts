import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * The audit trail and the kubeconfigs the service handed out.
 *
 * `audit_records`: one row per mutation the API accepted — who (the key id and its tenant), the
 * tenant it concerned, the action, its target, the source address, the request id. No request
 * bodies and no secrets: what was done, not with what. Ids are time-ordered (ids.ts), so the
 * newest-first page walks the primary key.
 *
 * `kubeconfig_issuances`: every kubeconfig fetched from ACK for a tenant — the key that asked,
 * the provision and its ACK cluster (with its region), when it expires. ACK revokes per cluster
 * and calling identity (RevokeK8sClusterKubeConfig), and every kubeconfig here is issued for the
 * API function's own identity, so a revocation finds from these rows every cluster with a
 * kubeconfig still alive (for a key, a tenant or a cluster) and marks what it revoked
 * (`revoked_at`).
 * Frozen once released.
 */
const UP = [
  sql`create table audit_records (
    id text primary key,
    at timestamptz not null,
    action text not null,
    actor_key_id text not null,
    actor_tenant_id text not null,
    tenant_id text not null,
    target text not null,
    source_ip text,
    request_id text not null
  )`,
  sql`create index audit_records_tenant on audit_records (tenant_id, id)`,
  sql`create index audit_records_action on audit_records (action, id)`,
  sql`create table kubeconfig_issuances (
    id text primary key,
    tenant_id text not null,
    key_id text not null,
    provision_id text not null references provisions (id) on delete cascade,
    cluster_id text not null,
    region text not null,
    issued_at timestamptz not null,
    expires_at timestamptz not null,
    request_id text not null,
    revoked_at timestamptz
  )`,
  sql`create index kubeconfig_issuances_provision on kubeconfig_issuances (provision_id, id)`,
  sql`create index kubeconfig_issuances_key on kubeconfig_issuances (key_id, expires_at)`,
];

const DOWN = [sql`drop table kubeconfig_issuances`, sql`drop table audit_records`];

const runAll = async (db: Kysely<unknown>, statements: typeof UP): Promise<void> => {
  for (const statement of statements) {
    await statement.execute(db);
  }
};

const auditAndKubeconfigs: Migration = {
  up: (db) => runAll(db, UP),
  down: (db) => runAll(db, DOWN),
};

export { auditAndKubeconfigs };
