import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { DeliveryStore, FinishedAttempt } from '../store/delivery.port.js';
import type { Tenant, WebhookDelivery, WebhookEndpoint } from '../store/store.port.js';
import type { TenantStore } from '../store/tenant.port.js';
import type { WebhookCircuitStore } from '../store/webhook-circuit.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { type BreakerSettings, circuitAfterAttempt } from './circuit-breaker.js';
import { deliveryTarget, targetKey } from './delivery-target.js';
import { MAX_ATTEMPTS, nextRetryDelayMs } from './retry-schedule.js';
import { signingSecrets, signWebhook } from './signature.js';
import type { WebhookResult, WebhookSender } from './webhook-sender.js';

/**
 * One attempt of a delivery its sender has claimed: check that its tenant (and endpoint) still
 * want it, sign, send, and tell the target's circuit breaker how it went; the outcome and the
 * attempt log row are written with other ended attempts in one statement (`recordEnded`).
 */
interface AttemptDeps {
  store: DeliveryStore & WebhookEndpointStore & WebhookCircuitStore & TenantStore;
  sender: WebhookSender;
  clock: Clock;
  logger: Logger;
  random: () => number;
  elapsed: () => number;
  breaker: BreakerSettings;
}

/** Per tick: tenants and endpoints read once, and the targets known to have a circuit row. */
interface TickMemory {
  tenants: Map<string, Promise<Tenant | null>>;
  endpoints: Map<string, Promise<WebhookEndpoint | null>>;
  /** (tenant, target) keys whose circuit had failures when last seen: a success clears them. */
  circuits: Set<string>;
}

const newTickMemory = (): TickMemory => ({
  tenants: new Map(),
  endpoints: new Map(),
  circuits: new Set(),
});

interface DeliveryTally {
  delivered: number;
  retrying: number;
  abandoned: number;
  /** Planned but taken by another sender first. */
  skipped: number;
  /** Rescheduled to the end of their target's cool-down without an attempt (circuit open). */
  deferred: number;
  /** Due deliveries not started: out of time, or their tenant or target at its cap (still due). */
  left: number;
}

/** What 410 Gone does to a tenant endpoint (Standard Webhooks): it is disabled. */
const GONE_REASON = 'gone (410)';

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

const remembered = <T>(map: Map<string, Promise<T>>, key: string, read: () => Promise<T>) => {
  const known = map.get(key);
  if (known) return known;
  const reading = read();
  map.set(key, reading);
  return reading;
};

/** The secrets to sign with, or why not to send at all: its tenant or endpoint is gone. */
const prepare = async (
  deps: AttemptDeps,
  memory: TickMemory,
  delivery: WebhookDelivery,
  now: Date,
): Promise<{ reason: string } | { secrets: string[] }> => {
  const tenant = await remembered(memory.tenants, delivery.tenantId, () =>
    deps.store.getTenant(delivery.tenantId),
  );
  if (!tenant) return { reason: 'tenant not found' };
  const endpointId = delivery.endpointId;
  if (endpointId !== null) {
    const endpoint = await remembered(memory.endpoints, endpointId, () =>
      deps.store.getWebhookEndpoint({ id: endpointId, tenantId: delivery.tenantId }),
    );
    if (!endpoint) return { reason: 'endpoint deleted' };
    if (endpoint.disabledAt) return { reason: `endpoint disabled: ${endpoint.disabledReason}` };
  }
  return { secrets: signingSecrets(tenant, now) };
};

/**
 * Tells the target's breaker: a failure always (it may open the circuit), a success only when
 * the target had failures (most successes cost no write). A refusal by the SSRF guard or a 410
 * says nothing about the receiver's health.
 */
const recordCircuit = async (
  deps: AttemptDeps,
  memory: TickMemory,
  delivery: WebhookDelivery,
  result: WebhookResult,
  at: Date,
): Promise<void> => {
  if (result.kind === 'refused') return;
  if (result.kind === 'response' && result.status === 410) return;
  const ok = result.kind === 'response' && result.status >= 200 && result.status < 300;
  const target = deliveryTarget(delivery);
  const key = targetKey(delivery.tenantId, target);
  if (ok && !memory.circuits.has(key)) return;
  const next = await deps.store.updateWebhookCircuit({
    tenantId: delivery.tenantId,
    target,
    at,
    update: (current) =>
      circuitAfterAttempt(current, { tenantId: delivery.tenantId, target, ok, at }, deps.breaker),
  });
  if (next === null) memory.circuits.delete(key);
  else memory.circuits.add(key);
  if (next?.openedAt?.getTime() === at.getTime()) {
    deps.logger.warn('webhook circuit opened', {
      tenantId: delivery.tenantId,
      target: delivery.endpointId ?? 'cluster webhook URL',
      failures: next.failures,
      retryAt: next.retryAt?.toISOString(),
    });
  }
};

