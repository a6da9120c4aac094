/**
 * Standard Webhooks' recommended schedule: an attempt at once, then after 5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h, 14 h, 20 h and 24 h (about three days in all). Each delay gets ±10 % jitter so that a
 * receiver coming back from an outage is not hit by every retry at the same second.
 */
const RETRY_DELAYS_MS = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  14 * 3_600_000,
  20 * 3_600_000,
  24 * 3_600_000,
] as const;

const MAX_ATTEMPTS = RETRY_DELAYS_MS.length;

/**
 * The delay before the next attempt after `attemptsMade` attempts, or `undefined` when the
 * schedule is exhausted. A receiver's `Retry-After` is honoured when it asks for longer.
 */
const nextRetryDelayMs = (input: {
  attemptsMade: number;
  random: () => number;
  retryAfterMs?: number;
}): number | undefined => {
  const base = RETRY_DELAYS_MS[input.attemptsMade];
  if (base === undefined) return undefined;
  const jittered = Math.round(base * (0.9 + 0.2 * input.random()));
  return Math.max(jittered, input.retryAfterMs ?? 0);
};

export { MAX_ATTEMPTS, nextRetryDelayMs, RETRY_DELAYS_MS };
