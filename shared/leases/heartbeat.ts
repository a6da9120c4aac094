/**
 * Keeps a short lease alive while its holder works. Leases are short so that a holder killed
 * mid-work (kill -9, a function instance reclaimed) blocks the others for at most one lease; a
 * live holder renews every third of the lease, so two missed beats in a row (a stalled event
 * loop, a slow database) still leave it held. The beat runs on a timer beside the work it guards:
 * a long ACK call does not delay it. A dead process stops beating, which is the point.
 */

interface Heartbeat {
  /** Stops beating; waits for a beat in flight so nothing renews after the holder let go. */
  stop(): Promise<void>;
}

interface HeartbeatOptions {
  /** The lease's length; the beat runs every third of it. */
  leaseMs: number;
  /** Renews the lease; false when it was lost (the holder keeps working: its writes are CAS). */
  renew: () => Promise<boolean>;
  onLost?: () => void;
  onError?: (error: unknown) => void;
}

const startHeartbeat = (options: HeartbeatOptions): Heartbeat => {
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;
  const beat = (): void => {
    inFlight = inFlight.then(async () => {
      if (stopped) return;
      try {
        if (!(await options.renew())) options.onLost?.();
      } catch (error) {
        options.onError?.(error);
      }
    });
  };
  const timer = setInterval(beat, Math.max(1000, Math.floor(options.leaseMs / 3)));
  // A pending beat must not keep a finished function (or a test run) alive.
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
};

export type { Heartbeat, HeartbeatOptions };
export { startHeartbeat };
