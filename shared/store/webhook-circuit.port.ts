/**
 * A webhook target's circuit breaker, as the database keeps it. A target is an endpoint id
 * (`whe_…`) or `url:<origin>` for a cluster's own webhook URL, always within one tenant: one
 * tenant's failures never open another tenant's circuit, even for the same receiver.
 */
interface WebhookCircuit {
  tenantId: string;
  target: string;
  /** Consecutive failed attempts. */
  failures: number;
  /** When the circuit last opened; null while it is closed. */
  openedAt: Date | null;
  /** Until when it stays open; after it, one probe may go (half-open). Null while closed. */
  retryAt: Date | null;
  /** How many times in a row it opened (each cool-down doubles, up to a cap). */
  opens: number;
  /** A half-open probe is in flight until then (its claim's lease). */
  probeUntil: Date | null;
}

/** The circuit breakers of webhook targets. */
interface WebhookCircuitStore {
  /** The circuits (rows with failures or open) of these tenants' targets. */
  listWebhookCircuits(input: {
    tenantId: string;
    targets: readonly string[];
  }): Promise<WebhookCircuit[]>;
  /**
   * Changes one circuit under its row lock: `update` gets the current circuit (null when there
   * is none) and returns the next one, or null to forget it (closed with no failures).
   */
  updateWebhookCircuit(input: {
    tenantId: string;
    target: string;
    at: Date;
    update: (current: WebhookCircuit | null) => WebhookCircuit | null;
  }): Promise<WebhookCircuit | null>;
}

export type { WebhookCircuit, WebhookCircuitStore };
