import { AckError } from '../ack/ack-error.js';
import type { AckCluster, ClusterApi } from '../ack/cluster-api.port.js';
import { tenantFacingAckError } from '../ack/tenant-facing-ack-error.js';
import type { Clock } from '../clock.js';
import { isDomainError, RetryLaterError } from '../domain/errors.js';
import type { Provision } from '../domain/provision.js';
import { startHeartbeat } from '../leases/heartbeat.js';
import type { Logger } from '../logger.js';
import type { OutboxStore } from '../store/outbox.port.js';
import type { ProvisionStore } from '../store/provision.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import type { VpcNetworkApi } from '../vpc/vpc-network.port.js';
import type { AccountFacts } from './account-facts.js';
import { commitTransition, commitTransitionWithJob } from './commit-transition.js';
import { createClusterInputFor } from './create-cluster-input.js';
import { findCreateTaskId } from './find-create-task.js';
import { findCreatedCluster } from './find-created-cluster.js';
import { PreflightFailedError, runPreflight } from './preflight.js';
import { backoffMs, mayHaveReachedAck, retryCauseOf } from './retry-cause.js';

interface CreateJobDeps {
  store: ProvisionStore & OutboxStore & WebhookEndpointStore;
  clusterApi: ClusterApi;
  /** The preflight checks a caller's VPC and vSwitches through it. */
  vpcNetwork: VpcNetworkApi;
  /** What the preflight reads of the account; default: asked of ACK for every create. */
  accountFacts?: AccountFacts;
  clock: Clock;
  logger: Logger;
  workerId: string;
  /** Attempts that ended in a real failure (or a crash) before the provision is failed. */
  maxAttempts: number;
  leaseSeconds: number;
  /** After an ambiguous CreateCluster: how long to keep looking before creating again. */
  createSettleSeconds: number;
}

type JobOutcome = { outcome: 'created' | 'adopted' | 'failed' | 'skipped'; detail: string };

/** The lease owner of a provision backing off after a transient cause (no worker holds it). */
const BACKOFF_OWNER = 'backoff';

/** Thrown when the job must come back later: the queue trigger redelivers it. */
const retryLater = (message: string, options: { retryAfterMs?: number } = {}): RetryLaterError =>
  new RetryLaterError(message, options);

const claim = async (deps: CreateJobDeps, provision: Provision): Promise<Provision> => {
  const now = deps.clock.now();
  const leased =
    provision.leaseOwner !== null && provision.leaseUntil !== null && provision.leaseUntil > now;
  if (leased && provision.leaseOwner !== deps.workerId) {
    throw retryLater(
      provision.leaseOwner === BACKOFF_OWNER
        ? `provision ${provision.id} backs off until ${provision.leaseUntil?.toISOString()}`
        : `provision ${provision.id} is leased by another worker until ${provision.leaseUntil?.toISOString()}`,
    );
  }
  // The claim counts against the budget at once: a worker killed from here on never comes back
  // to say why, and a crash that repeats forever must end in a give-up.
  const claimed = await deps.store.updateProvision({
    id: provision.id,
    expectedVersion: provision.version,
    patch: {
      leaseOwner: deps.workerId,
      leaseUntil: new Date(now.getTime() + deps.leaseSeconds * 1000),
      attempts: provision.attempts + 1,
    },
    at: now,
  });
  if (!claimed) throw retryLater(`provision ${provision.id} changed while being claimed`);
  return claimed;
};

/**
 * After a transient cause: give the attempt back to the budget and hold the provision for the
 * backoff (ACK's retry-after when it said one), so a redelivery before then returns at once.
 */
const backOff = async (
  deps: CreateJobDeps,
  provisionId: string,
  retryAfterMs: number | undefined,
): Promise<void> => {
  const latest = await deps.store.getProvision({ id: provisionId });
  if (latest?.state !== 'accepted' || latest.leaseOwner !== deps.workerId) return;
  const now = deps.clock.now();
  await deps.store.updateProvision({
    id: latest.id,
    expectedVersion: latest.version,
    patch: {
      attempts: Math.max(0, latest.attempts - 1),
      leaseOwner: BACKOFF_OWNER,
      leaseUntil: new Date(now.getTime() + backoffMs({ retryAfterMs })),
    },
    at: now,
  });
};

