import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { OutboxStore } from '../store/outbox.port.js';

/**
 * The "sent" marks of outbox entries, written behind the answer. A request that sent its job has
 * nothing left to wait for but the mark, and the mark is only an optimisation: an entry left
 * unmarked (the write failed, or the instance died or was frozen for good before it ran) is what
 * the poller's outbox sweep re-sends after `ASKP_OUTBOX_RESEND_SECONDS`, and every job is
 * idempotent, so a lost mark costs one duplicate wake-up call, never a lost or late job. The job
 * itself is always sent (and its send awaited) before the request answers.
 *
 * The first mark is written at once; marks that arrive while it is in flight wait for it and go
 * together in one statement, so a burst of creates costs one write per round trip, not per create.
 */
interface OutboxMarks {
  /** Records that the entry's job was sent; the write happens behind the caller. */
  add(id: string): void;
  /** Resolves once every mark added so far is written (or its failure logged). */
  flush(): Promise<void>;
}

const createOutboxMarks = (deps: {
  store: OutboxStore;
  clock: Clock;
  logger: Logger;
}): OutboxMarks => {
  let waiting: string[] = [];
  let writing: Promise<void> | undefined;

  const writeWaiting = async (): Promise<void> => {
    while (waiting.length > 0) {
      const ids = waiting;
      waiting = [];
      try {
        await deps.store.markOutboxSentMany({ ids, at: deps.clock.now() });
      } catch (error) {
        deps.logger.warn('outbox entries not marked sent; the outbox sweep will send them again', {
          outboxIds: ids,
          error,
        });
      }
    }
    writing = undefined;
  };

  return {
    add: (id) => {
      waiting.push(id);
      writing ??= writeWaiting();
    },
    flush: async () => {
      while (writing) await writing;
    },
  };
};

export type { OutboxMarks };
export { createOutboxMarks };
