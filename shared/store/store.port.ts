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
  /** Only rows carrying every one of these labels with exactly these values. */
  labels?: Readonly<Record<string, string>>;
  /** Only this tenant's rows (the API's list); every tenant's when absent (poller, janitor). */
  tenantId?: string;
  /** Rows whose id sorts after this (ids are time-ordered). */
  afterId?: string;
  limit: number;
}

/** What a PATCH may change; the use case computes the whole new value of each. */
interface ProvisionSettings {
  name: string;
  labels: Record<string, string>;
  expiresAt: Date | null;
  /** The spec with the changed settings (`deletionProtection`, `ttl`, `name`, `labels`). */
  spec: ClusterSpec;
}

/** An HTTP response as the idempotency record keeps it, replayed byte for byte. */
interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The hold one request has on an Idempotency-Key while it runs; `owner` is its random token. */
interface IdempotencyClaim {
  tenantId: string;
  key: string;
  owner: string;
}

type IdempotencyBegin =
  /** The key is ours now (new, expired, or abandoned by a request that died). */
  | { outcome: 'started' }
  /** The same request completed before: answer with what it answered. */
  | { outcome: 'replay'; response: StoredResponse }
  /** The key was used with another request body. */
  | { outcome: 'mismatch' }
  /** The same request is still running elsewhere. */
  | { outcome: 'in-flight' };

interface RateLimitResult {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** When refused: how long until a token is there. 0 when allowed. */
  retryAfterMs: number;
}

interface Store {
  /**
   * Inserts the provision, its first event and its outbox entry in one transaction. With
   * `idempotency`, the same transaction completes the caller's Idempotency-Key record with the
   * response `respond` builds from the inserted provision, so the key and the provision cannot
   * diverge; it throws IDEMPOTENCY_IN_FLIGHT (and writes nothing) if the claim was lost.
   */
  createProvision(input: {
    provision: NewProvision;
    event: NewProvisionEvent;
    job: Job;
    idempotency?: { claim: IdempotencyClaim; respond: (provision: Provision) => StoredResponse };
  }): Promise<{
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
  /**
   * `applyTransition` plus an outbox entry for `job`, in the same transaction: a transition that
   * owes the worker a job (→ deleting) can never happen without it. `null` when stale.
   */
  applyTransitionWithJob(input: {
    id: string;
    expectedVersion: number;
    transition: Transition;
    job: Job;
    webhooks?: NewWebhookDelivery[];
  }): Promise<{ provision: Provision; outboxId: string } | null>;
  /**
   * A compare-and-set change of what a caller may edit (name, labels, expiry, spec), with its
   * event, in one transaction. `null` when `expectedVersion` is stale.
   */
  updateProvisionSettings(input: {
    id: string;
    expectedVersion: number;
    settings: ProvisionSettings;
    event: NewProvisionEvent;
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
  /** Keys in id order, one tenant's or every tenant's. */
  listApiKeys(input: {
    tenantId?: string;
    afterId?: string;
    limit: number;
  }): Promise<ApiKeyRecord[]>;
  /** Sets `revokedAt` unless already set (the first revocation's time stays); null if no such key. */
  revokeApiKey(input: { id: string; at: Date }): Promise<ApiKeyRecord | null>;

  /**
   * Claims an Idempotency-Key for one request, insert-first on the (tenant, key) primary key so
   * that of two instances racing exactly one gets `started`. An expired record, or one still
   * `processing` past `lockedUntil` with the same fingerprint (its request died), is taken over.
   */
  beginIdempotentRequest(input: {
    claim: IdempotencyClaim;
    fingerprint: string;
    now: Date;
    lockedUntil: Date;
    expiresAt: Date;
  }): Promise<IdempotencyBegin>;
  /** Stores the response of a claimed request; false when the claim was lost or already done. */
  completeIdempotentRequest(input: {
    claim: IdempotencyClaim;
    response: StoredResponse;
  }): Promise<boolean>;
  /** Lets go of a claim whose request failed on our side (5xx), so a retry runs again. */
  releaseIdempotentRequest(claim: IdempotencyClaim): Promise<void>;
  /** Deletes up to `limit` records that expired before `now`; returns how many. */
  deleteExpiredIdempotencyKeys(input: { now: Date; limit: number }): Promise<number>;

  /**
   * Takes one token from a token bucket (`burst` tokens, refilled at `perSecond`) in one atomic
   * statement, so the limit holds across function instances.
   */
  takeRateLimitToken(input: {
    bucket: string;
    now: Date;
    perSecond: number;
    burst: number;
  }): Promise<RateLimitResult>;

  close(): Promise<void>;
}

export type {
  ApiKeyRecord,
  IdempotencyBegin,
  IdempotencyClaim,
  NewProvision,
  NewWebhookDelivery,
  OutboxEntry,
  ProvisionListQuery,
  ProvisionSettings,
  RateLimitResult,
  Store,
  StoredResponse,
  Tenant,
  WebhookDelivery,
};