const fail = async (
  deps: CreateJobDeps,
  provision: Provision,
  error: { code: string; message: string },
  found: AckCluster | null,
): Promise<JobOutcome> => {
  const now = deps.clock.now();
  if (found === null) {
    const failed = await commitTransition(deps.store, provision, 'failed', {
      reason: 'worker.create_failed',
      message: error.message,
      now,
      patch: { error, leaseOwner: null, leaseUntil: null },
    });
    if (!failed) throw retryLater(`provision ${provision.id} changed while being failed`);
    return { outcome: 'failed', detail: error.code };
  }
  // A cluster nobody would track must not keep billing: record it, fail, and delete it through
  // the deletion path (delete job in the outbox, sent by the sweep), whatever ASKP_CLEANUP_FAILED
  // says (that setting is about clusters ACK itself reported failed, which the caller can see).
  const failed = await commitTransition(deps.store, provision, 'failed', {
    reason: 'worker.create_failed',
    message: `${error.message}; found cluster ${found.clusterId} from an earlier attempt, deleting it`,
    now,
    patch: { error, clusterId: found.clusterId, leaseOwner: null, leaseUntil: null },
  });
  if (!failed) throw retryLater(`provision ${provision.id} changed while being failed`);
  // The worker has no queue at hand: the job waits in the outbox for the sweep to send it.
  const deleting = await commitTransitionWithJob(deps.store, failed, 'deleting', {
    reason: 'worker.cleanup_after_give_up',
    message: `deleting cluster ${found.clusterId}: the provision failed after a create reached ACK`,
    now,
  });
  if (!deleting)
    deps.logger.warn('a failed provision moved on before its cleanup', { id: failed.id });
  return { outcome: 'failed', detail: `${error.code}; deleting ${found.clusterId}` };
};

const settleUntil = (deps: CreateJobDeps, provision: Provision): Date | null =>
  provision.createPendingAt === null
    ? null
    : new Date(provision.createPendingAt.getTime() + deps.createSettleSeconds * 1000);

/** A create that may still land: the attempt waits (a transient cause, outside the budget). */
const settling = (deps: CreateJobDeps, provision: Provision, until: Date): RetryLaterError =>
  retryLater(
    `a CreateCluster of provision ${provision.id} may still land; looking again until ${until.toISOString()}`,
    { retryAfterMs: Math.min(15_000, until.getTime() - deps.clock.now().getTime()) },
  );

/**
 * No give-up without a search: when a create may have reached ACK, the cluster is looked for
 * first (a failing lookup is transient: the job comes back), and a give-up waits out the settle
 * window, so a create still in flight cannot land after the provision failed unnoticed.
 */
const giveUp = async (
  deps: CreateJobDeps,
  provision: Provision,
  error: { code: string; message: string },
): Promise<JobOutcome> => {
  if (provision.createPendingAt === null || provision.clusterId !== null) {
    return fail(deps, provision, error, null);
  }
  const found = await findCreatedCluster(deps.clusterApi, provision);
  if (found) return fail(deps, provision, error, found);
  const until = settleUntil(deps, provision);
  if (until !== null && deps.clock.now() < until) throw settling(deps, provision, until);
  return fail(deps, provision, error, null);
};

const markPending = async (
  deps: CreateJobDeps,
  provision: Provision,
  pendingAt: Date | null,
): Promise<Provision> => {
  const now = deps.clock.now();
  const marked = await deps.store.updateProvision({
    id: provision.id,
    expectedVersion: provision.version,
    patch: { createPendingAt: pendingAt },
    ...(pendingAt === null
      ? {}
      : {
          event: {
            type: 'ack.create_requested',
            state: provision.state,
            message: `CreateCluster ${provision.clusterName}`,
            source: 'service',
            at: now,
          },
        }),
    at: now,
  });
  if (!marked) throw retryLater(`provision ${provision.id} changed around CreateCluster`);
  return marked;
};

