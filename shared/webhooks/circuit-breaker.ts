import type { WebhookCircuit } from '../store/webhook-circuit.port.js';

/**
 * The circuit breaker of a webhook target (pure). Closed: attempts go. After `failureThreshold`
 * consecutive failed attempts it opens for a cool-down, which doubles with every reopening up to
 * `maxCooldownMs`; its due deliveries are rescheduled to the end of the cool-down without an
 * attempt being counted. Then it is half-open: one probe goes; success closes it, failure
 * reopens it. A receiver that never answers costs one timeout per cool-down instead of one per
 * delivery, and its tenant's schedule is not burnt while it is down.
 */
interface BreakerSettings {
  failureThreshold: number;
  cooldownMs: number;
  maxCooldownMs: number;
}

type CircuitState = 'closed' | 'open' | 'half-open';

const circuitState = (circuit: WebhookCircuit | null | undefined, now: Date): CircuitState => {
  if (!circuit || circuit.openedAt === null || circuit.retryAt === null) return 'closed';
  return circuit.retryAt.getTime() > now.getTime() ? 'open' : 'half-open';
};

/** Whether a half-open circuit's probe is already out (and its claim not yet expired). */
const probeInFlight = (circuit: WebhookCircuit | null | undefined, now: Date): boolean =>
  circuit?.probeUntil !== null &&
  circuit?.probeUntil !== undefined &&
  circuit.probeUntil.getTime() > now.getTime();

const cooldownFor = (opens: number, settings: BreakerSettings): number =>
  Math.min(settings.cooldownMs * 2 ** Math.max(0, opens - 1), settings.maxCooldownMs);

/** The circuit after an attempt that reached the receiver (or failed to); null: forget it. */
const circuitAfterAttempt = (
  current: WebhookCircuit | null,
  attempt: { tenantId: string; target: string; ok: boolean; at: Date },
  settings: BreakerSettings,
): WebhookCircuit | null => {
  if (attempt.ok) return null;
  const base: WebhookCircuit = current ?? {
    tenantId: attempt.tenantId,
    target: attempt.target,
    failures: 0,
    openedAt: null,
    retryAt: null,
    opens: 0,
    probeUntil: null,
  };
  const failures = base.failures + 1;
  const state = circuitState(current, attempt.at);
  // An attempt claimed before the circuit opened and failing after: the cool-down stands.
  if (state === 'open') return { ...base, failures };
  if (state === 'half-open' || failures >= settings.failureThreshold) {
    const opens = state === 'half-open' ? base.opens + 1 : 1;
    return {
      ...base,
      failures,
      opens,
      openedAt: attempt.at,
      retryAt: new Date(attempt.at.getTime() + cooldownFor(opens, settings)),
      probeUntil: null,
    };
  }
  return { ...base, failures };
};

export type { BreakerSettings, CircuitState };
export { circuitAfterAttempt, circuitState, cooldownFor, probeInFlight };
