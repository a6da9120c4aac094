import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_ATTEMPTS,
  nextRetryDelayMs,
  RETRY_DELAYS_MS,
} from '../../shared/webhooks/retry-schedule.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Standard Webhooks' recommended schedule, written out by hand. */
const EXPECTED_SCHEDULE = [
  0,
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
  24 * HOUR,
];

const middle = () => 0.5;

describe('retry schedule table', () => {
  it('is the Standard Webhooks schedule: now, 5s, 5m, 30m, 2h, 5h, 10h, 14h, 20h, 24h', () => {
    expect([...RETRY_DELAYS_MS]).toEqual(EXPECTED_SCHEDULE);
  });

  it('allows ten attempts in all', () => {
    expect(MAX_ATTEMPTS).toBe(10);
  });

  it('only ever grows', () => {
    for (let i = 1; i < RETRY_DELAYS_MS.length; i += 1) {
      expect(RETRY_DELAYS_MS[i]).toBeGreaterThan(
        RETRY_DELAYS_MS[i - 1] ?? Number.POSITIVE_INFINITY,
      );
    }
  });

  it('spreads the attempts over about three days', () => {
    const total = RETRY_DELAYS_MS.reduce((sum, delay) => sum + delay, 0);
    expect(total).toBeGreaterThan(3 * 24 * HOUR);
    expect(total).toBeLessThan(3.5 * 24 * HOUR);
  });
});

describe('nextRetryDelayMs', () => {
  it.each(EXPECTED_SCHEDULE.map((delay, attemptsMade) => ({ attemptsMade, delay })))(
    'waits $delay ms after $attemptsMade attempts when the jitter is centred',
    ({ attemptsMade, delay }) => {
      expect(nextRetryDelayMs({ attemptsMade, random: middle })).toBe(delay);
    },
  );

  it.each(EXPECTED_SCHEDULE.map((delay, attemptsMade) => ({ attemptsMade, delay })))(
    'jitters the delay after $attemptsMade attempts by at most ±10% (random 0 and 1)',
    ({ attemptsMade, delay }) => {
      expect(nextRetryDelayMs({ attemptsMade, random: () => 0 })).toBe(Math.round(delay * 0.9));
      expect(nextRetryDelayMs({ attemptsMade, random: () => 1 })).toBe(Math.round(delay * 1.1));
    },
  );

  it('stays within ±10% for any random value in [0, 1)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_ATTEMPTS - 1 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attemptsMade, random) => {
          const base = EXPECTED_SCHEDULE[attemptsMade] ?? 0;
          const delay = nextRetryDelayMs({ attemptsMade, random: () => random });
          expect(delay).toBeDefined();
          expect(delay ?? -1).toBeGreaterThanOrEqual(Math.floor(base * 0.9));
          expect(delay ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(Math.ceil(base * 1.1));
          expect(Number.isInteger(delay)).toBe(true);
        },
      ),
    );
  });

  it('sends the first attempt at once, whatever the jitter', () => {
    expect(nextRetryDelayMs({ attemptsMade: 0, random: () => 1 })).toBe(0);
  });

  it('honours a Retry-After larger than the scheduled delay', () => {
    expect(nextRetryDelayMs({ attemptsMade: 1, random: middle, retryAfterMs: 60_000 })).toBe(
      60_000,
    );
    expect(nextRetryDelayMs({ attemptsMade: 0, random: middle, retryAfterMs: 1_000 })).toBe(1_000);
  });

  it('ignores a Retry-After shorter than the scheduled delay', () => {
    expect(nextRetryDelayMs({ attemptsMade: 3, random: middle, retryAfterMs: 60_000 })).toBe(
      30 * MINUTE,
    );
    expect(nextRetryDelayMs({ attemptsMade: 2, random: () => 0, retryAfterMs: 0 })).toBe(
      Math.round(5 * MINUTE * 0.9),
    );
  });

  it('is exhausted after ten attempts, even when the receiver asked for a retry', () => {
    expect(nextRetryDelayMs({ attemptsMade: 9, random: middle })).toBe(24 * HOUR);
    expect(nextRetryDelayMs({ attemptsMade: 10, random: middle })).toBeUndefined();
    expect(nextRetryDelayMs({ attemptsMade: 11, random: middle })).toBeUndefined();
    expect(
      nextRetryDelayMs({ attemptsMade: MAX_ATTEMPTS, random: middle, retryAfterMs: 1_000 }),
    ).toBeUndefined();
  });

  it('has no delay for a negative attempt count', () => {
    expect(nextRetryDelayMs({ attemptsMade: -1, random: middle })).toBeUndefined();
  });
});
