import type { JanitorWarning } from '../domain/janitor-policy.js';
import type { NewProvisionEvent, Provision } from '../domain/provision.js';
import type { NewWebhookDelivery } from './delivery.port.js';

/** A running provision as the janitor sees it. */
interface JanitorCandidate {
  provision: Provision;
  /** The standing warning, if the janitor gave one and has not cancelled it. */
  warning: JanitorWarning | null;
  /** When the provision last became running (its timeline), null if the timeline does not say. */
  runningSince: Date | null;
  /** The last time the janitor saw an active workload pod in its cluster. */
  activitySeenAt: Date | null;
}

/**
 * A change of the janitor's mark that rides in another write's transaction (a create, a PATCH):
 * a warning given (mark, `janitor.warned`, `cluster.expiring`) or one called off (mark cleared,
 * `janitor.warning_cancelled`, `cluster.expiry_cancelled`).
 */
type JanitorMarkWrite =
  | {
      kind: 'warn';
      warning: JanitorWarning;
      warningEventId: string | null;
      event: NewProvisionEvent;
      webhooks: NewWebhookDelivery[];
    }
  | { kind: 'cancel'; event: NewProvisionEvent; webhooks: NewWebhookDelivery[] };

type JanitorLeaseResult = { acquired: true } | { acquired: false; owner: string; leaseUntil: Date };

/** The janitor's lease, its view of running provisions, and its marks on them (warnings, activity). */
interface JanitorStore {
  /**
   * Takes the named lease with compare-and-set: free, expired, or already `owner`'s. Otherwise
   * says who holds it until when. Makes overlapping janitor runs harmless.
   */
  acquireJanitorLease(input: {
    name: string;
    owner: string;
    now: Date;
    leaseUntil: Date;
  }): Promise<JanitorLeaseResult>;
  /** Lets go of the lease if `owner` still holds it. */
  releaseJanitorLease(input: { name: string; owner: string }): Promise<void>;
  /** Running provisions in id order, with the janitor's marks. */
  listJanitorCandidates(input: { afterId?: string; limit: number }): Promise<JanitorCandidate[]>;
  /** Every region the store has a provision in (orphans are looked for there). */
  listProvisionRegions(): Promise<string[]>;
  /**
   * Records a warning with compare-and-set on the provision's version: the mark, the event and
   * the webhook deliveries (`cluster.expiring`) in one transaction. `null` when stale.
   */
  recordJanitorWarning(input: {
    id: string;
    expectedVersion: number;
    warning: JanitorWarning;
    warningEventId: string | null;
    event: NewProvisionEvent;
    webhooks: NewWebhookDelivery[];
  }): Promise<Provision | null>;
  /**
   * Clears a warning with compare-and-set, recording why as an event, with the webhook deliveries
   * that call the announced deletion off (`cluster.expiry_cancelled`), in one transaction.
   * `null` when stale.
   */
  cancelJanitorWarning(input: {
    id: string;
    expectedVersion: number;
    event: NewProvisionEvent;
    webhooks?: NewWebhookDelivery[];
  }): Promise<Provision | null>;
  /** The standing warning of one provision, if the janitor (or its create, or a PATCH) gave one. */
  getJanitorWarning(input: { id: string }): Promise<JanitorWarning | null>;
  /** Remembers that the janitor saw the cluster busy at `seenAt` (never moves backwards). */
  recordJanitorActivity(input: { id: string; seenAt: Date }): Promise<void>;
}

export type { JanitorCandidate, JanitorLeaseResult, JanitorMarkWrite, JanitorStore };
