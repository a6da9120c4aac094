import type { ClusterSpec } from '../domain/cluster-spec.js';
import type { JanitorWarning } from '../domain/janitor-policy.js';
import type { JanitorRun } from '../domain/janitor-run.js';
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
import type { CreationProgressStore } from './creation-progress.port.js';

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
  /** The row's own id (`whd_…`; rows from before migration 0004 carry their event id). */
  id: string;
  /**
   * The event id (`evt_…`), sent as `webhook-id`: stable across retries and redeliveries, and
   * the same for every target of one event so a receiver subscribed twice can dedupe. When left
   * out, the row's id is the event id (one target per event).
   */
  eventId?: string;
  /** The tenant endpoint this delivery goes to; absent or null for the per-request URL. */
  endpointId?: string | null;
  tenantId: string;
  provisionId: string;
  url: string;
  eventType: WebhookEventType;
  /** The exact JSON text that is signed and sent. */
  payload: string;
  nextAttemptAt: Date;
}

interface WebhookDelivery extends NewWebhookDelivery {
  eventId: string;
  endpointId: string | null;
  /** Attempts in the current series (a redelivery starts a new series at 0). */
  attempts: number;
  /** 1, plus one per manual redelivery. */
  series: number;
  redeliveredAt: Date | null;
  /** The API key id that asked for the last redelivery. */
  redeliveredBy: string | null;
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
  /** The secret the last rotation replaced; it keeps signing until `previousSecretExpiresAt`. */
  previousWebhookSecret: string | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
}

/** A tenant's webhook endpoint; an empty `eventTypes` subscribes to every type. */
interface WebhookEndpoint {
  id: string;
  tenantId: string;
  url: string;
  eventTypes: WebhookEventType[];
  description: string | null;
  /** Set when the receiver answered 410 Gone (or an operator disabled it), with why. */
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
}

type WebhookAttemptOutcome = 'delivered' | 'retry' | 'abandoned';

/** One attempt of one delivery, as the delivery log keeps it. */
interface WebhookAttempt {
  deliveryId: string;
  series: number;
  /** 1-based within its series. */
  attempt: number;
  at: Date;
  status: number | null;
  error: string | null;
  durationMs: number | null;
  outcome: WebhookAttemptOutcome;
}

type DeliveryStatus = 'pending' | 'delivered' | 'abandoned';

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

/** A running provision as the janitor sees it. */
interface JanitorCandidate {
  provision: Provision;
  /** The standing warning, if the janitor gave one and has not cancelled it. */
  warning: JanitorWarning | null;
  /** When the provision last became running (its timeline), null if the timeline does not say. */
  runningSince: Date | null;
  /** The last time the janitor saw an active workload pod in its cluster. */
  activitySeenAt: Date | null;
}

/** A tenant's defaults for provisions that name no policy of their own (duration texts). */
interface TenantDefaults {
  defaultTtl: string | null;
  defaultIdleAfter: string | null;
}

type JanitorLeaseResult = { acquired: true } | { acquired: false; owner: string; leaseUntil: Date };

interface Store extends CreationProgressStore {
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
  /**
   * A worker's heartbeat: moves `leaseUntil` on while `owner` still holds the lease of a provision
   * in `state`. Not a compare-and-set on the version (the holder's own writes name the version it
   * read, and a heartbeat must not make them stale); false when the lease is no longer `owner`'s.
   */
  renewProvisionLease(input: {
    id: string;
    owner: string;
    state: ProvisionState;
    leaseUntil: Date;
  }): Promise<boolean>;
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
  /**
   * Records an attempt's outcome on the delivery and appends it to the attempt log, in one
   * transaction. With `series`, the delivery itself changes only if it is still in that series
   * (a redelivery that started a new one meanwhile wins); the attempt is logged either way.
   */
  recordDeliveryAttempt(input: {
    id: string;
    at: Date;
    status: number | null;
    error: string | null;
    outcome: WebhookAttemptOutcome;
    nextAttemptAt: Date | null;
    durationMs?: number | null;
    series?: number;
  }): Promise<void>;
  listDeliveries(input: { provisionId: string }): Promise<WebhookDelivery[]>;
  /** One tenant's deliveries in id order, optionally one cluster's and in one status. */
  listTenantDeliveries(input: {
    tenantId: string;
    provisionId?: string;
    status?: DeliveryStatus;
    afterId?: string;
    limit: number;
  }): Promise<WebhookDelivery[]>;
  getDelivery(input: { id: string; tenantId: string }): Promise<WebhookDelivery | null>;
  /** The attempt log of these deliveries, by delivery, series and attempt. */
  listDeliveryAttempts(input: { deliveryIds: readonly string[] }): Promise<WebhookAttempt[]>;
  /**
   * Starts a new attempt series for the same event: due at `at`, attempts 0, not delivered nor
   * abandoned, `series` + 1, who asked. `null` when the tenant has no such delivery.
   */
  redeliverDelivery(input: {
    id: string;
    tenantId: string;
    at: Date;
    requestedBy: string;
  }): Promise<WebhookDelivery | null>;

