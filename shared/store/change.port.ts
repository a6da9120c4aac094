import type { AuditRecord } from '../domain/audit.js';
import type { ChangeError, ChangeRequest, ClusterChange } from '../domain/cluster-change.js';
import type { ClusterSpec } from '../domain/cluster-spec.js';
import type { StageEvent } from '../domain/creation-progress.js';
import type { Job } from '../domain/job.js';
import type { Provision, Transition } from '../domain/provision.js';
import type { NewWebhookDelivery } from './delivery.port.js';

type NewClusterChange = ChangeRequest & {
  id: string;
  provisionId: string;
  tenantId: string;
  createdAt: Date;
};

/**
 * Changes after creation (shared/changes/). The two ends of a change are transitions of the
 * provision (`running → updating`, `updating → running`), each written with the change row in
 * one transaction, so a provision is `updating` exactly while it has an open change.
 */
interface ChangeStore {
  /**
   * `running → updating` (compare-and-set), the change row (`pending`), the transition's event
   * and the `change` job's outbox entry, in one transaction. `null` when the version is stale or
   * another change is open (the partial unique index).
   */
  startChange(input: {
    expectedVersion: number;
    transition: Transition;
    change: NewClusterChange;
    job: Job;
    /**
     * The request's audit record, made and written in the same transaction once the change is
     * certain (not when the answer is null), so a record is taken only for what commits.
     */
    audit?: () => AuditRecord;
  }): Promise<{ provision: Provision; change: ClusterChange; outboxId: string } | null>;
  /** The open change of a provision (pending or running), if any. */
  getOpenChange(input: { provisionId: string }): Promise<ClusterChange | null>;
  /** A provision's changes, newest first. */
  listChanges(input: { provisionId: string; limit: number }): Promise<ClusterChange[]>;
  /** `pending → running` with ACK's task id; false when the change is no longer pending. */
  markChangeStarted(input: { id: string; ackTaskId: string; at: Date }): Promise<boolean>;
  /**
   * Appends the task's stage events not yet recorded on the change (under the provision's row
   * lock, like the creation progress) and remembers their keys. Returns how many were written.
   */
  recordChangeStages(input: {
    changeId: string;
    provisionId: string;
    stages: readonly { key: string; event: StageEvent }[];
    at: Date;
  }): Promise<number>;
  /**
   * `updating → running` (compare-and-set) with the change's outcome, the spec its success
   * changed, the transition's event and its webhook rows, in one transaction. `null` when the
   * version is stale or the change is no longer open.
   */
  finishChange(input: {
    provisionId: string;
    expectedVersion: number;
    transition: Transition;
    changeId: string;
    outcome: 'succeeded' | 'failed';
    error: ChangeError | null;
    spec?: ClusterSpec;
    webhooks: readonly NewWebhookDelivery[];
  }): Promise<Provision | null>;
}

export type { ChangeStore, NewClusterChange };
