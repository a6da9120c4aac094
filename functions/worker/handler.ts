import middy from '@middy/core';
import type { WorkerApp } from '../../shared/app/worker-app.js';
import { runChangeJob } from '../../shared/changes/run-change-job.js';
import type { CredentialsSource } from '../../shared/cloud/credentials.js';
import { isDomainError, RetryLaterError } from '../../shared/domain/errors.js';
import { readInvocation } from '../../shared/fc/invocation.js';
import { invocationCredentials } from '../../shared/fc/invocation-credentials.js';
import {
  asQueueBatch,
  type QueueRecord,
  queueTriggerEvent,
} from '../../shared/fc/trigger-events.js';
import type { Logger } from '../../shared/logger.js';
import { runCreateJob } from '../../shared/provisioning/run-create-job.js';
import { runDeleteJob } from '../../shared/provisioning/run-delete-job.js';
import { decodeJob } from '../../shared/queue/job-codec.js';

interface WorkerResult {
  processed: number;
  skipped: number;
  retry: number;
}

type RecordOutcome = 'processed' | 'skipped' | 'retry';

const handleRecord = async (
  app: WorkerApp,
  record: QueueRecord,
  invocationLog: Logger,
): Promise<RecordOutcome> => {
  const log = invocationLog.child({ messageId: record.data.messageId });
  let job: ReturnType<typeof decodeJob>;
  try {
    job = decodeJob(record.data.messageBody);
  } catch (error) {
    // A malformed message never becomes valid: drop it (loudly) rather than block the stream.
    log.error('dropping a malformed job message', { error });
    return 'skipped';
  }
  const jobLog = log.child({ provisionId: job.provisionId, kind: job.kind });
  try {
    const result =
      job.kind === 'create'
        ? await runCreateJob(
            {
              ...app,
              logger: jobLog,
              maxAttempts: app.config.worker.maxAttempts,
              leaseSeconds: app.config.worker.leaseSeconds,
              createSettleSeconds: app.config.worker.createSettleSeconds,
            },
            job.provisionId,
          )
        : job.kind === 'delete'
          ? await runDeleteJob(
              { ...app, logger: jobLog, retain: app.config.deletion.retain },
              job.provisionId,
            )
          : await runChangeJob({ ...app, logger: jobLog }, job.provisionId);
    jobLog.info(`${job.kind} job done`, { ...result });
    return result.outcome === 'skipped' ? 'skipped' : 'processed';
  } catch (error) {
    const retryable = !isDomainError(error) || error.retryable;
    jobLog.warn(`${job.kind} job will be retried`, { error, retryable });
    return 'retry';
  }
};

/**
 * The worker: each record of the pushed batch is handled on its own. The trigger retries the
 * whole batch when the handler throws, so it throws only when a record must come back; records
 * that succeeded are no-ops on the retry because every job is idempotent.
 */
const createWorkerHandler = (
  getApp: () => Promise<WorkerApp>,
  /** Updated from each invocation's context before anything else runs. */
  credentials?: CredentialsSource,
) =>
  middy<unknown, WorkerResult>()
    .use(invocationCredentials<WorkerResult>(credentials))
    .use(queueTriggerEvent<WorkerResult>())
    .handler(async (raw: unknown, context: unknown): Promise<WorkerResult> => {
      const event = asQueueBatch(raw);
      const invocation = readInvocation(context);
      const app = await getApp();
      // The job code logs with the invocation's request id, the message id and the provision id.
      const log = app.logger.child(invocation.logFields());
      const outcomes = await Promise.all(
        event.records.map((record) => handleRecord(app, record, log)),
      ).finally(() => app.ackCalls.flush());
      const result: WorkerResult = {
        processed: outcomes.filter((o) => o === 'processed').length,
        skipped: outcomes.filter((o) => o === 'skipped').length,
        retry: outcomes.filter((o) => o === 'retry').length,
      };
      if (result.retry > 0) {
        throw new RetryLaterError(
          `${result.retry} of ${event.records.length} jobs must be retried`,
        );
      }
      return result;
    });

export type { WorkerResult };
export { createWorkerHandler };
