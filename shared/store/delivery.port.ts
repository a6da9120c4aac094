import type { WebhookEventType } from '../domain/webhook-event.js';
import type { WebhookCircuit } from './webhook-circuit.port.js';

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

/** One finished attempt of a claimed delivery, as the sender hands it to the store. */
interface FinishedAttempt {
  id: string;
  series: number;
  at: Date;
  status: number | null;
  error: string | null;
  outcome: WebhookAttemptOutcome;
  /** Set exactly when the outcome is `retry`. */
  nextAttemptAt: Date | null;
  durationMs: number | null;
}

type DeliveryStatus = 'pending' | 'delivered' | 'abandoned';

/** What a sender sees when it claims: every claim in flight, the circuits with failures. */
interface DeliveryClaimView {
  /** Deliveries claimed by any sender whose claim has not expired. */
  inFlight: { tenantId: string; endpointId: string | null; url: string }[];
  /** The circuits (with failures, or open) of the tenants asked about. */
  circuits: WebhookCircuit[];
}

/** What a sender decided to claim, probe and reschedule, given the view. */
interface DeliveryClaimPlan {
  claim: string[];
  /** Half-open circuits whose one probe this claim sends. */
  probes: { tenantId: string; target: string }[];
  /** Deliveries pushed to `until` without an attempt (their circuit is open). */
  defer: { ids: string[]; until: Date }[];
}

/** Webhook deliveries and their attempt log. */
interface DeliveryStore {
  /**
   * Deliveries not delivered nor abandoned, with `nextAttemptAt <= now`, round-robin across
   * tenants: every tenant's oldest, then every tenant's second oldest, … (so one tenant's backlog
   * cannot fill the batch).
   */
  listDueDeliveries(input: { now: Date; limit: number }): Promise<WebhookDelivery[]>;
  /**
   * Claims deliveries for one sender, in one transaction that every sender serialises on (short:
   * no request is sent under it): reads the claims in flight and the circuits of `tenantIds`,
   * asks `plan`, then claims (compare-and-set on `nextAttemptAt <= now`, setting it and
   * `claimed_until` to `leaseUntil`), marks the probes in flight until `leaseUntil`, and
   * reschedules the deferred ones (attempts unchanged). Returns what it really claimed and
   * deferred; a delivery another sender took meanwhile is in neither.
   */
  claimDeliveries(input: {
    now: Date;
    leaseUntil: Date;
    tenantIds: readonly string[];
    plan: (view: DeliveryClaimView) => DeliveryClaimPlan;
  }): Promise<{ claimed: string[]; deferred: string[]; view: DeliveryClaimView }>;
  /**
   * Claims a due delivery for one sender by pushing `nextAttemptAt` to `leaseUntil` only if it is
   * still due; false when another sender got it first. Makes overlapping poller ticks safe.
   */
  claimDelivery(input: { id: string; now: Date; leaseUntil: Date }): Promise<boolean>;
  /**
   * Records an attempt's outcome on the delivery (ending its claim) and appends it to the attempt
   * log, in one transaction. With `series`, the delivery itself changes only if it is still in that series
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
  /**
   * Records a batch of finished attempts in one statement: each as `recordDeliveryAttempt` with
   * its `series` (the delivery changes only if still in that series; the attempt is logged
   * either way). Atomic: all are recorded or none. The ids must be distinct.
   */
  recordDeliveryAttempts(attempts: readonly FinishedAttempt[]): Promise<void>;
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
}

export type {
  DeliveryClaimPlan,
  DeliveryClaimView,
  DeliveryStatus,
  DeliveryStore,
  FinishedAttempt,
  NewWebhookDelivery,
  WebhookAttempt,
  WebhookAttemptOutcome,
  WebhookDelivery,
};
