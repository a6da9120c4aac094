import middy from '@middy/core';
import type { PollerApp } from '../../shared/app/poller-app.js';
import type { CredentialsSource } from '../../shared/cloud/credentials.js';
import { readInvocation } from '../../shared/fc/invocation.js';
import { invocationCredentials } from '../../shared/fc/invocation-credentials.js';
import { type SkippedTick, skipTickWhenSchemaOutdated } from '../../shared/fc/schema-gate.js';
import type { TimerStepsResult } from '../../shared/fc/timer-steps.js';
import { asTimerTick, timerTriggerEvent } from '../../shared/fc/trigger-events.js';
import { createLogger } from '../../shared/logger.js';
import { pollerTickSettings, runPollerTick } from '../../shared/provisioning/run-poller-tick.js';
import { timerBudget } from '../../shared/time-budget.js';

interface PollerResult extends TimerStepsResult {
  triggerName: string;
}

/**
 * The poller function: reads its invocation (request id, deadline), runs one tick
 * (shared/provisioning/run-poller-tick.ts) within the function's timeout less
 * ASKP_TIMER_RESERVE_SECONDS, and logs what the tick did and left.
 */
const createPollerHandler = (
  getApp: () => Promise<PollerApp>,
  /** Updated from each invocation's context before anything else runs. */
  credentials?: CredentialsSource,
) =>
  middy<unknown, PollerResult | SkippedTick>()
    .use(invocationCredentials<PollerResult | SkippedTick>(credentials))
    .use(timerTriggerEvent<PollerResult | SkippedTick>())
    .use(skipTickWhenSchemaOutdated<PollerResult>(createLogger({ fields: { fn: 'poller' } })))
    .handler(async (raw: unknown, context: unknown): Promise<PollerResult> => {
      const event = asTimerTick(raw);
      const invocation = readInvocation(context);
      const app = await getApp();
      const log = app.logger.child({ ...event.logFields(), ...invocation.logFields() });
      const budget = timerBudget(invocation, app.config.timers.reserveSeconds * 1000);
      // The tick's ACK call counts go to the store in one statement, after the tick.
      const result = await runPollerTick(
        { ...app, logger: log },
        pollerTickSettings(app.config),
        budget,
      ).finally(() => app.ackCalls.flush());
      log.info('poller tick done', { ...result });
      return { triggerName: event.triggerName, ...result };
    });

export type { PollerResult };
export { createPollerHandler };
