import type { Provision } from '../domain/provision.js';
import {
  type WebhookEventType,
  type WebhookPayload,
  webhookPayloadFor,
  webhookTypeForState,
} from '../domain/webhook-event.js';
import { newId } from '../ids.js';
import type { NewWebhookDelivery } from '../store/store.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';

/**
 * The fan-out of one event: a delivery row for the per-request URL (`spec.webhook.url`) and one
 * for every enabled endpoint of the provision's tenant subscribed to the type. Every row has its
 * own id (`whd_…`) and the same event id (`evt_…`), which is what goes out as `webhook-id`: a
 * receiver subscribed twice sees one event twice and can dedupe. The endpoints are read first;
 * the caller writes the rows in the transaction of the change they announce (an outbox).
 */
interface WebhookDeliveriesInput {
  store: Pick<WebhookEndpointStore, 'listSubscribedEndpoints'>;
  provision: Provision;
  type: WebhookEventType;
  /** Merged into the payload's `data` (e.g. `deleteAt` and `reason` of `cluster.expiring`). */
  payloadData?: Partial<WebhookPayload['data']>;
  /** The event's time: the payload's `timestamp` and when the first attempt is due. */
  now: Date;
  /** The event id, when the caller needs to know it (e.g. to keep it on a mark); new otherwise. */
  eventId?: string;
}

const webhookDeliveriesFor = async (
  input: WebhookDeliveriesInput,
): Promise<NewWebhookDelivery[]> => {
  const { provision, type, now } = input;
  const endpoints = await input.store.listSubscribedEndpoints({
    tenantId: provision.tenantId,
    eventType: type,
  });
  const requestUrl = provision.spec.webhook?.url;
  const targets = [
    ...(requestUrl ? [{ url: requestUrl, endpointId: null }] : []),
    ...endpoints.map((endpoint) => ({ url: endpoint.url, endpointId: endpoint.id })),
  ];
  if (targets.length === 0) return [];
  const base = webhookPayloadFor(provision, type, now);
  const payload = JSON.stringify({ ...base, data: { ...base.data, ...input.payloadData } });
  const eventId = input.eventId ?? newId('evt', now.getTime());
  return targets.map((target) => ({
    id: newId('whd', now.getTime()),
    eventId,
    endpointId: target.endpointId,
    tenantId: provision.tenantId,
    provisionId: provision.id,
    url: target.url,
    eventType: type,
    payload,
    nextAttemptAt: now,
  }));
};

/** The deliveries a provision entering `after.state` owes; none for a state not announced. */
const transitionWebhooks = async (input: {
  store: Pick<WebhookEndpointStore, 'listSubscribedEndpoints'>;
  after: Provision;
  now: Date;
}): Promise<NewWebhookDelivery[]> => {
  const type = webhookTypeForState(input.after.state);
  return type
    ? webhookDeliveriesFor({ store: input.store, provision: input.after, type, now: input.now })
    : [];
};

export type { WebhookDeliveriesInput };
export { transitionWebhooks, webhookDeliveriesFor };
