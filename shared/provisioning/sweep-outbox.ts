import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import type { OutboxStore } from '../store/outbox.port.js';
import type { ProvisionStore } from '../store/provision.port.js';

interface SweepDeps {
  store: ProvisionStore & OutboxStore;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
}

interface SweepTally {
  resent: number;
  failed: number;
  stuckResent: number;
}

/**
 * Repairs what a crash or a queue outage left half done: outbox entries never sent are sent;
 * provisions sitting in `accepted` with no live lease, or in `deleting` without ACK deleting
 * (their job was lost after the trigger's retries ran out), get a fresh job. Each job is a
 * wake-up call; duplicates are no-ops.
 */
const sweepOutbox = async (
  deps: SweepDeps,
  options: { resendAfterSeconds: number; stuckAfterSeconds: number; limit: number },
): Promise<SweepTally> => {
  const tally: SweepTally = { resent: 0, failed: 0, stuckResent: 0 };
  const now = deps.clock.now();
  const unsent = await deps.store.listUnsentOutbox({
    before: new Date(now.getTime() - options.resendAfterSeconds * 1000),
    limit: options.limit,
  });
  // A provision whose job this tick just re-sent from the outbox needs no second one.
  const resentFor = new Set(unsent.map((entry) => entry.provisionId));
  for (const entry of unsent) {
    await deps.store.recordOutboxAttempt({ id: entry.id, at: now });
    try {
      await deps.queue.send(entry.body);
      await deps.store.markOutboxSent({ id: entry.id, at: deps.clock.now() });
      tally.resent += 1;
    } catch (error) {
      tally.failed += 1;
      deps.logger.warn('outbox resend failed', { outboxId: entry.id, error });
    }
  }
  const stuckBefore = now.getTime() - options.stuckAfterSeconds * 1000;
  const accepted = await deps.store.listProvisions({ states: ['accepted'], limit: options.limit });
  for (const provision of accepted) {
    const leaseLive =
      provision.leaseUntil !== null && provision.leaseUntil.getTime() > now.getTime();
    if (leaseLive || resentFor.has(provision.id) || provision.updatedAt.getTime() > stuckBefore)
      continue;
    try {
      await deps.queue.send({ v: 1, kind: 'create', provisionId: provision.id });
      tally.stuckResent += 1;
    } catch (error) {
      tally.failed += 1;
      deps.logger.warn('re-sending a stuck provision failed', { provisionId: provision.id, error });
    }
  }
  // A delete job lost after its retries ran out leaves a provision in `deleting` that ACK was
  // never asked to delete: ask again.
  const deleting = await deps.store.listProvisions({ states: ['deleting'], limit: options.limit });
  for (const provision of deleting) {
    const askedAck = provision.ackState === 'deleting' || provision.ackState === 'deleted';
    if (askedAck || resentFor.has(provision.id) || provision.updatedAt.getTime() > stuckBefore)
      continue;
    try {
      await deps.queue.send({ v: 1, kind: 'delete', provisionId: provision.id });
      tally.stuckResent += 1;
    } catch (error) {
      tally.failed += 1;
      deps.logger.warn('re-sending a stuck deletion failed', { provisionId: provision.id, error });
    }
  }
  return tally;
};

export type { SweepTally };
export { sweepOutbox };