  createWebhookEndpoint(input: {
    id: string;
    tenantId: string;
    url: string;
    eventTypes: readonly WebhookEventType[];
    description: string | null;
    at: Date;
  }): Promise<WebhookEndpoint>;
  /** One tenant's endpoints in id order. */
  listWebhookEndpoints(input: {
    tenantId: string;
    afterId?: string;
    limit: number;
  }): Promise<WebhookEndpoint[]>;
  /** Enabled endpoints of the tenant subscribed to `eventType` (or to every type). */
  listSubscribedEndpoints(input: {
    tenantId: string;
    eventType: WebhookEventType;
  }): Promise<WebhookEndpoint[]>;
  /** An endpoint by id; only the tenant's when `tenantId` is given. */
  getWebhookEndpoint(input: { id: string; tenantId?: string }): Promise<WebhookEndpoint | null>;
  /** False when the tenant has no such endpoint. */
  deleteWebhookEndpoint(input: { id: string; tenantId: string }): Promise<boolean>;
  /** Clears `disabledAt`; `null` when the tenant has no such endpoint. */
  enableWebhookEndpoint(input: { id: string; tenantId: string }): Promise<WebhookEndpoint | null>;
  /** Disables an enabled endpoint (a disabled one keeps its first reason). */
  disableWebhookEndpoint(input: { id: string; reason: string; at: Date }): Promise<void>;

  createTenant(input: {
    id: string;
    name: string;
    webhookSecret: string;
    at: Date;
  }): Promise<Tenant>;
  getTenant(id: string): Promise<Tenant | null>;
  /** Tenants with exactly this name, oldest first (names are not unique; at most 10). */
  findTenantsByName(name: string): Promise<Tenant[]>;
  /**
   * Makes `secret` the tenant's signing secret and keeps the one it replaces as the previous
   * secret until `previousExpiresAt` (a still-valid older previous secret is dropped). `null`
   * when there is no such tenant.
   */
  rotateWebhookSecret(input: {
    tenantId: string;
    secret: string;
    previousExpiresAt: Date;
  }): Promise<Tenant | null>;
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
  /**
   * The running request's heartbeat: moves `lockedUntil` on while `claim` still holds the key
   * unfinished. False when the claim was lost (taken over) or is done.
   */
  renewIdempotencyClaim(input: { claim: IdempotencyClaim; lockedUntil: Date }): Promise<boolean>;
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

  /** The tenant's janitor defaults; both null for an unknown tenant. */
  getTenantDefaults(tenantId: string): Promise<TenantDefaults>;
  /** Replaces both defaults; false when there is no such tenant. */
  setTenantDefaults(input: { tenantId: string; defaults: TenantDefaults }): Promise<boolean>;

  /**
   * Takes the named lease with compare-and-set: free, expired, or already `owner`'s. Otherwise
   * says who holds it until when. Makes overlapping janitor runs harmless.
   */
  acquireJanitorLease(input: {
    name: string;
    owner: string;
    now: Date;
    leaseUntil: Date;
  }): Promise<JanitorLeaseResult>;
  /** Lets go of the lease if `owner` still holds it. */
  releaseJanitorLease(input: { name: string; owner: string }): Promise<void>;
  /** Running provisions in id order, with the janitor's marks. */
  listJanitorCandidates(input: { afterId?: string; limit: number }): Promise<JanitorCandidate[]>;
  /** Every region the store has a provision in (orphans are looked for there). */
  listProvisionRegions(): Promise<string[]>;
  /**
   * Records a warning with compare-and-set on the provision's version: the mark, the event and
   * the webhook deliveries (`cluster.expiring`) in one transaction. `null` when stale.
   */
  recordJanitorWarning(input: {
    id: string;
    expectedVersion: number;
    warning: JanitorWarning;
    warningEventId: string | null;
    event: NewProvisionEvent;
    webhooks: NewWebhookDelivery[];
  }): Promise<Provision | null>;
  /** Clears a warning with compare-and-set, recording why as an event. `null` when stale. */
  cancelJanitorWarning(input: {
    id: string;
    expectedVersion: number;
    event: NewProvisionEvent;
  }): Promise<Provision | null>;
  /** Remembers that the janitor saw the cluster busy at `seenAt` (never moves backwards). */
  recordJanitorActivity(input: { id: string; seenAt: Date }): Promise<void>;
  /** Inserts the row of a run that has started (counts zero, not finished). */
  startJanitorRun(run: JanitorRun): Promise<void>;
  /** Writes the whole report of a run. */
  finishJanitorRun(run: JanitorRun): Promise<void>;
  /** Runs newest first; `beforeId` pages on (ids are time-ordered). */
  listJanitorRuns(input: { beforeId?: string; limit: number }): Promise<JanitorRun[]>;

  close(): Promise<void>;
}

export type {
  ApiKeyRecord,
  DeliveryStatus,
  IdempotencyBegin,
  IdempotencyClaim,
  JanitorCandidate,
  JanitorLeaseResult,
  NewProvision,
  NewWebhookDelivery,
  OutboxEntry,
  ProvisionListQuery,
  ProvisionSettings,
  RateLimitResult,
  Store,
  StoredResponse,
  Tenant,
  TenantDefaults,
  WebhookAttempt,
  WebhookAttemptOutcome,
  WebhookDelivery,
  WebhookEndpoint,
};
