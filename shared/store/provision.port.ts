import type { AuditRecord } from '../domain/audit.js';
import type { ClusterSpec } from '../domain/cluster-spec.js';
import type { Job } from '../domain/job.js';
import type {
  NewProvisionEvent,
  Provision,
  ProvisionPatch,
  Transition,
} from '../domain/provision.js';
import type { ProvisionState } from '../domain/provision-state.js';
import type { NewWebhookDelivery } from './delivery.port.js';
import type { IdempotencyClaim, StoredResponse } from './idempotency.port.js';
import type { JanitorMarkWrite } from './janitor.port.js';

interface NewProvision {
  id: string;
  tenantId: string;
  name: string;
  region: string;
  spec: ClusterSpec;
  clusterName: string;
  labels: Record<string, string>;
  expiresAt: Date | null;
  createdAt: Date;
}

interface ProvisionListQuery {
  states: readonly ProvisionState[];
  region?: string;
  /** Only rows carrying every one of these labels with exactly these values. */
  labels?: Readonly<Record<string, string>>;
  /** Only rows whose name starts with this (case-sensitive). */
  namePrefix?: string;
  /** Only this tenant's rows (the API's list); every tenant's when absent (poller, janitor). */
  tenantId?: string;
  /** Rows whose id sorts after this (ids are time-ordered). */
  afterId?: string;
  limit: number;
}

/** What a PATCH may change; the use case computes the whole new value of each. */
interface ProvisionSettings {
  name: string;
  labels: Record<string, string>;
  expiresAt: Date | null;
  /** The spec with the changed settings (`deletionProtection`, `ttl`, `name`, `labels`). */
  spec: ClusterSpec;
}

/**
 * Provisions: every write is compare-and-set on `version`: a method that takes `expectedVersion`
 * returns `null` when the row moved on, and the caller re-reads and decides again.
 */
interface ProvisionStore {
  /**
   * Inserts the provision, its first event and its outbox entry in one transaction. With
   * `idempotency`, the same transaction completes the caller's Idempotency-Key record with the
   * response `respond` builds from the inserted provision, so the key and the provision cannot
   * diverge; it throws IDEMPOTENCY_IN_FLIGHT (and writes nothing) if the claim was lost.
   */
  createProvision(input: {
    provision: NewProvision;
    event: NewProvisionEvent;
    job: Job;
    idempotency?: { claim: IdempotencyClaim; respond: (provision: Provision) => StoredResponse };
    /**
     * The admission check (the tenant's quota): called in the transaction, after the tenant's
     * row is locked, with the specs of the tenant's provisions not deleted, cancelled or failed.
     * Throwing writes nothing. Concurrent creates of one tenant take turns on the lock.
     */
    admit?: (held: readonly ClusterSpec[]) => void;
    /** The janitor's notices the create owes (a lifetime shorter than the notice period). */
    marks?: JanitorMarkWrite[];
    /**
     * The request's audit record, made and written in the same transaction once the change is
     * certain (not when the answer is null), so a record is taken only for what commits.
     */
    audit?: () => AuditRecord;
  }): Promise<{
    provision: Provision;
    outboxId: string;
  }>;
  getProvision(input: { id: string; tenantId?: string }): Promise<Provision | null>;
  /**
   * Applies a planned transition with compare-and-set: state, patch, version + 1, the event row and
   * any webhook deliveries, all in one transaction. `null` when `expectedVersion` is stale.
   */
  applyTransition(input: {
    id: string;
    expectedVersion: number;
    transition: Transition;
    webhooks?: NewWebhookDelivery[];
  }): Promise<Provision | null>;
  /**
   * `applyTransition` plus an outbox entry for `job`, in the same transaction: a transition that
   * owes the worker a job (→ deleting) can never happen without it. `null` when stale.
   */
  applyTransitionWithJob(input: {
    id: string;
    expectedVersion: number;
    transition: Transition;
    job: Job;
    webhooks?: NewWebhookDelivery[];
  }): Promise<{ provision: Provision; outboxId: string } | null>;
  /**
   * A compare-and-set change of what a caller may edit (name, labels, expiry, spec), with its
   * event, in one transaction. `null` when `expectedVersion` is stale.
   */
  updateProvisionSettings(input: {
    id: string;
    expectedVersion: number;
    settings: ProvisionSettings;
    event: NewProvisionEvent;
    /** The janitor's notices the change owes: a warning called off, a new one given. */
    marks?: JanitorMarkWrite[];
  }): Promise<Provision | null>;
  /** A compare-and-set change that keeps the state (lease, create-pending mark, ACK state). */
  updateProvision(input: {
    id: string;
    expectedVersion: number;
    patch: ProvisionPatch;
    event?: NewProvisionEvent;
    /**
     * When the change happened by the caller's clock; becomes `updatedAt`. Defaults to the event's
     * time, else the database's clock.
     */
    at?: Date;
  }): Promise<Provision | null>;
  /**
   * A worker's heartbeat: moves `leaseUntil` on while `owner` still holds the lease of a provision
   * in `state`. Not a compare-and-set on the version (the holder's own writes name the version it
   * read, and a heartbeat must not make them stale); false when the lease is no longer `owner`'s.
   */
  renewProvisionLease(input: {
    id: string;
    owner: string;
    state: ProvisionState;
    leaseUntil: Date;
  }): Promise<boolean>;
  listProvisions(query: ProvisionListQuery): Promise<Provision[]>;
}

export type { NewProvision, ProvisionListQuery, ProvisionSettings, ProvisionStore };
