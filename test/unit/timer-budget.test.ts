import { describe, expect, it } from 'vitest';
import { readInvocation } from '../../shared/fc/invocation.js';
import { runTimerSteps, type TimerStep } from '../../shared/fc/timer-steps.js';
import { createLogger } from '../../shared/logger.js';
import { budgetUntil, timerBudget, unlimitedBudget } from '../../shared/time-budget.js';

/** A wall clock the test moves; steps "take time" by moving it. */
const manualNow = (start = 1_000_000) => {
  let now = start;
  return {
    now: () => now,
    spend: (ms: number) => {
      now += ms;
    },
  };
};

const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'debug',
    fields: { trigger: 'every-minute', requestId: 'req-1' },
    write: (line) => lines.push(JSON.parse(line)),
  });
  return { logger, lines };
};

describe('readInvocation: what FC 3.0 context tells a handler', () => {
  it('reads the request id and turns function.timeout (seconds) into a deadline', () => {
    const invocation = readInvocation(
      { requestId: 'req-1', function: { name: 'askp-poller', timeout: 60 }, region: 'cn-hangzhou' },
      () => 5_000,
    );
    expect(invocation.requestId).toBe('req-1');
    expect(invocation.deadline).toBe(65_000);
    expect(invocation.logFields()).toEqual({ requestId: 'req-1' });
  });

  it.each([[{}], [undefined], [null], ['text'], [{ requestId: 7, function: { timeout: -1 } }]])(
    'knows neither from a context without them (%j)',
    (context) => {
      const invocation = readInvocation(context);
      expect(invocation.deadline).toBeUndefined();
      expect(invocation.logFields()).toEqual({});
    },
  );
});

describe('time budgets', () => {
  it('ends the reserve before the deadline and never goes negative', () => {
    const clock = manualNow();
    const budget = timerBudget(
      { requestId: undefined, deadline: clock.now() + 60_000, logFields: () => ({}) },
      10_000,
      clock.now,
    );
    expect(budget.remainingMs()).toBe(50_000);
    expect(budget.allows(49_999)).toBe(true);
    expect(budget.allows(50_000)).toBe(false);
    clock.spend(70_000);
    expect(budget.remainingMs()).toBe(0);
    expect(budget.allows()).toBe(false);
  });

  it('has no limit when the deadline is unknown', () => {
    const budget = timerBudget(readInvocation({}), 10_000);
    expect(budget.allows(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(unlimitedBudget.remainingMs()).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('runTimerSteps: a run that ends before its deadline', () => {
  const step = (
    name: string,
    needsMs: number,
    work: (log: ReturnType<typeof createLogger>) => unknown,
  ): TimerStep => ({ name, needsMs, run: async (log) => work(log) });

  it('stops starting steps once the budget cannot fit them, and logs which it left', async () => {
    const clock = manualNow();
    const budget = budgetUntil(clock.now() + 5_000, clock.now);
    const { logger, lines } = capture();
    const ran: string[] = [];
    const result = await runTimerSteps(
      [
        step('sweep', 1000, () => {
          ran.push('sweep');
          clock.spend(3_500);
          return { resent: 0 };
        }),
        step('refresh', 2000, () => ran.push('refresh')),
        step('webhooks', 1000, (log) => {
          ran.push('webhooks');
          log.info('webhook attempt');
          clock.spend(2_000);
        }),
        step('idempotency-keys', 100, () => ran.push('idempotency-keys')),
      ],
      budget,
      logger,
    );
    expect(ran).toEqual(['sweep', 'webhooks']);
    expect(result).toEqual({
      steps: { sweep: { resent: 0 }, webhooks: undefined },
      failedSteps: [],
      leftSteps: ['refresh', 'idempotency-keys'],
    });
    const warning = lines.find(
      (line) => line.message === 'out of time: steps left for the next run',
    );
    expect(warning).toMatchObject({
      level: 'warn',
      leftSteps: ['refresh', 'idempotency-keys'],
      remainingMs: 0,
      trigger: 'every-minute',
      requestId: 'req-1',
    });
    // A step's own lines carry the run's fields and the step's name.
    expect(lines.find((line) => line.message === 'webhook attempt')).toMatchObject({
      step: 'webhooks',
      trigger: 'every-minute',
      requestId: 'req-1',
    });
  });

  it('runs every step after a failed one, and logs the failure with its cause', async () => {
    const { logger, lines } = capture();
    const result = await runTimerSteps(
      [
        step('sweep', 0, () => {
          throw new Error('queue down', { cause: new Error('ECONNREFUSED 127.0.0.1:9102') });
        }),
        step('refresh', 0, () => 'ok'),
      ],
      unlimitedBudget,
      logger,
    );
    expect(result).toEqual({ steps: { refresh: 'ok' }, failedSteps: ['sweep'], leftSteps: [] });
    const failure = lines.find((line) => line.message === 'step sweep failed');
    expect(failure).toMatchObject({ level: 'error', step: 'sweep', requestId: 'req-1' });
    expect(JSON.stringify(failure)).toContain('ECONNREFUSED');
    expect(lines.some((line) => String(line.message).startsWith('out of time'))).toBe(false);
  });
});
