import type { Logger } from '../logger.js';
import type { ServiceMetricsStore } from '../store/service-metrics.port.js';

/**
 * The ACK calls of one function instance, counted in memory and added to the shared
 * `ack_call_counts` in one statement: at the end of each worker, poller and janitor invocation
 * (`flush`), and otherwise `flushMs` after the first call not yet written (the API, whose few ACK
 * calls have no invocation end of their own to wait for). An ACK answer never waits for the
 * database. `/metrics` still reads the counts from the store, so every instance reports the
 * same numbers; the price is that counts not yet written when an instance dies are lost
 * (at most one invocation's, or `flushMs` of the API's), which a metric can afford.
 */
interface AckCallTally {
  /** One HTTP attempt and its outcome: `OK` or the error's code. */
  count(action: string, code: string): void;
  /** Adds what was counted to the store; a failure keeps the counts for the next flush. */
  flush(): Promise<void>;
}

const createAckCallTally = (options: {
  store: Pick<ServiceMetricsStore, 'addAckCalls'>;
  logger: Logger;
  flushMs: number;
}): AckCallTally => {
  let pending = new Map<string, { action: string; code: string; calls: number }>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let flushing: Promise<void> = Promise.resolve();

  const writeOut = async (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return;
    const counts = [...pending.values()];
    pending = new Map();
    try {
      await options.store.addAckCalls(counts);
    } catch (error) {
      // Kept for the next flush: a metrics write never fails the work it counts.
      for (const entry of counts) add(entry.action, entry.code, entry.calls);
      options.logger.warn('ACK call counts not written; kept for the next flush', { error });
    }
  };

  // One flush at a time, so counts are never written twice nor raced.
  const flush = (): Promise<void> => {
    flushing = flushing.then(writeOut);
    return flushing;
  };

  const add = (action: string, code: string, calls: number): void => {
    const key = `${action}\u0000${code}`;
    const entry = pending.get(key);
    if (entry) entry.calls += calls;
    else pending.set(key, { action, code, calls });
  };

  return {
    count: (action, code) => {
      add(action, code, 1);
      if (timer === undefined) {
        timer = setTimeout(() => void flush(), options.flushMs);
        // Never keeps a host alive; on Function Compute the next invocation thaws it.
        timer.unref?.();
      }
    },
    flush,
  };
};

export type { AckCallTally };
export { createAckCallTally };
