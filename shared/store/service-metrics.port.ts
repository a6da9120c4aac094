/**
 * The service-metrics port: what `GET /metrics` reports about the whole service, read from the
 * store so that every api instance reports the same numbers, and the ACK call counts every
 * function instance adds to.
 */
interface ServiceMetricsSnapshot {
  provisions: { state: string; region: string; count: number }[];
  /** Seconds from accepted to running, of the most recent provisions that reached running. */
  timeToRunningSeconds: number[];
  ackCalls: { action: string; code: string; calls: number }[];
  /** Create-job deliveries beyond the first (worker), and outbox re-sends (sweep). */
  jobRetries: { kind: 'create_delivery' | 'outbox_resend'; count: number }[];
  outbox: { unsent: number; oldestUnsentAgeSeconds: number };
  webhooks: {
    pending: number;
    oldestPendingAgeSeconds: number;
    attemptsByOutcome: { outcome: string; count: number }[];
  };
  janitor: {
    runs: number;
    /** warned, deleted, cancelled, and `skipped:<reason>`, summed over runs, by mode. */
    decisions: { mode: string; outcome: string; count: number }[];
  };
}

interface ServiceMetricsStore {
  /**
   * Adds ACK calls (HTTP attempts) by action and outcome (`OK` or the error code), all in one
   * statement: an instance writes what it counted since its last flush (ack-call-tally.ts).
   */
  addAckCalls(counts: readonly { action: string; code: string; calls: number }[]): Promise<void>;
  readServiceMetrics(input: {
    now: Date;
    /** How many of the latest running provisions the time-to-running histogram covers. */
    timeToRunningLimit: number;
  }): Promise<ServiceMetricsSnapshot>;
}

export type { ServiceMetricsSnapshot, ServiceMetricsStore };