/** An attempt that has ended, waiting for its outcome to be written with its batch. */
interface EndedAttempt {
  delivery: WebhookDelivery;
  record: FinishedAttempt;
  /** What the log line says beyond the record (absent: not sent at all). */
  sent: boolean;
}

/**
 * Sends one claimed delivery (the attempt's timeout is at most `timeoutMs`) and tells the
 * target's breaker; the outcome is returned, not written: the caller writes a batch of them in
 * one statement (`recordEnded`), which also ends their claims.
 */
const attemptClaimed = async (
  deps: AttemptDeps,
  memory: TickMemory,
  delivery: WebhookDelivery,
  timeoutMs: number,
): Promise<EndedAttempt> => {
  const now = deps.clock.now();
  const ready = await prepare(deps, memory, delivery, now);
  if ('reason' in ready) {
    return {
      delivery,
      sent: false,
      record: {
        id: delivery.id,
        series: delivery.series,
        at: now,
        status: null,
        error: ready.reason,
        outcome: 'abandoned',
        nextAttemptAt: null,
        durationMs: 0,
      },
    };
  }
  // `webhook-id` is the event id: the same on every retry, redelivery and target.
  const headers = signWebhook({
    secrets: ready.secrets,
    id: delivery.eventId,
    at: now,
    payload: delivery.payload,
  });
  const started = deps.elapsed();
  const result = await deps.sender.send({
    url: delivery.url,
    body: delivery.payload,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'ask-provisioner-webhooks/1',
      ...headers,
    },
    timeoutMs,
  });
  const durationMs = Math.max(0, Math.round(deps.elapsed() - started));
  const finished = deps.clock.now();
  const decision = decide(delivery, result, finished, deps.random);
  const gone = result.kind === 'response' && result.status === 410;
  if (gone && delivery.endpointId !== null) {
    await deps.store.disableWebhookEndpoint({
      id: delivery.endpointId,
      reason: GONE_REASON,
      at: now,
    });
    // The tick's later deliveries to it are abandoned without a request, as a new tick would.
    memory.endpoints.delete(delivery.endpointId);
  }
  await recordCircuit(deps, memory, delivery, result, finished);
  return {
    delivery,
    sent: true,
    record: {
      id: delivery.id,
      series: delivery.series,
      at: now,
      ...describe(result, delivery),
      ...decision,
      durationMs,
    },
  };
};

/**
 * Writes ended attempts' outcomes and attempt log rows in one statement, then counts and logs
 * them. Taken as they are: a failed write is not retried (an ambiguous failure could log an
 * attempt twice); the claims' lease brings those deliveries back for another attempt.
 */
const recordEnded = async (
  deps: Pick<AttemptDeps, 'store' | 'logger'>,
  ended: readonly EndedAttempt[],
  tally: DeliveryTally,
): Promise<void> => {
  if (ended.length === 0) return;
  try {
    await deps.store.recordDeliveryAttempts(ended.map((attempt) => attempt.record));
  } catch (error) {
    deps.logger.error('webhook attempts not recorded', {
      deliveryIds: ended.map((attempt) => attempt.delivery.id),
      error,
    });
    return;
  }
  for (const { delivery, record, sent } of ended) {
    if (record.outcome === 'delivered') tally.delivered += 1;
    else if (record.outcome === 'retry') tally.retrying += 1;
    else tally.abandoned += 1;
    if (!sent) continue;
    deps.logger.info('webhook attempt', {
      deliveryId: delivery.id,
      eventId: delivery.eventId,
      endpointId: delivery.endpointId,
      provisionId: delivery.provisionId,
      eventType: delivery.eventType,
      attempt: delivery.attempts + 1,
      series: delivery.series,
      durationMs: record.durationMs,
      outcome: record.outcome,
      status: record.status,
      error: record.error,
    });
  }
};

export type { AttemptDeps, DeliveryTally, EndedAttempt, TickMemory };
export { attemptClaimed, newTickMemory, recordEnded };
