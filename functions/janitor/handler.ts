import middy from '@middy/core';
import type { JanitorApp } from '../../shared/app/janitor-app.js';
import type { CredentialsSource } from '../../shared/cloud/credentials.js';
import { readInvocation } from '../../shared/fc/invocation.js';
import { invocationCredentials } from '../../shared/fc/invocation-credentials.js';
import { type SkippedTick, skipTickWhenSchemaOutdated } from '../../shared/fc/schema-gate.js';
import { asTimerTick, timerTriggerEvent } from '../../shared/fc/trigger-events.js';
import { janitorSettings } from '../../shared/janitor/janitor-settings.js';
import { type JanitorResult, runJanitor } from '../../shared/janitor/run-janitor.js';
import { createLogger } from '../../shared/logger.js';
import { timerBudget } from '../../shared/time-budget.js';

type JanitorSummary =
  | { triggerName: string; outcome: 'busy'; message: string }
  | {
      triggerName: string;
      outcome: 'done';
      runId: string;
      mode: string;
      examined: number;
      warned: number;
      deleted: number;
      cancelled: number;
      skipped: number;
      orphans: number;
    };

const summarise = (triggerName: string, result: JanitorResult): JanitorSummary => {
  if (result.outcome === 'busy') return { triggerName, outcome: 'busy', message: result.message };
  const { run } = result;
  return {
    triggerName,
    outcome: 'done',
    runId: run.id,
    mode: run.mode,
    examined: run.examined,
    warned: run.warned,
    deleted: run.deleted,
    cancelled: run.cancelled,
    skipped: Object.values(run.skipped).reduce((sum, tally) => sum + tally.count, 0),
    orphans: run.orphans.length,
  };
};

/**
 * The janitor's tick: one run of TTL and idle cleanup (shared/janitor/run-janitor.ts) within the
 * function's timeout less ASKP_TIMER_RESERVE_SECONDS; what it could not reach waits for the next.
 */
const createJanitorHandler = (
  getApp: () => Promise<JanitorApp>,
  /** Updated from each invocation's context before anything else runs. */
  credentials?: CredentialsSource,
) =>
  middy<unknown, JanitorSummary | SkippedTick>()
    .use(invocationCredentials<JanitorSummary | SkippedTick>(credentials))
    .use(timerTriggerEvent<JanitorSummary | SkippedTick>())
    .use(skipTickWhenSchemaOutdated<JanitorSummary>(createLogger({ fields: { fn: 'janitor' } })))
    .handler(async (raw: unknown, context: unknown): Promise<JanitorSummary> => {
      const event = asTimerTick(raw);
      const invocation = readInvocation(context);
      const app = await getApp();
      const log = app.logger.child({ ...event.logFields(), ...invocation.logFields() });
      const budget = timerBudget(invocation, app.config.timers.reserveSeconds * 1000);
      const result = await runJanitor(
        { ...app, logger: log },
        janitorSettings(app.config, app.janitorId, budget),
      ).finally(() => app.ackCalls.flush());
      const summary = summarise(event.triggerName, result);
      log.info('janitor run done', { ...summary });
      return summary;
    });

export type { JanitorSummary };
export { createJanitorHandler };
