import type { ClusterApi } from '../ack/cluster-api.port.js';
import { followChanges } from '../changes/follow-changes.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { runTimerSteps, type TimerStepsResult } from '../fc/timer-steps.js';
import { deleteIfOverdue } from '../janitor/delete-overdue-at-ready.js';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import type { ChangeStore } from '../store/change.port.js';
import type { CreationProgressStore } from '../store/creation-progress.port.js';
import type { DeliveryStore } from '../store/delivery.port.js';
import type { IdempotencyStore } from '../store/idempotency.port.js';
import type { JanitorStore } from '../store/janitor.port.js';
import type { OutboxStore } from '../store/outbox.port.js';
import type { ProvisionStore } from '../store/provision.port.js';
import type { TenantStore } from '../store/tenant.port.js';
import type { WebhookCircuitStore } from '../store/webhook-circuit.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import type { TimeBudget } from '../time-budget.js';
import { type DeliveryFairness, deliverDueWebhooks } from '../webhooks/deliver-webhooks.js';
import type { WebhookSender } from '../webhooks/webhook-sender.js';
import { refreshClusters } from './refresh-clusters.js';
import { sweepOutbox } from './sweep-outbox.js';

/** What the steps touch together: sweep, refresh, changes, webhooks and the key purge. */
interface PollerTickDeps {
  store: ProvisionStore &
    OutboxStore &
    WebhookEndpointStore &
    WebhookCircuitStore &
    CreationProgressStore &
    ChangeStore &
    DeliveryStore &
    TenantStore &
    JanitorStore &
    Pick<IdempotencyStore, 'deleteExpiredIdempotencyKeys'>;
  queue: JobQueue;
  clusterApi: ClusterApi;
  webhookSender: WebhookSender;
  clock: Clock;
  /** Carries the tick's fields (trigger, request id); each step adds `step`. */
  logger: Logger;
}

/** The tick's limits, all from Config (README's configuration table). */
interface PollerTickSettings {
  outboxResendSeconds: number;
  outboxStuckSeconds: number;
  outboxSweepLimit: number;
  refreshBatch: number;
  taskReads: number;
  /** Delete the cluster a failed creation left in ACK. */
  cleanupFailed: boolean;
  /** One ACK call at most (a region's refresh is not started with less left). */
  ackTimeoutMs: number;
  webhookBatch: number;
  webhookTimeoutMs: number;
  webhookAttemptLeaseMs: number;
  /** Lanes, per-tenant and per-target caps, the circuit breaker. */
  webhookFairness: DeliveryFairness;
  idempotencyPurgeBatch: number;
  /** The janitor's notice period: a cluster that expired while created is deleted at ready. */
  warnSeconds: number;
}

const pollerTickSettings = (config: Config): PollerTickSettings => ({
  outboxResendSeconds: config.poller.outboxResendSeconds,
  outboxStuckSeconds: config.poller.outboxStuckSeconds,
  outboxSweepLimit: config.poller.outboxSweepLimit,
  refreshBatch: config.poller.batch,
  taskReads: config.poller.taskReads,
  cleanupFailed: config.deletion.cleanupFailed,
  ackTimeoutMs: config.ack.timeoutMs,
  webhookBatch: config.poller.webhookBatch,
  webhookTimeoutMs: config.webhooks.timeoutMs,
  webhookAttemptLeaseMs: config.webhooks.attemptLeaseMs,
  webhookFairness: {
    lanes: config.webhooks.lanes,
    perTenant: config.webhooks.perTenant,
    perTarget: config.webhooks.perTarget,
    breaker: config.webhooks.breaker,
  },
  idempotencyPurgeBatch: config.poller.idempotencyPurgeBatch,
  warnSeconds: config.janitor.warnSeconds,
});

/**
 * A change ACK has not accepted in 30 minutes fails (the worker kept hitting retryable errors);
 * one whose task runs past 6 hours is given back as failed. UNVERIFIED: Alibaba documents no
 * bound on how long UpgradeCluster or an addon task may take; 6 hours is far beyond the
 * minutes the console shows for a control-plane upgrade.
 */
const CHANGE_START_TIMEOUT_SECONDS = 30 * 60;
const CHANGE_RUN_TIMEOUT_SECONDS = 6 * 60 * 60;

/** A short database-only step is started with at least this much time left. */
const DB_STEP_MS = 1000;

/**
 * The poller's tick: repair (outbox sweep), refresh in-flight clusters, deliver due webhooks,
 * purge expired idempotency keys. Each step runs even when another failed; every step is safe to
 * overlap with another tick; a step (or a region, or a webhook attempt) that could not finish in
 * the tick's time budget is left for the next tick.
 */
const runPollerTick = (
  deps: PollerTickDeps,
  settings: PollerTickSettings,
  budget: TimeBudget,
): Promise<TimerStepsResult> =>
  runTimerSteps(
    [
      {
        name: 'sweep',
        needsMs: DB_STEP_MS,
        run: (logger) =>
          sweepOutbox(
            { ...deps, logger },
            {
              resendAfterSeconds: settings.outboxResendSeconds,
              stuckAfterSeconds: settings.outboxStuckSeconds,
              limit: settings.outboxSweepLimit,
            },
          ),
      },
      {
        name: 'refresh',
        needsMs: settings.ackTimeoutMs,
        run: (logger, within) =>
          refreshClusters(
            {
              ...deps,
              logger,
              ...(settings.cleanupFailed ? { cleanupFailed: { queue: deps.queue } } : {}),
              onRunning: (provision) =>
                deleteIfOverdue(
                  { ...deps, logger },
                  { warnSeconds: settings.warnSeconds },
                  provision,
                ),
            },
            {
              batch: settings.refreshBatch,
              taskReads: settings.taskReads,
              budget: within,
              regionMs: settings.ackTimeoutMs,
            },
          ),
      },
      {
        // After the refresh, so a change that ended this tick has its webhook sent this tick too.
        name: 'changes',
        needsMs: settings.ackTimeoutMs,
        run: (logger) =>
          followChanges(
            { ...deps, logger },
            {
              taskReads: settings.taskReads,
              startTimeoutSeconds: CHANGE_START_TIMEOUT_SECONDS,
              runTimeoutSeconds: CHANGE_RUN_TIMEOUT_SECONDS,
            },
          ),
      },
      {
        name: 'webhooks',
        needsMs: settings.webhookTimeoutMs,
        run: (logger, within) =>
          deliverDueWebhooks(
            {
              store: deps.store,
              sender: deps.webhookSender,
              clock: deps.clock,
              logger,
              attemptLeaseMs: settings.webhookAttemptLeaseMs,
              fairness: settings.webhookFairness,
            },
            settings.webhookBatch,
            { budget: within, attemptMs: settings.webhookTimeoutMs },
          ),
      },
      {
        // Idempotency keys are kept at least 24 h (their expires_at); then they go, a batch a tick.
        name: 'idempotency-keys',
        needsMs: DB_STEP_MS,
        run: () =>
          deps.store.deleteExpiredIdempotencyKeys({
            now: deps.clock.now(),
            limit: settings.idempotencyPurgeBatch,
          }),
      },
    ],
    budget,
    deps.logger,
  );

export type { PollerTickDeps, PollerTickSettings };
export { pollerTickSettings, runPollerTick };
