import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { DeliveryStore } from '../store/delivery.port.js';
import type { WebhookDelivery } from '../store/store.port.js';
import type { TenantStore } from '../store/tenant.port.js';
import type { WebhookCircuitStore } from '../store/webhook-circuit.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { type TimeBudget, unlimitedBudget } from '../time-budget.js';
import type { BreakerSettings } from './circuit-breaker.js';
import {
  type AttemptDeps,
  attemptClaimed,
  type DeliveryTally,
  type EndedAttempt,
  newTickMemory,
  recordEnded,
  type TickMemory,
} from './deliver-attempt.js';
import { targetKey } from './delivery-target.js';
import { planClaims } from './fair-claims.js';
import type { WebhookSender } from './webhook-sender.js';

/** How many attempts go at once, and what one tenant or one target may hold of them. */
interface DeliveryFairness {
  /** Attempts in flight at once in one run (its lanes). */
  lanes: number;
  /** Attempts of one tenant in flight over every poller instance. */
  perTenant: number;
  /** Attempts to one target (endpoint, or a cluster URL's origin) in flight, every instance. */
  perTarget: number;
  breaker: BreakerSettings;
}

/** The defaults of the configuration (README's table). */
const DEFAULT_FAIRNESS: DeliveryFairness = {
  lanes: 16,
  perTenant: 8,
  perTarget: 8,
  breaker: { failureThreshold: 5, cooldownMs: 60_000, maxCooldownMs: 3_600_000 },
};

interface DeliverDeps {
  store: DeliveryStore & WebhookEndpointStore & WebhookCircuitStore & TenantStore;
  sender: WebhookSender;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  /** How long a claimed delivery is hidden from other senders while one attempt runs. */
  attemptLeaseMs: number;
  /** Measures an attempt's duration (ms); `performance.now` unless a test says otherwise. */
  elapsed?: () => number;
  fairness?: DeliveryFairness;
}

/**
 * Claims what the free lanes can take now (round-robin across tenants, within the caps; open
 * circuits' deliveries rescheduled), and takes what was claimed or rescheduled off `pending`.
 */
const claimNext = async (
  deps: DeliverDeps,
  fairness: DeliveryFairness,
  pending: WebhookDelivery[],
  slots: number,
  memory: TickMemory,
  tally: DeliveryTally,
): Promise<{ claimed: WebhookDelivery[]; pending: WebhookDelivery[] }> => {
  const now = deps.clock.now();
  let planned = new Set<string>();
  const result = await deps.store.claimDeliveries({
    now,
    leaseUntil: new Date(now.getTime() + deps.attemptLeaseMs),
    tenantIds: [...new Set(pending.map((delivery) => delivery.tenantId))],
    plan: (view) => {
      const plan = planClaims({
        candidates: pending,
        view,
        limits: { slots, perTenant: fairness.perTenant, perTarget: fairness.perTarget },
        now,
      });
      planned = new Set([...plan.claim, ...plan.defer.flatMap((group) => group.ids)]);
      return plan;
    },
  });
  for (const circuit of result.view.circuits) {
    memory.circuits.add(targetKey(circuit.tenantId, circuit.target));
  }
  const claimedIds = new Set(result.claimed);
  tally.deferred += result.deferred.length;
  tally.skipped += planned.size - result.claimed.length - result.deferred.length;
  return {
    claimed: pending.filter((delivery) => claimedIds.has(delivery.id)),
    pending: pending.filter((delivery) => !planned.has(delivery.id)),
  };
};

/**
 * The poller's delivery step. Lists due deliveries round-robin across tenants, then keeps up to
 * `lanes` attempts going: whenever lanes are free it claims the next deliveries that fit (a
 * tenant's and a target's caps count every instance's claims; a target whose circuit is open is
 * rescheduled, not attempted), so a tenant whose receivers hang holds at most its cap of lanes
 * and the others' deliveries keep flowing. Overlapping runs are safe: every claim is a
 * compare-and-set. With a time budget, no attempt starts that could not end in it (`attemptMs`,
 * the sender's timeout) and each attempt's timeout is at most what is left; what was not started
 * stays due, unclaimed, for the next tick (`left`).
 *
 * Database round trips are paid per batch, not per delivery: the attempts that ended while the
 * last write or claim ran are recorded together in one statement (which ends their claims, so
 * the caps see their lanes free), then one claim transaction fills every free lane. Under load
 * the batches grow by themselves; an idle receiver still gets one attempt at a time.
 */
const deliverDueWebhooks = async (
  deps: DeliverDeps,
  limit: number,
  within: { budget: TimeBudget; attemptMs: number } = { budget: unlimitedBudget, attemptMs: 0 },
): Promise<DeliveryTally> => {
  const fairness = deps.fairness ?? DEFAULT_FAIRNESS;
  const tally: DeliveryTally = {
    delivered: 0,
    retrying: 0,
    abandoned: 0,
    skipped: 0,
    deferred: 0,
    left: 0,
  };
  const attemptDeps: AttemptDeps = {
    store: deps.store,
    sender: deps.sender,
    clock: deps.clock,
    logger: deps.logger,
    random: deps.random ?? Math.random,
    elapsed: deps.elapsed ?? (() => performance.now()),
    breaker: fairness.breaker,
  };
  const memory = newTickMemory();
  let pending = await deps.store.listDueDeliveries({ now: deps.clock.now(), limit });
  /** Attempts sending now. */
  const running = new Set<Promise<void>>();
  /** Attempts that ended and whose outcome is not written yet (they still hold their lane). */
  let ended: EndedAttempt[] = [];
  const start = (delivery: WebhookDelivery): void => {
    const timeoutMs = within.budget.remainingMs();
    const attempt: Promise<void> = attemptClaimed(attemptDeps, memory, delivery, timeoutMs)
      .then((done) => {
        ended.push(done);
      })
      .catch((error: unknown) => {
        // The claim's lease brings it back; one failed attempt must not stop the other lanes.
        deps.logger.error('webhook attempt failed', { deliveryId: delivery.id, error });
      })
      .finally(() => running.delete(attempt));
    running.add(attempt);
  };
  const flush = async (): Promise<void> => {
    const batch = ended;
    ended = [];
    await recordEnded(deps, batch, tally);
  };
  try {
    while (pending.length > 0 && within.budget.allows(within.attemptMs)) {
      await flush();
      // Attempts that ended during the flush still hold their claims until the next one.
      const slots = fairness.lanes - running.size - ended.length;
      if (slots > 0) {
        const next = await claimNext(deps, fairness, pending, slots, memory, tally);
        pending = next.pending;
        for (const delivery of next.claimed) start(delivery);
      }
      // Nothing in flight and nothing claimable: the rest wait on caps held by other instances
      // or on a probe; the next tick sees them again.
      if (running.size === 0 && ended.length === 0) break;
      if (ended.length === 0) {
        await Promise.race(running);
        // Answers that arrived together end together: let their attempts finish (microtasks,
        // this I/O phase) before the next write, so one statement records them all.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    // A failed claim ends the step, but not before the attempts already sent are recorded.
    await Promise.all(running);
    await flush();
  }
  tally.left = pending.length;
  return tally;
};

export type { DeliveryFairness, DeliveryTally };
export { DEFAULT_FAIRNESS, deliverDueWebhooks };
