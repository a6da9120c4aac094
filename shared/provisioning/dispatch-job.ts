import type { Clock } from '../clock.js';
import type { Job } from '../domain/job.js';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import type { OutboxStore } from '../store/outbox.port.js';
import type { OutboxMarks } from './outbox-marks.js';

interface DispatchDeps {
  store: OutboxStore;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
  /**
   * Where the "sent" mark goes when it is written behind (the API: outbox-marks.ts); without it
   * the mark is written before `dispatchJob` returns.
   */
  outboxMarks?: OutboxMarks;
}

/**
 * Sends a job whose outbox entry is already committed, then marks the entry sent. A failed send
 * is only logged: the request that wrote the entry has succeeded, and the poller's outbox sweep
 * sends the job later, so nothing committed is ever lost. The send is always awaited (Function
 * Compute may freeze the instance as soon as the request answers); only the mark may be late.
 */
const dispatchJob = async (
  deps: DispatchDeps,
  input: { job: Job; outboxId: string },
): Promise<void> => {
  try {
    await deps.queue.send(input.job);
    if (deps.outboxMarks) deps.outboxMarks.add(input.outboxId);
    else await deps.store.markOutboxSent({ id: input.outboxId, at: deps.clock.now() });
  } catch (error) {
    deps.logger.warn(`${input.job.kind} job not sent; the outbox sweep will send it`, {
      provisionId: input.job.provisionId,
      error,
    });
  }
};

export type { DispatchDeps };
export { dispatchJob };
