import type { Clock } from '../clock.js';
import { DomainError } from '../domain/errors.js';
import type { DeliveryStore } from '../store/delivery.port.js';
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

const redeliver = async (
  deps: { store: DeliveryStore & WebhookEndpointStore; clock: Clock },
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

export { getDelivery, listDeliveryLog, redeliver };
