import middy from '@middy/core';
import type { PollerApp } from '../../shared/app/poller-app.js';
import { type SkippedTick, skipTickWhenSchemaOutdated } from '../../shared/fc/schema-gate.js';
import { asTimerTick, timerTriggerEvent } from '../../shared/fc/trigger-events.js';
import { createLogger } from '../../shared/logger.js';
import { refreshClusters } from '../../shared/provisioning/refresh-clusters.js';
import { sweepOutbox } from '../../shared/provisioning/sweep-outbox.js';
import { deliverDueWebhooks } from '../../shared/webhooks/deliver-webhooks.js';

interface PollerResult {
  triggerName: string;
  steps: Record<string, unknown>;
  failedSteps: string[];
}

/**
 * The poller's tick: repair (outbox sweep), refresh in-flight clusters, deliver due webhooks.
 * Each step runs even when another failed; every step is safe to overlap with another tick.
 */
const createPollerHandler = (getApp: () => Promise<PollerApp>) =>
  middy<unknown, PollerResult | SkippedTick>()
    .use(timerTriggerEvent<PollerResult | SkippedTick>())
    .use(skipTickWhenSchemaOutdated<PollerResult>(createLogger({ fields: { fn: 'poller' } })))
    .handler(async (raw: unknown): Promise<PollerResult> => {
      const event = asTimerTick(raw);
      const app = await getApp();
      const log = app.logger.child(event.logFields());
      const steps: Record<string, unknown> = {};
      const failedSteps: string[] = [];
      const run = async (name: string, step: () => Promise<unknown>) => {
        try {
          steps[name] = await step();
        } catch (error) {
          failedSteps.push(name);
          log.error(`poller step ${name} failed`, { error });
        }
      };
      await run('sweep', () =>
        sweepOutbox(app, {
          resendAfterSeconds: app.config.poller.outboxResendSeconds,
          stuckAfterSeconds: Math.max(300, app.config.worker.leaseSeconds * 2),
          limit: 500,
        }),
      );
      await run('refresh', () =>
        refreshClusters(
          {
            ...app,
            ...(app.config.deletion.cleanupFailed ? { cleanupFailed: { queue: app.queue } } : {}),
          },
          { batch: app.config.poller.batch, taskReads: app.config.poller.taskReads },
        ),
      );
      await run('webhooks', () =>
        deliverDueWebhooks(
          {
            store: app.store,
            sender: app.webhookSender,
            clock: app.clock,
            logger: app.logger,
            attemptLeaseMs: app.config.webhooks.timeoutMs * 3,
          },
          500,
        ),
      );
      // Idempotency keys are kept at least 24 h (their expires_at); then they go, a batch a tick.
      await run('idempotency-keys', () =>
        app.store.deleteExpiredIdempotencyKeys({ now: app.clock.now(), limit: 1000 }),
      );
      log.info('poller tick done', { steps, failedSteps });
      return { triggerName: event.triggerName, steps, failedSteps };
    });

export type { PollerResult };
export { createPollerHandler };
