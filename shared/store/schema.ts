import type { ColumnType } from 'kysely';
import type { ChangeState } from '../domain/cluster-change.js';
import type { JobKind } from '../domain/job.js';
import type { EventSource } from '../domain/provision.js';
import type { ProvisionState } from '../domain/provision-state.js';
import type { WebhookEventType } from '../domain/webhook-event.js';

/**
 * The tables as Kysely sees them (the migrations are the truth; this mirrors them).
 *
 * jsonb columns are written as JSON text, never as JS values: `pg` turns a JS array into a
 * Postgres array literal, which jsonb rejects. They read back as `unknown` so that every value
 * crossing into the domain goes through a zod schema in the row mappers.
 */
type Json = ColumnType<unknown, string, string>;
type NullableJson = ColumnType<unknown, string | null, string | null>;

/** Columns with a CHECK constraint: read as text (validated on the way out), written typed. */
type Checked<T extends string> = ColumnType<string, T, T>;

interface TenantsTable {
  id: string;
  name: string;
  webhook_secret: string;
  created_at: Date;
  /** Migration 0003: the janitor's defaults for provisions that name no policy of their own. */
  default_ttl: ColumnType<string | null, string | null | undefined, string | null>;
  default_idle_after: ColumnType<string | null, string | null | undefined, string | null>;
  /** Migration 0004: the secret a rotation replaced, still signing until it expires. */
  previous_webhook_secret: ColumnType<string | null, string | null | undefined, string | null>;
  previous_secret_expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

interface ApiKeysTable {
  id: string;
  tenant_id: string;
  secret_hash: string;
  scopes: string[];
  expires_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
  name: ColumnType<string | null, string | null | undefined, string | null>;
  last_used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

interface ProvisionsTable {
  id: string;
  tenant_id: string;
  name: string;
  region: string;
  spec: Json;
  state: Checked<ProvisionState>;
  version: number;
  cluster_name: string;
  cluster_id: string | null;
  task_id: string | null;
  ack_state: string | null;
  endpoints: NullableJson;
  create_pending_at: Date | null;
  attempts: number;
  lease_owner: string | null;
  lease_until: Date | null;
  error: NullableJson;
  labels: Json;
  expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface ProvisionEventsTable {
  provision_id: string;
  sequence: number;
  type: string;
  state: Checked<ProvisionState>;
  message: string;
  source: Checked<EventSource>;
  at: Date;
}

interface OutboxTable {
  id: string;
  provision_id: string;
  kind: Checked<JobKind>;
  body: Json;
  created_at: Date;
  sent_at: Date | null;
  attempts: number;
  last_attempt_at: Date | null;
}

interface WebhookDeliveriesTable {
  id: string;
  tenant_id: string;
  provision_id: string;
  url: string;
  event_type: Checked<WebhookEventType>;
  payload: string;
  next_attempt_at: Date;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  abandoned_at: Date | null;
  created_at: Date;
  /** Migration 0004: the event id (`webhook-id`), shared by every target of one event. */
  event_id: string;
  /** The tenant endpoint this row delivers to; null for the per-request URL. */
  endpoint_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Attempt series: 1, plus one per manual redelivery. */
  series: ColumnType<number, number | undefined, number>;
  redelivered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  redelivered_by: ColumnType<string | null, string | null | undefined, string | null>;
  /** Migration 0008: while a sender holds the row's claim (its lease); null when none does. */
  claimed_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** Migration 0008: a webhook target's circuit breaker; a row only while it has failures. */
interface WebhookCircuitsTable {
  tenant_id: string;
  /** An endpoint id, or `url:<origin>` for a cluster's own webhook URL. */
  target: string;
  failures: ColumnType<number, number | undefined, number>;
  opened_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  retry_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  opens: ColumnType<number, number | undefined, number>;
  probe_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  updated_at: Date;
}

/** Migration 0004: a tenant's webhook endpoints; an empty `event_types` means every type. */
interface WebhookEndpointsTable {
  id: string;
  tenant_id: string;
  url: string;
  event_types: string[];
  description: string | null;
  disabled_at: Date | null;
  disabled_reason: string | null;
  created_at: Date;
}

/** Migration 0004: every attempt of every delivery. */
interface WebhookAttemptsTable {
  delivery_id: string;
  series: number;
  attempt: number;
  at: Date;
  status: number | null;
  error: string | null;
  duration_ms: number | null;
  outcome: Checked<'delivered' | 'retry' | 'abandoned'>;
}

interface IdempotencyKeysTable {
  tenant_id: string;
  key: string;
  /** Hex SHA-256 of the canonical JSON of the request body. */
  fingerprint: string;
  status: Checked<'processing' | 'completed'>;
  /** A random token naming the request that holds the key while it is processing. */
  owner: string;
  locked_until: Date;
  response_status: number | null;
  response_headers: NullableJson;
  response_body: string | null;
  created_at: Date;
  expires_at: Date;
}

interface ServiceKeysTable {
  name: string;
  secret: string;
  created_at: Date;
}

interface ClusterTemplatesTable {
  tenant_id: string;
  name: string;
  spec: Json;
  version: number;
  created_at: Date;
  updated_at: Date;
}

interface RateLimitBucketsTable {
  bucket: string;
  tokens: number;
  updated_at: Date;
}

/** The janitor's warning for one provision, and the last time it saw the cluster busy. */
interface JanitorMarksTable {
  provision_id: string;
  reason: ColumnType<string | null, 'ttl' | 'idle' | null, 'ttl' | 'idle' | null>;
  warned_at: Date | null;
  delete_at: Date | null;
  expires_at_basis: Date | null;
  idle_after_basis: number | null;
  warning_event_id: string | null;
  activity_seen_at: Date | null;
  updated_at: Date;
}

interface JanitorLeasesTable {
  name: string;
  owner: string;
  lease_until: Date;
  acquired_at: Date;
}

interface JanitorRunsTable {
  id: string;
  started_at: Date;
  finished_at: Date | null;
  mode: Checked<'dry-run' | 'live'>;
  examined: number;
  warned: number;
  deleted: number;
  cancelled: number;
  skipped: Json;
  orphans: Json;
  actions: Json;
  error: string | null;
}

/** Migration 0005: where a creation stands in ACK's create task. */
interface CreationProgressTable {
  provision_id: string;
  task_id: string;
  stage: string | null;
  completed_stages: number;
  total_stages: number;
  /** The stage statuses already in the timeline, as JSON text of a string array. */
  recorded: Json;
  checked_at: Date;
}

/** Migration 0012: one change after creation (issue #17). */
interface ClusterChangesTable {
  id: string;
  provision_id: string;
  tenant_id: string;
  kind: string;
  params: Json;
  state: Checked<ChangeState>;
  ack_task_id: string | null;
  error: NullableJson;
  recorded: Json;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

/** Migration 0005: ACK calls by action and outcome code (`OK` or an error code), service-wide. */
interface AckCallCountsTable {
  action: string;
  code: string;
  calls: ColumnType<unknown, number, never>;
}

/** Migration 0007: the networks an admin registered for a tenant. */
interface TenantNetworksTable {
  tenant_id: string;
  region: string;
  vpc_id: string;
  vswitch_ids: string[];
}

/** Migration 0007: a tenant's quota; null is no limit. */
interface TenantQuotasTable {
  tenant_id: string;
  max_clusters: number | null;
  max_monthly_cost: number | null;
  updated_at: Date;
}

/** Migration 0009: the audit trail (AUDIT_ACTIONS in shared/domain/audit.ts). */
interface AuditRecordsTable {
  id: string;
  at: Date;
  action: string;
  actor_key_id: string;
  actor_tenant_id: string;
  tenant_id: string;
  target: string;
  source_ip: string | null;
  request_id: string;
}

/** Migration 0009: kubeconfigs handed out (never the kubeconfigs). */
interface KubeconfigIssuancesTable {
  id: string;
  tenant_id: string;
  key_id: string;
  provision_id: string;
  cluster_id: string;
  region: string;
  issued_at: Date;
  expires_at: Date;
  request_id: string;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

interface Database {
  tenants: TenantsTable;
  api_keys: ApiKeysTable;
  provisions: ProvisionsTable;
  provision_events: ProvisionEventsTable;
  outbox: OutboxTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_attempts: WebhookAttemptsTable;
  webhook_circuits: WebhookCircuitsTable;
  idempotency_keys: IdempotencyKeysTable;
  rate_limit_buckets: RateLimitBucketsTable;
  service_keys: ServiceKeysTable;
  janitor_marks: JanitorMarksTable;
  janitor_leases: JanitorLeasesTable;
  janitor_runs: JanitorRunsTable;
  creation_progress: CreationProgressTable;
  ack_call_counts: AckCallCountsTable;
  tenant_networks: TenantNetworksTable;
  tenant_quotas: TenantQuotasTable;
  cluster_templates: ClusterTemplatesTable;
  audit_records: AuditRecordsTable;
  kubeconfig_issuances: KubeconfigIssuancesTable;
  cluster_changes: ClusterChangesTable;
}

export type {
  AckCallCountsTable,
  ApiKeysTable,
  AuditRecordsTable,
  ClusterChangesTable,
  ClusterTemplatesTable,
  CreationProgressTable,
  Database,
  IdempotencyKeysTable,
  JanitorLeasesTable,
  JanitorMarksTable,
  JanitorRunsTable,
  KubeconfigIssuancesTable,
  OutboxTable,
  ProvisionEventsTable,
  ProvisionsTable,
  RateLimitBucketsTable,
  TenantNetworksTable,
  TenantQuotasTable,
  TenantsTable,
  WebhookAttemptsTable,
  WebhookCircuitsTable,
  WebhookDeliveriesTable,
  WebhookEndpointsTable,
};