const createOrAdopt = async (
  deps: CreateJobDeps,
  provision: Provision,
): Promise<{
  provision: Provision;
  clusterId: string;
  taskId: string | null;
  adopted: boolean;
}> => {
  // A set mark means an earlier attempt may have reached ACK: look before creating a second.
  if (provision.createPendingAt) {
    const existing = await findCreatedCluster(deps.clusterApi, provision);
    if (existing) {
      // The creation task makes a failed adopted cluster report ACK's own reason and stages.
      const taskId =
        provision.taskId ?? (await findCreateTaskId(deps.clusterApi, existing, deps.logger));
      return { provision, clusterId: existing.clusterId, taskId, adopted: true };
    }
    // Not there yet is not proof it never will be: a request slower than our timeout may still
    // be working on ACK's side. Only once the settle window has passed may we create again.
    const until = settleUntil(deps, provision);
    if (until !== null && deps.clock.now() < until) throw settling(deps, provision, until);
  }
  // Fail fast, with a finding the caller can act on, before ACK makes anything.
  // A failed finding becomes the provision's error, which the tenant reads: no account numbers.
  const report = await runPreflight(deps.clusterApi, provision.spec, deps.vpcNetwork, {
    audience: 'tenant',
    ...(deps.accountFacts ? { facts: deps.accountFacts } : {}),
  });
  if (!report.ok) {
    throw new PreflightFailedError(report);
  }
  const pending = await markPending(deps, provision, deps.clock.now());
  try {
    const created = await deps.clusterApi.createCluster(createClusterInputFor(pending));
    deps.accountFacts?.created(pending.spec.region);
    return {
      provision: pending,
      clusterId: created.clusterId,
      taskId: created.taskId,
      adopted: false,
    };
  } catch (error) {
    // ACK answered no (or the connection never opened): nothing can land, so the next attempt
    // need not wait out a settle window. Ambiguous failures keep the mark.
    if (!mayHaveReachedAck(error)) await markPending(deps, pending, null);
    throw error;
  }
};

const attemptCreate = async (deps: CreateJobDeps, provision: Provision): Promise<JobOutcome> => {
  if (provision.attempts > deps.maxAttempts) {
    return giveUp(deps, provision, {
      code: 'WORKER_GAVE_UP',
      message: `gave up after ${deps.maxAttempts} attempts to create the cluster`,
    });
  }
  let result: Awaited<ReturnType<typeof createOrAdopt>>;
  try {
    result = await createOrAdopt(deps, provision);
  } catch (error) {
    if (isDomainError(error) && !error.retryable) {
      const latest = (await deps.store.getProvision({ id: provision.id })) ?? provision;
      if (!(error instanceof AckError)) {
        return giveUp(deps, latest, { code: error.code, message: error.message });
      }
      // The provision's error is the tenant's to read: our mapped words; ACK's go to the log.
      deps.logger.warn('ACK refused the create', { provisionId: provision.id, error });
      const reason = tenantFacingAckError(error);
      return giveUp(deps, latest, { code: error.code, message: reason.message });
    }
    throw error;
  }
  const { clusterId, taskId, adopted } = result;
  const now = deps.clock.now();
  const moved = await commitTransition(deps.store, result.provision, 'provisioning', {
    reason: adopted ? 'worker.cluster_adopted' : 'worker.cluster_created',
    message: adopted
      ? `found cluster ${clusterId} from an earlier attempt and adopted it`
      : `ACK is creating cluster ${clusterId}`,
    now,
    patch: { clusterId, taskId, ackState: 'initial', leaseOwner: null, leaseUntil: null },
  });
  if (!moved)
    throw retryLater(
      `provision ${provision.id} changed after CreateCluster; the retry will adopt ${clusterId}`,
    );
  return { outcome: adopted ? 'adopted' : 'created', detail: clusterId };
};

/**
 * The worker's create job. Idempotent: a duplicate or late message finds the row past `accepted`
 * and does nothing; a retry after an unclear outcome adopts the cluster instead of creating another.
 * The claim is a short lease kept alive by a heartbeat; transient causes back off outside the
 * give-up budget.
 */
const runCreateJob = async (deps: CreateJobDeps, provisionId: string): Promise<JobOutcome> => {
  const current = await deps.store.getProvision({ id: provisionId });
  if (!current) return { outcome: 'skipped', detail: 'no such provision' };
  if (current.state !== 'accepted')
    return { outcome: 'skipped', detail: `already ${current.state}` };
  const provision = await claim(deps, current);
  const leaseMs = deps.leaseSeconds * 1000;
  const heartbeat = startHeartbeat({
    leaseMs,
    renew: () =>
      deps.store.renewProvisionLease({
        id: provisionId,
        owner: deps.workerId,
        state: 'accepted',
        leaseUntil: new Date(deps.clock.now().getTime() + leaseMs),
      }),
    onError: (error) =>
      deps.logger.warn('renewing the create lease failed', { provisionId, error }),
  });
  try {
    return await attemptCreate(deps, provision);
  } catch (error) {
    const cause = retryCauseOf(error);
    if (cause.kind === 'transient') {
      await backOff(deps, provisionId, cause.retryAfterMs).catch((backOffError: unknown) =>
        deps.logger.warn('recording the backoff failed', { provisionId, error: backOffError }),
      );
    }
    throw error;
  } finally {
    await heartbeat.stop();
  }
};

export type { CreateJobDeps, JobOutcome };
export { BACKOFF_OWNER, runCreateJob };
