import type { ApiKeyStore } from './api-key.port.js';
import type { AuditStore } from './audit.port.js';
import type { ChangeStore } from './change.port.js';
import type { CreationProgressStore } from './creation-progress.port.js';
import type { DeliveryStore } from './delivery.port.js';
import type { EventStore } from './event.port.js';
import type { IdempotencyStore } from './idempotency.port.js';
import type { JanitorStore } from './janitor.port.js';
import type { JanitorRunStore } from './janitor-run.port.js';
import type { KubeconfigIssuanceStore } from './kubeconfig-issuance.port.js';
import type { OutboxStore } from './outbox.port.js';
import type { ProvisionStore } from './provision.port.js';
import type { ProvisionReadStore } from './provision-read.port.js';
import type { RateLimitStore } from './rate-limit.port.js';
import type { ServiceKeyStore } from './service-key.port.js';
import type { ServiceMetricsStore } from './service-metrics.port.js';
import type { TemplateStore } from './template.port.js';
import type { TenantStore } from './tenant.port.js';
import type { TenantLimitsStore } from './tenant-limits.port.js';
import type { WebhookCircuitStore } from './webhook-circuit.port.js';
import type { WebhookEndpointStore } from './webhook-endpoint.port.js';

/**
 * The whole store: PostgreSQL through Kysely (`pg` in production, PGlite embedded), one port per
 * concern. Only the composition root (shared/app) holds a `Store`; a use case's `Deps` names the
 * ports it touches, e.g. `store: ProvisionStore & OutboxStore`.
 */
interface Store
  extends ProvisionStore,
    ProvisionReadStore,
    EventStore,
    OutboxStore,
    DeliveryStore,
    WebhookEndpointStore,
    WebhookCircuitStore,
    TenantStore,
    ApiKeyStore,
    IdempotencyStore,
    RateLimitStore,
    JanitorStore,
    JanitorRunStore,
    CreationProgressStore,
    ChangeStore,
    ServiceMetricsStore,
    ServiceKeyStore,
    TenantLimitsStore,
    TemplateStore,
    AuditStore,
    KubeconfigIssuanceStore {
  /** A round trip to the database (`select 1`); throws when it does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type { ApiKeyRecord, ApiKeyStore } from './api-key.port.js';
export type { AuditStore } from './audit.port.js';
export type { ChangeStore, NewClusterChange } from './change.port.js';
export type { CreationProgressStore } from './creation-progress.port.js';
export type {
  DeliveryClaimPlan,
  DeliveryClaimView,
  DeliveryStatus,
  DeliveryStore,
  NewWebhookDelivery,
  WebhookAttempt,
  WebhookAttemptOutcome,
  WebhookDelivery,
} from './delivery.port.js';
export type { EventStore } from './event.port.js';
export type {
  IdempotencyBegin,
  IdempotencyClaim,
  IdempotencyStore,
  StoredResponse,
} from './idempotency.port.js';
export type { JanitorCandidate, JanitorLeaseResult, JanitorStore } from './janitor.port.js';
export type { JanitorRunStore } from './janitor-run.port.js';
export type { KubeconfigIssuanceStore } from './kubeconfig-issuance.port.js';
export type { OutboxEntry, OutboxStore } from './outbox.port.js';
export type {
  NewProvision,
  ProvisionListQuery,
  ProvisionSettings,
  ProvisionStore,
} from './provision.port.js';
export type { RateLimitResult, RateLimitStore } from './rate-limit.port.js';
export type { ServiceKeyStore } from './service-key.port.js';
export type { ServiceMetricsStore } from './service-metrics.port.js';
export type { Tenant, TenantDefaults, TenantStore } from './tenant.port.js';
export type { TenantLimitsStore } from './tenant-limits.port.js';
export type { WebhookCircuit, WebhookCircuitStore } from './webhook-circuit.port.js';
export type { WebhookEndpoint, WebhookEndpointStore } from './webhook-endpoint.port.js';
export type { Store };
