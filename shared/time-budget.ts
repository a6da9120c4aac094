import type { Invocation } from './fc/invocation.js';

/**
 * How long a run may still go on. A timer run (poller, janitor) ends itself before Function
 * Compute's timeout would kill it mid-write: it checks the budget before starting anything that
 * may take a while, and leaves what it did not start for the next run (every step is safe to
 * resume). The budget uses the wall clock, not the service's Clock: the deadline is real time.
 */
interface TimeBudget {
  /** Milliseconds left (never negative); Infinity when the run has no deadline. */
  remainingMs(): number;
  /** Whether something that may take `ms` can still start and finish in time. */
  allows(ms?: number): boolean;
}

const unlimitedBudget: TimeBudget = {
  remainingMs: () => Number.POSITIVE_INFINITY,
  allows: () => true,
};

const budgetUntil = (endsAt: number, now: () => number = Date.now): TimeBudget => {
  const remainingMs = () => Math.max(0, endsAt - now());
  return { remainingMs, allows: (ms = 0) => remainingMs() > ms };
};

/** The invocation's deadline less `reserveMs` (time to write the result and log it). */
const timerBudget = (
  invocation: Invocation,
  reserveMs: number,
  now: () => number = Date.now,
): TimeBudget =>
  invocation.deadline === undefined
    ? unlimitedBudget
    : budgetUntil(invocation.deadline - reserveMs, now);

export type { TimeBudget };
export { budgetUntil, timerBudget, unlimitedBudget };
