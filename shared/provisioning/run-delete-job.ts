import { AckError } from '../ack/ack-error.js';
import type { ClusterApi, DeleteClusterOptions } from '../ack/cluster-api.port.js';
import type { Clock } from '../clock.js';
import { isDomainError, RetryLaterError } from '../domain/errors.js';
import { RETAINABLE_RESOURCE_TYPES } from '../domain/retainable-resources.js';
import type { Logger } from '../logger.js';
import type { ProvisionStore } from '../store/provision.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { commitTransition } from './commit-transition.js';
import { findCreatedCluster } from './find-created-cluster.js';

interface DeleteJobDeps {
  store: ProvisionStore & WebhookEndpointStore;
  clusterApi: ClusterApi;
  clock: Clock;
  logger: Logger;
  /** Resource types DeleteCluster keeps; everything else is deleted with the cluster. */
  retain: readonly string[];
}

type DeleteOutcome = { outcome: 'requested' | 'gone' | 'refused' | 'skipped'; detail: string };

/**
 * ACK keeps ALB, SLS projects and PrivateZone zones of an ASK cluster unless told otherwise, and
 * they keep billing; so every type is named, deleted unless the operator chose to retain it.
 */
const deleteOptionsFor = (retain: readonly string[]): DeleteClusterOptions => ({
  retainAllResources: false,
  deleteOptions: RETAINABLE_RESOURCE_TYPES.map((resourceType) => ({
    resourceType,
    deleteMode: retain.includes(resourceType) ? 'retain' : 'delete',
  })),
});

const retryLater = (message: string): RetryLaterError => new RetryLaterError(message);

/**
 * The worker's delete job: DeleteCluster for a provision in `deleting`. Idempotent: a job for a
 * provision in any other state, or one ACK is already deleting, does nothing; ACK's
 * ErrorClusterNotFound is success. The poller moves the provision to `deleted` when ACK is done.
 */
const runDeleteJob = async (deps: DeleteJobDeps, provisionId: string): Promise<DeleteOutcome> => {
  const provision = await deps.store.getProvision({ id: provisionId });
  if (!provision) return { outcome: 'skipped', detail: 'no such provision' };
  if (provision.state !== 'deleting')
    return { outcome: 'skipped', detail: `state is ${provision.state}` };
  if (provision.ackState === 'deleting')
    return { outcome: 'skipped', detail: 'ACK is already deleting it' };
  let clusterId = provision.clusterId;
  // A create that may have reached ACK without us learning the id: find it before concluding.
  if (!clusterId && provision.createPendingAt) {
    clusterId = (await findCreatedCluster(deps.clusterApi, provision))?.clusterId ?? null;
  }
  const now = deps.clock.now();
  if (!clusterId) {
    const done = await commitTransition(deps.store, provision, 'deleted', {
      reason: 'worker.nothing_to_delete',
      message: 'no ACK cluster was created for this provision',
      now,
    });
    if (!done) throw retryLater(`provision ${provisionId} changed while being deleted`);
    return { outcome: 'gone', detail: 'no cluster' };
  }
  let result: Awaited<ReturnType<ClusterApi['deleteCluster']>>;
  try {
    result = await deps.clusterApi.deleteCluster({
      clusterId,
      regionId: provision.region,
      options: deleteOptionsFor(deps.retain),
    });
  } catch (error) {
    if (!isDomainError(error) || error.retryable) throw error;
    // ACK refused for good (deletion protection set outside us, a dependency): say why and stop.
    const ackCode = (error instanceof AckError ? error.ackCode : undefined) ?? error.code;
    await deps.store.updateProvision({
      id: provision.id,
      expectedVersion: provision.version,
      patch: { error: { code: ackCode, message: error.message } },
      event: {
        type: 'ack.delete_refused',
        state: 'deleting',
        message: `DeleteCluster refused: ${error.message}`,
        source: 'ack',
        at: now,
      },
      at: now,
    });
    return { outcome: 'refused', detail: ackCode };
  }
  if (result.outcome === 'gone') {
    const done = await commitTransition(deps.store, provision, 'deleted', {
      reason: 'ack.cluster_not_found',
      message: `ACK no longer knows cluster ${clusterId}`,
      now,
      patch: { clusterId, ackState: 'deleted' },
      source: 'ack',
    });
    if (!done) throw retryLater(`provision ${provisionId} changed while being deleted`);
    return { outcome: 'gone', detail: clusterId };
  }
  const marked = await deps.store.updateProvision({
    id: provision.id,
    expectedVersion: provision.version,
    patch: {
      clusterId,
      ackState: 'deleting',
      error: null,
      ...(result.taskId ? { taskId: result.taskId } : {}),
    },
    event: {
      type: 'ack.delete_requested',
      state: 'deleting',
      message: `ACK is deleting cluster ${clusterId}`,
      source: 'service',
      at: now,
    },
    at: now,
  });
  // The call is idempotent on ACK's side; a lost CAS only means another worker recorded it.
  if (!marked) deps.logger.info('provision moved on after DeleteCluster', { provisionId });
  return { outcome: 'requested', detail: clusterId };
};

export type { DeleteJobDeps, DeleteOutcome };
export { deleteOptionsFor, runDeleteJob };
