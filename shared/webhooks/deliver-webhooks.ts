import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { DeliveryStore } from '../store/delivery.port.js';
import type { WebhookDelivery } from '../store/store.port.js';
import type { TenantStore } from '../store/tenant.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { type TimeBudget, unlimitedBudget } from '../time-budget.js';
import { MAX_ATTEMPTS, nextRetryDelayMs } from './retry-schedule.js';
import { signingSecrets, signWebhook } from './signature.js';
import type { WebhookResult, WebhookSender } from './webhook-sender.js';

interface DeliverDeps {
  store: DeliveryStore & WebhookEndpointStore & TenantStore;
  sender: WebhookSender;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  /** How long a claimed delivery is hidden from other senders while one attempt runs. */
  attemptLeaseMs: number;
  /** Measures an attempt's duration (ms); `performance.now` unless a test says otherwise. */
  elapsed?: () => number;
}

/** What 410 Gone does to a tenant endpoint (Standard Webhooks): it is disabled. */
const GONE_REASON = 'gone (410)';

interface DeliveryTally {
  delivered: number;
  retrying: number;
  abandoned: number;
  skipped: number;
  /** Due deliveries not started because the time budget ran out (still due). */
  left: number;
}

type Outcome = { outcome: 'delivered' | 'retry' | 'abandoned'; nextAttemptAt: Date | null };

const decide = (
  delivery: WebhookDelivery,
  result: WebhookResult,
  now: Date,
  random: () => number,
): Outcome => {
  if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
    return { outcome: 'delivered', nextAttemptAt: null };
  }
  // 410 Gone: the receiver says the endpoint is no more (Standard Webhooks).
  if (result.kind === 'response' && result.status === 410)
    return { outcome: 'abandoned', nextAttemptAt: null };
  // The SSRF guard refused the URL or the address it resolves to: retrying cannot change the
  // rule, and three days of attempts at a private address are three days of probing it.
  if (result.kind === 'refused') return { outcome: 'abandoned', nextAttemptAt: null };
  const delay = nextRetryDelayMs({
    attemptsMade: delivery.attempts + 1,
    random,
    ...(result.kind === 'response' && result.retryAfterMs !== undefined
      ? { retryAfterMs: result.retryAfterMs }
      : {}),
  });
  if (delay === undefined || delivery.attempts + 1 >= MAX_ATTEMPTS)
    return { outcome: 'abandoned', nextAttemptAt: null };
  return { outcome: 'retry', nextAttemptAt: new Date(now.getTime() + delay) };
};

const describe = (
  result: WebhookResult,
  delivery: WebhookDelivery,
): { status: number | null; error: string | null } => {
  // A 410 ends the delivery for a reason the log must show: the receiver said it is gone, and
  // for a tenant endpoint that disabled the endpoint.
  if (result.kind === 'response' && result.status === 410)
    return {
      status: 410,
      error: delivery.endpointId === null ? GONE_REASON : `endpoint disabled: ${GONE_REASON}`,
    };
  if (result.kind === 'response') return { status: result.status, error: null };
  return { status: null, error: `${result.kind}: ${result.reason}` };
};

/** The secrets to sign with, or why not to send at all: its tenant or endpoint is gone. */
const prepare = async (
  deps: DeliverDeps,
  delivery: WebhookDelivery,
  now: Date,
): Promise<{ reason: string } | { secrets: string[] }> => {
  const tenant = await deps.store.getTenant(delivery.tenantId);
  if (!tenant) return { reason: 'tenant not found' };
  if (delivery.endpointId !== null) {
    const endpoint = await deps.store.getWebhookEndpoint({
      id: delivery.endpointId,
      tenantId: delivery.tenantId,
    });
    if (!endpoint) return { reason: 'endpoint deleted' };
    if (endpoint.disabledAt) return { reason: `endpoint disabled: ${endpoint.disabledReason}` };
  }
  return { secrets: signingSecrets(tenant, now) };
};

const deliverOne = async (
  deps: DeliverDeps,
  delivery: WebhookDelivery,
  tally: DeliveryTally,
): Promise<void> => {
  const now = deps.clock.now();
  const claimed = await deps.store.claimDelivery({
    id: delivery.id,
    now,
    leaseUntil: new Date(now.getTime() + deps.attemptLeaseMs),
  });
  if (!claimed) {
    tally.skipped += 1;
    return;
  }
  const ready = await prepare(deps, delivery, now);
  if ('reason' in ready) {
    await deps.store.recordDeliveryAttempt({
      id: delivery.id,
      at: now,
      status: null,
      error: ready.reason,
      outcome: 'abandoned',
      nextAttemptAt: null,
      durationMs: 0,
      series: delivery.series,
    });
    tally.abandoned += 1;
    return;
  }
  // `webhook-id` is the event id: the same on every retry, redelivery and target.
  const headers = signWebhook({
    secrets: ready.secrets,
    id: delivery.eventId,
    at: now,
    payload: delivery.payload,
  });
  const elapsed = deps.elapsed ?? (() => performance.now());
  const started = elapsed();
  const result = await deps.sender.send({
    url: delivery.url,
    body: delivery.payload,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'ask-provisioner-webhooks/1',
      ...headers,
    },
  });
  const durationMs = Math.max(0, Math.round(elapsed() - started));
  const decision = decide(delivery, result, deps.clock.now(), deps.random ?? Math.random);
  await deps.store.recordDeliveryAttempt({
    id: delivery.id,
    at: now,
    ...describe(result, delivery),
    ...decision,
    durationMs,
    series: delivery.series,
  });
  const gone = result.kind === 'response' && result.status === 410;
  if (gone && delivery.endpointId !== null) {
    await deps.store.disableWebhookEndpoint({
      id: delivery.endpointId,
      reason: GONE_REASON,
      at: now,
    });
  }
  if (decision.outcome === 'delivered') tally.delivered += 1;
  else if (decision.outcome === 'retry') tally.retrying += 1;
  else tally.abandoned += 1;
  deps.logger.info('webhook attempt', {
    deliveryId: delivery.id,
    eventId: delivery.eventId,
    endpointId: delivery.endpointId,
    provisionId: delivery.provisionId,
    eventType: delivery.eventType,
    attempt: delivery.attempts + 1,
    series: delivery.series,
    durationMs,
    outcome: decision.outcome,
    ...describe(result, delivery),
  });
};

/**
 * Sends every due delivery once; overlapping callers are safe because each claims before sending.
 * With a time budget, no attempt starts that could not end in it (`attemptMs`, the sender's
 * timeout): the deliveries not started stay due, unclaimed, for the next tick (`left`).
 */
const deliverDueWebhooks = async (
  deps: DeliverDeps,
  limit: number,
  within: { budget: TimeBudget; attemptMs: number } = { budget: unlimitedBudget, attemptMs: 0 },
): Promise<DeliveryTally> => {
  const tally: DeliveryTally = { delivered: 0, retrying: 0, abandoned: 0, skipped: 0, left: 0 };
  const due = await deps.store.listDueDeliveries({ now: deps.clock.now(), limit });
  // A few at a time: one slow receiver must not hold the others for the whole tick.
  const queue = [...due];
  const lanes = Array.from({ length: Math.min(8, queue.length) }, async () => {
    while (queue.length > 0 && within.budget.allows(within.attemptMs)) {
      const next = queue.shift();
      if (next) await deliverOne(deps, next, tally);
    }
  });
  await Promise.all(lanes);
  tally.left = queue.length;
  return tally;
};

export type { DeliveryTally };
export { deliverDueWebhooks };
