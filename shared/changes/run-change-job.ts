import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { Clock } from '../clock.js';
import type { ClusterChange } from '../domain/cluster-change.js';
import { isDomainError, RetryLaterError } from '../domain/errors.js';
import type { Provision } from '../domain/provision.js';
import type { Logger } from '../logger.js';
import type { ChangeStore } from '../store/change.port.js';
import type { KubeconfigIssuanceStore } from '../store/kubeconfig-issuance.port.js';
import type { ProvisionStore } from '../store/provision.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { changeEffects } from './change-effects.js';
import { refusedByAck } from './change-failures.js';
import { type ChangeOutcome, finishChange } from './finish-change.js';
import { startAckChange } from './start-ack-change.js';

interface ChangeJobDeps {
  store: ProvisionStore & ChangeStore & WebhookEndpointStore & KubeconfigIssuanceStore;
  clusterApi: ClusterApi;
  clock: Clock;
  logger: Logger;
}

type ChangeJobOutcome = {
  outcome: 'started' | 'done' | 'refused' | 'skipped';
  detail: string;
};

const CAS_ATTEMPTS = 5;

/**
 * Ends the open change, re-reading the provision when another writer (a PATCH of its labels, the
 * refresh) moved its version on meanwhile. Throws a RetryLaterError when it keeps losing: the
 * job comes back, and the change is still open for it.
 */
const finishWithRetry = async (
  deps: ChangeJobDeps,
  provision: Provision,
  change: ClusterChange,
  outcome: ChangeOutcome,
): Promise<Provision | null> => {
  let current: Provision | null = provision;
  for (let round = 0; round < CAS_ATTEMPTS && current !== null; round += 1) {
    if (current.state !== 'updating') return null;
    const done = await finishChange(deps, current, change, outcome);
    if (done) return done;
    const open = await deps.store.getOpenChange({ provisionId: provision.id });
    if (open?.id !== change.id) return null;
    current = await deps.store.getProvision({ id: provision.id });
  }
  throw new RetryLaterError(`provision ${provision.id} kept changing while its change ended`);
};

/**
 * The worker's change job: starts the provision's open change in ACK. Idempotent: a job for a
 * provision that is not updating, or whose change already has its ACK task, does nothing. A
 * retryable ACK failure throws (the job comes back; the poller fails a change that never starts);
 * a refusal ends the change at once, the provision back in `running` with the reason. A change
 * ACK carries out in the call itself ends here; one with a task is followed by the poller.
 */
const runChangeJob = async (
  deps: ChangeJobDeps,
  provisionId: string,
): Promise<ChangeJobOutcome> => {
  const provision = await deps.store.getProvision({ id: provisionId });
  if (!provision) return { outcome: 'skipped', detail: 'no such provision' };
  if (provision.state !== 'updating')
    return { outcome: 'skipped', detail: `state is ${provision.state}` };
  const change = await deps.store.getOpenChange({ provisionId });
  if (!change) return { outcome: 'skipped', detail: 'no open change' };
  if (change.state !== 'pending')
    return { outcome: 'skipped', detail: `change ${change.id} is already ${change.state}` };
  const clusterId = provision.clusterId ?? '';
  let taskId: string | null;
  try {
    ({ taskId } = await startAckChange(
      deps.clusterApi,
      { clusterId, regionId: provision.region },
      change,
      provision.spec,
    ));
  } catch (error) {
    if (!isDomainError(error) || error.retryable) throw error;
    deps.logger.warn('ACK refused a change', { provisionId, changeId: change.id, error });
    await finishWithRetry(deps, provision, change, { ok: false, error: refusedByAck(error) });
    return { outcome: 'refused', detail: error.code };
  }
  if (taskId === null) {
    if (change.kind === 'kubeconfig-revoke') {
      // Every kubeconfig issued for the cluster until ACK revoked is dead: say so in the records.
      const at = deps.clock.now();
      await deps.store.markKubeconfigsRevoked({ provisionId, issuedBy: at, at });
    }
    const effects = await changeEffects(deps.clusterApi, provision, change);
    await finishWithRetry(deps, provision, change, { ok: true, effects });
    return { outcome: 'done', detail: change.id };
  }
  const marked = await deps.store.markChangeStarted({
    id: change.id,
    ackTaskId: taskId,
    at: deps.clock.now(),
  });
  if (!marked) deps.logger.info('change moved on after ACK accepted it', { changeId: change.id });
  return { outcome: 'started', detail: taskId };
};

export type { ChangeJobDeps, ChangeJobOutcome };
export { runChangeJob };
