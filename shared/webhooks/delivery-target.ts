/**
 * What a delivery is sent to, for concurrency caps and the circuit breaker: the tenant endpoint,
 * or, for a cluster's own webhook URL, its origin (scheme, host, port) — every cluster of a tenant
 * pointing at one receiver shares its breaker. Always read together with the tenant id.
 */
const deliveryTarget = (delivery: { endpointId: string | null; url: string }): string => {
  if (delivery.endpointId !== null) return delivery.endpointId;
  try {
    return `url:${new URL(delivery.url).origin}`;
  } catch {
    // An unparsable URL is refused by the sender without a request; it still needs a key.
    return `url:${delivery.url}`;
  }
};

/** One key per (tenant, target), for maps. */
const targetKey = (tenantId: string, target: string): string => `${tenantId} ${target}`;

export { deliveryTarget, targetKey };
