/**
 * Fault injection for tests of retry and ambiguity handling: queue a fault and the next matching
 * request(s) get it instead of (or on top of) the normal answer.
 */

interface AckFault {
  /** The action to disturb, e.g. `CreateCluster`; omitted: whichever action comes next. */
  action?: string;
  /** How many matching requests to disturb (default 1). */
  times?: number;
  /**
   * - `error`: answer `status`/`code`/`message` without running the operation (throttling, 5xx);
   * - `reset-before`: drop the connection without running the operation;
   * - `reset-after`: run the operation, then drop the connection, so the caller never learns that
   *   it succeeded (the ambiguous case CreateCluster must not retry blindly);
   * - `delay`: wait `delayMs` (real time), then run the operation and answer (client timeouts).
   */
  kind: 'error' | 'reset-before' | 'reset-after' | 'delay';
  status?: number;
  code?: string;
  message?: string;
  /** Sent as the `x-acs-retry-after` header, which openapi-core reads into `retryAfter`. */
  retryAfterMs?: number;
  delayMs?: number;
}

interface QueuedFault {
  fault: AckFault;
  remaining: number;
}

class FaultQueue {
  private queued: QueuedFault[] = [];

  public add(fault: AckFault): void {
    this.queued.push({ fault, remaining: fault.times ?? 1 });
  }

  public clear(): void {
    this.queued = [];
  }

  /** The first fault for this action, counted as used. */
  public take(action: string): AckFault | undefined {
    const entry = this.queued.find(
      (candidate) => candidate.fault.action === undefined || candidate.fault.action === action,
    );
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.queued = this.queued.filter((candidate) => candidate !== entry);
    return entry.fault;
  }
}

export type { AckFault };
export { FaultQueue };
