import type { Clock } from '../clock.js';
import { DomainError } from '../domain/errors.js';
import type { DeliveryStore } from '../store/delivery.port.js';
import type { RateLimitStore } from '../store/rate-limit.port.js';
import type { DeliveryStatus, WebhookAttempt, WebhookDelivery } from '../store/store.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { WEBHOOK_DELIVERY_ID } from './webhook-requests.js';

/**
 * The delivery log of a tenant and manual redelivery. A redelivery is a new attempt series for
 * the same event: the same `webhook-id`, a fresh timestamp and signature, the retry schedule
 * from the start. A delivered one can be replayed too; who asked is recorded.
 */
const listDeliveryLog = async (
  deps: { store: DeliveryStore & WebhookEndpointStore },
  input: {
    tenantId: string;
    provisionId?: string;
    status?: DeliveryStatus;
    afterId?: string;
    limit: number;
  },
): Promise<{
  items: WebhookDelivery[];
  attempts: WebhookAttempt[];
  nextAfterId: string | null;
}> => {
  const rows = await deps.store.listTenantDeliveries({ ...input, limit: input.limit + 1 });
  const items = rows.slice(0, input.limit);
  const attempts = await deps.store.listDeliveryAttempts({ deliveryIds: items.map((d) => d.id) });
  return {
    items,
    attempts,
    nextAfterId: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null,
  };
};

const notFound = (id: string): DomainError =>
  new DomainError('NOT_FOUND', `webhook delivery ${id} not found`);

/** One delivery of the tenant's, with its attempts. */
const getDelivery = async (
  deps: { store: DeliveryStore },
  input: { tenantId: string; id: string },
): Promise<{ delivery: WebhookDelivery; attempts: WebhookAttempt[] }> => {
  const delivery = WEBHOOK_DELIVERY_ID.test(input.id)
    ? await deps.store.getDelivery({ id: input.id, tenantId: input.tenantId })
    : null;
  if (!delivery) throw notFound(input.id);
  const attempts = await deps.store.listDeliveryAttempts({ deliveryIds: [delivery.id] });
  return { delivery, attempts };
};

/** Manual redeliveries per tenant: a token bucket of `burst`, refilled `perMinute`. */
interface RedeliverLimit {
  perMinute: number;
  burst: number;
}

/**
 * One token from the tenant's redelivery bucket (`redeliver:<tenant>`, in the store, so every API
 * instance draws from the same one); none left is `429` with Retry-After. A redelivery in a loop
 * used to queue attempts without bound, every one a claim on the shared delivery lanes. Per
 * tenant rather than per key: a tenant's keys share its deliveries, and minting keys must not
 * multiply the allowance.
 */
const takeRedeliveryToken = async (
  deps: {
    store: RateLimitStore;
    clock: Clock;
    config: { webhooks: { redeliver: RedeliverLimit } };
  },
  tenantId: string,
): Promise<void> => {
  const { perMinute, burst } = deps.config.webhooks.redeliver;
  const taken = await deps.store.takeRateLimitToken({
    bucket: `redeliver:${tenantId}`,
    now: deps.clock.now(),
    perSecond: perMinute / 60,
    burst,
  });
  if (taken.allowed) return;
  throw new DomainError(
    'RATE_LIMITED',
    `this tenant is over its redelivery limit of ${perMinute} a minute (bursts of ${burst}); ` +
      `retry in ${Math.ceil(taken.retryAfterMs / 1000)} s`,
    { retryAfterMs: taken.retryAfterMs },
  );
};

const redeliver = async (
  deps: {
    store: DeliveryStore & WebhookEndpointStore & RateLimitStore;
    clock: Clock;
    config: { webhooks: { redeliver: RedeliverLimit } };
  },
  input: { tenantId: string; id: string; requestedBy: string },
): Promise<{ delivery: WebhookDelivery; attempts: WebhookAttempt[] }> => {
  const delivery = WEBHOOK_DELIVERY_ID.test(input.id)
    ? await deps.store.getDelivery({ id: input.id, tenantId: input.tenantId })
    : null;
  if (!delivery) throw notFound(input.id);
  if (delivery.endpointId !== null) {
    const endpoint = await deps.store.getWebhookEndpoint({
      id: delivery.endpointId,
      tenantId: input.tenantId,
    });
    if (!endpoint) {
      throw new DomainError('CONFLICT', `webhook endpoint ${delivery.endpointId} was deleted`);
    }
    if (endpoint.disabledAt) {
      throw new DomainError(
        'CONFLICT',
        `webhook endpoint ${endpoint.id} is disabled (${endpoint.disabledReason}); enable it ` +
          `first with POST /v1/webhooks/endpoints/${endpoint.id}:enable`,
      );
    }
  }
  // Taken once the request is known to be valid, right before the write: a 404 or 409 costs
  // the tenant nothing (the per-key API rate limit bounds those).
  await takeRedeliveryToken(deps, input.tenantId);
  const queued = await deps.store.redeliverDelivery({
    id: delivery.id,
    tenantId: input.tenantId,
    at: deps.clock.now(),
    requestedBy: input.requestedBy,
  });
  if (!queued) throw notFound(input.id);
  const attempts = await deps.store.listDeliveryAttempts({ deliveryIds: [queued.id] });
  return { delivery: queued, attempts };
};

export type { RedeliverLimit };
export { getDelivery, listDeliveryLog, redeliver };
