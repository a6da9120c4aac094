import type { WebhookCircuit } from '../store/webhook-circuit.port.js';
import { circuitState, probeInFlight } from './circuit-breaker.js';
import { deliveryTarget, targetKey } from './delivery-target.js';

/**
 * Which due deliveries a sender claims now (pure). The candidates come round-robin across tenants
 * (a tenant's first due delivery, every other tenant's first, then the seconds, …); they are taken
 * in that order while the sender has free lanes, skipping any whose tenant or target already has
 * its cap of attempts in flight — counted over every poller instance, from the database. A target
 * whose circuit is open is not attempted: its deliveries are rescheduled to the end of the
 * cool-down (no attempt counted); a half-open one gets a single probe at a time.
 */
interface ClaimCandidate {
  id: string;
  tenantId: string;
  endpointId: string | null;
  url: string;
}

interface ClaimLimits {
  /** Free lanes of this sender. */
  slots: number;
  perTenant: number;
  perTarget: number;
}

interface ClaimView {
  /** Deliveries claimed by any sender whose claim has not expired. */
  inFlight: readonly { tenantId: string; endpointId: string | null; url: string }[];
  /** The circuits of the candidates' targets that have failures or are open. */
  circuits: readonly WebhookCircuit[];
}

interface ClaimPlan {
  claim: string[];
  /** Half-open targets whose probe this plan sends (marked in flight with the claim). */
  probes: { tenantId: string; target: string }[];
  /** Deliveries of open circuits, rescheduled to the cool-down's end. */
  defer: { ids: string[]; until: Date }[];
}

const increment = (counts: Map<string, number>, key: string): void => {
  counts.set(key, (counts.get(key) ?? 0) + 1);
};

const planClaims = (input: {
  candidates: readonly ClaimCandidate[];
  view: ClaimView;
  limits: ClaimLimits;
  now: Date;
}): ClaimPlan => {
  const { limits, now } = input;
  const perTenant = new Map<string, number>();
  const perTarget = new Map<string, number>();
  for (const flying of input.view.inFlight) {
    increment(perTenant, flying.tenantId);
    increment(perTarget, targetKey(flying.tenantId, deliveryTarget(flying)));
  }
  const circuits = new Map(input.view.circuits.map((c) => [targetKey(c.tenantId, c.target), c]));
  const claim: string[] = [];
  const probes: ClaimPlan['probes'] = [];
  const probing = new Set<string>();
  const deferred = new Map<string, { ids: string[]; until: Date }>();

  for (const candidate of input.candidates) {
    const target = deliveryTarget(candidate);
    const key = targetKey(candidate.tenantId, target);
    const circuit = circuits.get(key);
    const state = circuitState(circuit, now);
    if (state === 'open' && circuit?.retryAt) {
      const entry = deferred.get(key) ?? { ids: [], until: circuit.retryAt };
      entry.ids.push(candidate.id);
      deferred.set(key, entry);
      continue;
    }
    if (claim.length >= limits.slots) continue;
    if ((perTenant.get(candidate.tenantId) ?? 0) >= limits.perTenant) continue;
    if ((perTarget.get(key) ?? 0) >= limits.perTarget) continue;
    if (state === 'half-open') {
      // One probe at a time: the rest wait (still due) until it says whether the target is back.
      if (probing.has(key) || probeInFlight(circuit, now)) continue;
      probing.add(key);
      probes.push({ tenantId: candidate.tenantId, target });
    }
    claim.push(candidate.id);
    increment(perTenant, candidate.tenantId);
    increment(perTarget, key);
  }
  return { claim, probes, defer: [...deferred.values()] };
};

export type { ClaimCandidate, ClaimLimits, ClaimPlan, ClaimView };
export { planClaims };
