/**
 * Faults a test can inject into the emulated API servers: an error status instead of an answer
 * (429 and 503 with Retry-After, 500), or an answer held back (to exercise client timeouts).
 */

interface KubeFault {
  /** Only requests to this cluster; every cluster when absent. */
  clusterId?: string;
  /** Answer this status (as a Kubernetes Status) instead of serving the request. */
  status?: 429 | 500 | 503;
  /** Wait this long (real milliseconds) before answering. */
  delayMs?: number;
  /** How many requests it applies to (default 1). */
  times?: number;
}

class FaultQueue {
  private faults: { fault: KubeFault; left: number }[] = [];

  public add(fault: KubeFault): void {
    this.faults.push({ fault, left: fault.times ?? 1 });
  }

  public clear(): void {
    this.faults = [];
  }

  /** The first fault that applies to this cluster, used up by one request. */
  public take(clusterId: string): KubeFault | undefined {
    const entry = this.faults.find(
      ({ fault }) => fault.clusterId === undefined || fault.clusterId === clusterId,
    );
    if (entry === undefined) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.faults = this.faults.filter((kept) => kept !== entry);
    return entry.fault;
  }
}

export type { KubeFault };
export { FaultQueue };
