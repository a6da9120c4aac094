import type { Clock } from '../clock.js';
import { DomainError } from '../domain/errors.js';
import type { Provision } from '../domain/provision.js';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import type { OutboxStore } from '../store/outbox.port.js';
import type { ProvisionStore } from '../store/provision.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { commitTransition } from './commit-transition.js';
import { loadProvision } from './load-provision.js';
import { startDeletion } from './start-deletion.js';

interface DeletionDeps {
  store: ProvisionStore & OutboxStore & WebhookEndpointStore;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
}

const CAS_ATTEMPTS = 5;

const protectedError = (provision: Provision): DomainError =>
  new DomainError(
    'DELETION_PROTECTED',
    `cluster ${provision.id} has deletion protection on; turn it off first with ` +
      `PATCH /v1/clusters/${provision.id} {"deletionProtection": false}`,
    { field: 'deletionProtection' },
  );

/** The worker may already be calling CreateCluster: wait for the cluster id, then delete it. */
const createInProgress = (provision: Provision): DomainError =>
  new DomainError(
    'CONFLICT',
    `cluster ${provision.id} is being created right now; retry the delete in a few seconds`,
    { retryAfterMs: 5000 },
  );

const changeInProgress = (provision: Provision): DomainError =>
  new DomainError(
    'CONFLICT',
    `cluster ${provision.id} is updating (a change is under way in ACK); retry the delete once ` +
      'it ends (GET /v1/clusters/{id}/changes)',
    { retryAfterMs: 5000 },
  );

/** One attempt at the decision; `null` when the row moved on under us (re-read and decide). */
const attempt = async (
  deps: DeletionDeps,
  provision: Provision,
  now: Date,
): Promise<Provision | null> => {
  switch (provision.state) {
    case 'deleting':
    case 'deleted':
    case 'cancelled':
      // Asked before, or nothing left: the same answer again, nothing written.
      return provision;
    default:
      break;
  }
  if (provision.spec.deletionProtection) throw protectedError(provision);
  // ACK is carrying out a change (an upgrade, an addon): deleting under it would race its task.
  // Every change ends (the poller gives a stuck one back), so the caller retries shortly.
  if (provision.state === 'updating') throw changeInProgress(provision);
  if (provision.state === 'accepted') {
    // A set create-pending mark means CreateCluster may have reached ACK: cancelling now could
    // orphan a cluster. Without the mark, the worker's own compare-and-set loses to ours.
    if (provision.createPendingAt !== null) throw createInProgress(provision);
    return commitTransition(deps.store, provision, 'cancelled', {
      reason: 'api.cancelled',
      message: 'cancelled by the caller before a cluster was created',
      now,
      patch: { leaseOwner: null, leaseUntil: null },
    });
  }
  return startDeletion(deps, provision, {
    reason: 'api.delete_requested',
    message: provision.clusterId
      ? `deleting cluster ${provision.clusterId}`
      : 'deleting whatever the failed create left behind',
  });
};

/**
 * `DELETE /v1/clusters/{id}`: an `accepted` provision is cancelled at once (the worker's job for
 * it then finds nothing to do); one with a cluster, or a failed create, moves to `deleting` with a
 * delete job written to the outbox in the same transaction, then sent. Deletion protection
 * refuses; a provision already deleting or gone answers as it is.
 */
const requestDeletion = async (
  deps: DeletionDeps,
  input: { tenantId: string; id: string },
): Promise<Provision> => {
  for (let round = 0; round < CAS_ATTEMPTS; round += 1) {
    const current = await loadProvision(deps.store, input);
    const done = await attempt(deps, current, deps.clock.now());
    if (done) return done;
  }
  throw new DomainError('CONFLICT', `cluster ${input.id} is changing; retry the delete`, {
    retryAfterMs: 1000,
  });
};

export { requestDeletion };
