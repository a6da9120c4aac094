import type { Clock } from '../clock.js';
import type { WebhookEndpoint } from '../store/store.port.js';
import type { WebhookCircuitStore } from '../store/webhook-circuit.port.js';
import { circuitView, webhookEndpointView } from './webhook-views.js';

/**
 * Endpoints as the API shows them, each with its circuit breaker's state (read in one query for
 * a page): a tenant can see that its endpoint is open and until when, rather than wondering why
 * its deliveries wait.
 */
const endpointViewsWithCircuits = async (
  deps: { store: WebhookCircuitStore; clock: Clock },
  endpoints: readonly WebhookEndpoint[],
): Promise<ReturnType<typeof webhookEndpointView>[]> => {
  const [first] = endpoints;
  if (!first) return [];
  const circuits = await deps.store.listWebhookCircuits({
    tenantId: first.tenantId,
    targets: endpoints.map((endpoint) => endpoint.id),
  });
  const byTarget = new Map(circuits.map((circuit) => [circuit.target, circuit]));
  const now = deps.clock.now();
  return endpoints.map((endpoint) =>
    webhookEndpointView(endpoint, circuitView(byTarget.get(endpoint.id), now)),
  );
};

/** One endpoint as the API shows it, with its circuit. */
const endpointViewWithCircuit = async (
  deps: { store: WebhookCircuitStore; clock: Clock },
  endpoint: WebhookEndpoint,
): Promise<ReturnType<typeof webhookEndpointView>> => {
  const [view] = await endpointViewsWithCircuits(deps, [endpoint]);
  return view ?? webhookEndpointView(endpoint);
};

export { endpointViewsWithCircuits, endpointViewWithCircuit };
