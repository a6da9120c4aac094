import type { Clock } from '../clock.js';
import { DomainError } from '../domain/errors.js';
import { newId } from '../ids.js';
import type { WebhookEndpoint } from '../store/store.port.js';
import type { WebhookCircuitStore } from '../store/webhook-circuit.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import {
  type CreateWebhookEndpointRequest,
  MAX_ENDPOINTS_PER_TENANT,
  type UpdateWebhookEndpointRequest,
  WEBHOOK_ENDPOINT_ID,
} from './webhook-requests.js';

/**
 * A tenant's webhook endpoints. Every operation is the caller's tenant's: another tenant's
 * endpoint and a missing one are the same NOT_FOUND. The URL's address is not resolved here:
 * the SSRF guard checks the address actually connected to, on every delivery.
 */
interface Deps {
  store: WebhookEndpointStore;
  clock: Clock;
}

/** What changes the receiver: the old one's circuit says nothing about the new. */
interface ReceiverDeps {
  store: WebhookEndpointStore & WebhookCircuitStore;
  clock: Clock;
}

/** Forgets the endpoint's circuit breaker (closed, no failures). */
const resetCircuit = async (deps: ReceiverDeps, endpoint: WebhookEndpoint): Promise<void> => {
  await deps.store.updateWebhookCircuit({
    tenantId: endpoint.tenantId,
    target: endpoint.id,
    at: deps.clock.now(),
    update: () => null,
  });
};

const notFound = (id: string): DomainError =>
  new DomainError('NOT_FOUND', `webhook endpoint ${id} not found`);

const createWebhookEndpoint = async (
  deps: Deps,
  input: { tenantId: string; request: CreateWebhookEndpointRequest },
): Promise<WebhookEndpoint> => {
  const existing = await deps.store.listWebhookEndpoints({
    tenantId: input.tenantId,
    limit: MAX_ENDPOINTS_PER_TENANT,
  });
  if (existing.length >= MAX_ENDPOINTS_PER_TENANT) {
    throw new DomainError(
      'CONFLICT',
      `a tenant has at most ${MAX_ENDPOINTS_PER_TENANT} webhook endpoints; delete one first`,
    );
  }
  const now = deps.clock.now();
  return deps.store.createWebhookEndpoint({
    id: newId('whe', now.getTime()),
    tenantId: input.tenantId,
    url: input.request.url,
    eventTypes: input.request.eventTypes,
    description: input.request.description ?? null,
    at: now,
  });
};

/** A page of endpoints in id order; `nextAfterId` is null on the last page. */
const listWebhookEndpoints = async (
  deps: { store: WebhookEndpointStore },
  input: { tenantId: string; afterId?: string; limit: number },
): Promise<{ items: WebhookEndpoint[]; nextAfterId: string | null }> => {
  const rows = await deps.store.listWebhookEndpoints({ ...input, limit: input.limit + 1 });
  const items = rows.slice(0, input.limit);
  return { items, nextAfterId: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
};

/**
 * Deletes the endpoint and its circuit; its pending deliveries are abandoned when they come due.
 */
const deleteWebhookEndpoint = async (
  deps: ReceiverDeps,
  input: { tenantId: string; id: string },
): Promise<WebhookEndpoint> => {
  const endpoint = WEBHOOK_ENDPOINT_ID.test(input.id)
    ? await deps.store.getWebhookEndpoint({ id: input.id, tenantId: input.tenantId })
    : null;
  if (!endpoint || !(await deps.store.deleteWebhookEndpoint(input))) throw notFound(input.id);
  await resetCircuit(deps, endpoint);
  return endpoint;
};

/** Re-enables an endpoint (after a 410 disabled it); an enabled one stays as it is. */
const enableWebhookEndpoint = async (
  deps: { store: WebhookEndpointStore },
  input: { tenantId: string; id: string },
): Promise<WebhookEndpoint> => {
  const endpoint = WEBHOOK_ENDPOINT_ID.test(input.id)
    ? await deps.store.enableWebhookEndpoint(input)
    : null;
  if (!endpoint) throw notFound(input.id);
  return endpoint;
};

/** What an endpoint the tenant disabled itself says in `disabledReason`. */
const DISABLED_BY_TENANT = 'disabled by the tenant';

/** One of the tenant's endpoints. */
const getWebhookEndpoint = async (
  deps: { store: WebhookEndpointStore },
  input: { tenantId: string; id: string },
): Promise<WebhookEndpoint> => {
  const endpoint = WEBHOOK_ENDPOINT_ID.test(input.id)
    ? await deps.store.getWebhookEndpoint({ id: input.id, tenantId: input.tenantId })
    : null;
  if (!endpoint) throw notFound(input.id);
  return endpoint;
};

/**
 * Changes the url, the event types, the description or whether it is enabled. A new url is a new
 * receiver: the circuit breaker starts closed.
 */
const updateWebhookEndpoint = async (
  deps: ReceiverDeps,
  input: { tenantId: string; id: string; request: UpdateWebhookEndpointRequest },
): Promise<WebhookEndpoint> => {
  const { request } = input;
  const endpoint = WEBHOOK_ENDPOINT_ID.test(input.id)
    ? await deps.store.updateWebhookEndpoint({
        id: input.id,
        tenantId: input.tenantId,
        ...(request.url !== undefined ? { url: request.url } : {}),
        ...(request.eventTypes !== undefined ? { eventTypes: request.eventTypes } : {}),
        ...(request.description !== undefined ? { description: request.description } : {}),
        ...(request.enabled !== undefined ? { enabled: request.enabled } : {}),
        disabledReason: DISABLED_BY_TENANT,
        at: deps.clock.now(),
      })
    : null;
  if (!endpoint) throw notFound(input.id);
  if (request.url !== undefined) await resetCircuit(deps, endpoint);
  return endpoint;
};

export {
  createWebhookEndpoint,
  DISABLED_BY_TENANT,
  deleteWebhookEndpoint,
  enableWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookEndpoints,
  updateWebhookEndpoint,
};
