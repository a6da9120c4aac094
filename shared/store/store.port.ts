import type { ClusterSpec } from '../domain/cluster-spec.js';
import type { Job, JobKind } from '../domain/job.js';
import type {
  NewProvisionEvent,
  Provision,
  ProvisionEvent,
  ProvisionPatch,
  Transition,
} from '../domain/provision.js';
import type { ProvisionState } from '../domain/provision-state.js';
import type { WebhookEventType } from '../domain/webhook-event.js';

/**
 * The Store port: PostgreSQL through Kysely (`pg` in production, PGlite embedded). Every write to a
 * provision is compare-and-set on `version`: a method that takes `expectedVersion` returns `null`
 * when the row moved on, and the caller re-reads and decides again.
 */

interface NewProvision {
  id: string;
  tenantId: string;
  name: string;
  region: string;
  spec: ClusterSpec;
  clusterName: string;
  labels: Record<string, string>;
  expiresAt: Date | null;
  createdAt: Date;
}

interface OutboxEntry {
  id: string;
  provisionId: string;
  kind: JobKind;
  body: Job;
  createdAt: Date;
  sentAt: Date | null;
  attempts: number;
  lastAttemptAt: Date | null;
}

interface NewWebhookDelivery {
  /** The event id, sent as `webhook-id`; stable across retries. `evt_…`. */
  id: string;
  tenantId: string;
  provisionId: string;
  url: string;
  eventType: WebhookEventType;
  /** The exact JSON text that is signed and sent. */
  payload: string;
  nextAttemptAt: Date;
}

interface WebhookDelivery extends NewWebhookDelivery {
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  /** Set when the retry schedule ran out or the receiver answered 410. */
  abandonedAt: Date | null;
  createdAt: Date;
}

interface Tenant {
  id: string;
  name: string;
  /** `whsec_…`; signs this tenant's webhooks. Never logged. */
  webhookSecret: string;
  createdAt: Date;
}

interface ApiKeyRecord {
  /** The public part of `askp_<id>_<secret>`. */
  id: string;
  tenantId: string;
  /** Hex SHA-256 of the secret part. */
  secretHash: string;
  scopes: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

interface ProvisionListQuery {
  states: readonly ProvisionState[];
  region?: string;
  /** Only this tenant's rows (the API's list); every tenant's when absent (poller, janitor). */
  tenantId?: string;
  /** Rows whose id sorts after this (ids are time-ordered). */
  afterId?: string;
  limit: number;
}

interface Store {
  /** Inserts the provision, its first event and its outbox entry in one transaction. */
  createProvision(input: { provision: NewProvision; event: NewProvisionEvent; job: Job }): Promise<{
    provision: Provision;
    outboxId: string;
  }>;
  getProvision(input: { id: string; tenantId?: string }): Promise<Provision | null>;
  /**
   * Applies a planned transition with compare-and-set: state, patch, version + 1, the event row and
   * any webhook deliveries, all in one transaction. `null` when `expectedVersion` is stale.
   */
  applyTransition(input: {
    id: string;
    expectedVersion: number;
    transition: Transition;
    webhooks?: NewWebhookDelivery[];
  }): Promise<Provision | null>;
  /** A compare-and-set change that keeps the state (lease, create-pending mark, ACK state). */
  updateProvision(input: {
    id: string;
    expectedVersion: number;
    patch: ProvisionPatch;
    event?: NewProvisionEvent;
    /**
     * When the change happened by the caller's clock; becomes `updatedAt`. Defaults to the event's
     * time, else the database's clock.
     */
    at?: Date;
  }): Promise<Provision | null>;
  listProvisions(query: ProvisionListQuery): Promise<Provision[]>;
  /** Timeline in sequence order. Appending an event that repeats (type, message) of the last one is skipped. */
  listEvents(input: {
    provisionId: string;
    afterSequence?: number;
    limit: number;
  }): Promise<ProvisionEvent[]>;
  appendEvent(input: { provisionId: string; event: NewProvisionEvent }): Promise<void>;

  markOutboxSent(input: { id: string; at: Date }): Promise<void>;
  /** Entries never sent, whose last attempt (or creation) is older than `before`. */
  listUnsentOutbox(input: { before: Date; limit: number }): Promise<OutboxEntry[]>;
  recordOutboxAttempt(input: { id: string; at: Date }): Promise<void>;

  /** Deliveries not delivered nor abandoned, with `nextAttemptAt <= now`, oldest first. */
  listDueDeliveries(input: { now: Date; limit: number }): Promise<WebhookDelivery[]>;
  /**
   * Claims a due delivery for one sender by pushing `nextAttemptAt` to `leaseUntil` only if it is
   * still due; false when another sender got it first. Makes overlapping poller ticks safe.
   */
  claimDelivery(input: { id: string; now: Date; leaseUntil: Date }): Promise<boolean>;
  recordDeliveryAttempt(input: {
    id: string;
    at: Date;
    status: number | null;
    error: string | null;
    outcome: 'delivered' | 'retry' | 'abandoned';
    nextAttemptAt: Date | null;
  }): Promise<void>;
  listDeliveries(input: { provisionId: string }): Promise<WebhookDelivery[]>;

  createTenant(input: {
    id: string;
    name: string;
    webhookSecret: string;
    at: Date;
  }): Promise<Tenant>;
  getTenant(id: string): Promise<Tenant | null>;
  /** Inserts the key unless a key with that id exists (bootstrap is idempotent). */
  putApiKey(record: ApiKeyRecord): Promise<void>;
  getApiKey(id: string): Promise<ApiKeyRecord | null>;

  close(): Promise<void>;
}

export type {
  ApiKeyRecord,
  NewProvision,
  NewWebhookDelivery,
  OutboxEntry,
  ProvisionListQuery,
  Store,
  Tenant,
  WebhookDelivery,
};
