import { AckError } from '../ack/ack-error.js';
import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { Clock } from '../clock.js';
import { isDomainError, RetryLaterError } from '../domain/errors.js';
import type { Provision } from '../domain/provision.js';
import type { Logger } from '../logger.js';
import type { ProvisionStore } from '../store/provision.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { commitTransition } from './commit-transition.js';
import { createClusterInputFor } from './create-cluster-input.js';
import { findCreatedCluster } from './find-created-cluster.js';
import { PreflightFailedError, runPreflight } from './preflight.js';

interface CreateJobDeps {
  store: ProvisionStore & WebhookEndpointStore;
  clusterApi: ClusterApi;
  clock: Clock;
  logger: Logger;
  workerId: string;
  maxAttempts: number;
  leaseSeconds: number;
}

type JobOutcome = { outcome: 'created' | 'adopted' | 'failed' | 'skipped'; detail: string };

/** Thrown when the job must come back later: the queue trigger redelivers it. */
const retryLater = (message: string, cause?: unknown): RetryLaterError =>
  new RetryLaterError(message, { cause });

const claim = async (deps: CreateJobDeps, provision: Provision): Promise<Provision> => {
  const now = deps.clock.now();
  const leased =
    provision.leaseOwner !== null && provision.leaseUntil !== null && provision.leaseUntil > now;
  if (leased && provision.leaseOwner !== deps.workerId) {
    throw retryLater(
      `provision ${provision.id} is leased by another worker until ${provision.leaseUntil?.toISOString()}`,
    );
  }
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

const fail = async (
  deps: CreateJobDeps,
  provision: Provision,
  error: { code: string; message: string },
): Promise<JobOutcome> => {
  const failed = await commitTransition(deps.store, provision, 'failed', {
    reason: 'worker.create_failed',
    message: error.message,
    now: deps.clock.now(),
    patch: { error, leaseOwner: null, leaseUntil: null },
  });
  if (!failed) throw retryLater(`provision ${provision.id} changed while being failed`);
  return { outcome: 'failed', detail: error.code };
};

const markPending = async (deps: CreateJobDeps, provision: Provision): Promise<Provision> => {
  const now = deps.clock.now();
  const marked = await deps.store.updateProvision({
    id: provision.id,
    expectedVersion: provision.version,
    patch: { createPendingAt: now },
    event: {
      type: 'ack.create_requested',
      state: provision.state,
      message: `CreateCluster ${provision.clusterName}`,
      source: 'service',
      at: now,
    },
    at: now,
  });
  if (!marked) throw retryLater(`provision ${provision.id} changed before CreateCluster`);
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
    if (existing)
      return { provision, clusterId: existing.clusterId, taskId: provision.taskId, adopted: true };
  }
  // Fail fast, with a finding the caller can act on, before ACK makes anything.
  const report = await runPreflight(deps.clusterApi, provision.spec);
  if (!report.ok) {
    throw new PreflightFailedError(report);
  }
  const pending = await markPending(deps, provision);
  const created = await deps.clusterApi.createCluster(createClusterInputFor(pending));
  return {
    provision: pending,
    clusterId: created.clusterId,
    taskId: created.taskId,
    adopted: false,
  };
};

/**
 * The worker's create job. Idempotent: a duplicate or late message finds the row past `accepted`
 * and does nothing; a retry after an unclear outcome adopts the cluster instead of creating another.
 */
const runCreateJob = async (deps: CreateJobDeps, provisionId: string): Promise<JobOutcome> => {
  const current = await deps.store.getProvision({ id: provisionId });
  if (!current) return { outcome: 'skipped', detail: 'no such provision' };
  if (current.state !== 'accepted')
    return { outcome: 'skipped', detail: `already ${current.state}` };
  const provision = await claim(deps, current);
  if (provision.attempts > deps.maxAttempts) {
    return fail(deps, provision, {
      code: 'WORKER_GAVE_UP',
      message: `gave up after ${deps.maxAttempts} attempts to create the cluster`,
    });
  }
  let result: Awaited<ReturnType<typeof createOrAdopt>>;
  try {
    result = await createOrAdopt(deps, provision);
  } catch (error) {
    if (isDomainError(error) && !error.retryable) {
      const latest = (await deps.store.getProvision({ id: provisionId })) ?? provision;
      const ackCode = error instanceof AckError && error.ackCode ? ` (${error.ackCode})` : '';
      return fail(deps, latest, { code: error.code, message: `${error.message}${ackCode}` });
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
      `provision ${provisionId} changed after CreateCluster; the retry will adopt ${clusterId}`,
    );
  return { outcome: adopted ? 'adopted' : 'created', detail: clusterId };
};

export type { CreateJobDeps, JobOutcome };
export { runCreateJob };
