import type { Logger } from '../logger.js';
import type { TimeBudget } from '../time-budget.js';

/**
 * The steps of a timer run, in order. Each runs even when one before it failed (they are
 * independent and each is safe to overlap with another run); a step that can no longer finish in
 * the run's time budget is not started, and the run says which steps it left for the next one.
 */
interface TimerStep {
  name: string;
  /** The least time the step needs to do useful work; it is not started with less left. */
  needsMs: number;
  /** Gets a logger carrying the run's fields and `step`, and the run's budget. */
  run(log: Logger, budget: TimeBudget): Promise<unknown>;
}

interface TimerStepsResult {
  steps: Record<string, unknown>;
  failedSteps: string[];
  /** Steps not started because the time budget ran out. */
  leftSteps: string[];
}

const runTimerSteps = async (
  steps: readonly TimerStep[],
  budget: TimeBudget,
  log: Logger,
): Promise<TimerStepsResult> => {
  const result: TimerStepsResult = { steps: {}, failedSteps: [], leftSteps: [] };
  for (const step of steps) {
    if (!budget.allows(step.needsMs)) {
      result.leftSteps.push(step.name);
      continue;
    }
    const stepLog = log.child({ step: step.name });
    try {
      result.steps[step.name] = await step.run(stepLog, budget);
    } catch (error) {
      result.failedSteps.push(step.name);
      stepLog.error(`step ${step.name} failed`, { error });
    }
  }
  if (result.leftSteps.length > 0) {
    log.warn('out of time: steps left for the next run', {
      leftSteps: result.leftSteps,
      remainingMs: budget.remainingMs(),
    });
  }
  return result;
};

export type { TimerStep, TimerStepsResult };
export { runTimerSteps };
