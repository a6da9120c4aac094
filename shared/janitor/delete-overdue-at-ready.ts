import type { ClusterApi } from '../ack/cluster-api.port.js';
import { decideJanitorAction } from '../domain/janitor-policy.js';
import type { Provision } from '../domain/provision.js';
import { policyInput } from './examine-provision.js';
import { deleteProvision, type WriteDeps } from './janitor-writes.js';
import { verifyOwnership } from './verify-ownership.js';

/**
 * A cluster whose lifetime ended while ACK was still creating it is deleted on the poller tick
 * that sees it running, not on the janitor's next run (up to 15 minutes later): its owner asked
 * for it to be gone at `expiresAt`, and it cannot be deleted sooner (the janitor leaves a cluster
 * that is still being created alone). Only a deletion the janitor itself would make at this
 * moment: an expired ttl already announced (`cluster.expiring` went out at acceptance for a
 * lifetime shorter than the notice period, or earlier), the same policy decision (deletion
 * protection, the keep label, a changed expiry call it off), and the cluster ours in ACK.
 * Anything else (no announcement yet, an idle policy) waits for the janitor's run as before.
 * Returns whether the deletion started.
 */
const deleteIfOverdue = async (
  deps: WriteDeps & { clusterApi: ClusterApi },
  settings: { warnSeconds: number },
  provision: Provision,
): Promise<boolean> => {
  const now = deps.clock.now();
  if (provision.state !== 'running' || provision.expiresAt === null) return false;
  if (provision.expiresAt.getTime() > now.getTime()) return false;
  const warning = await deps.store.getJanitorWarning({ id: provision.id });
  if (warning === null || warning.reason !== 'ttl') return false;
  // Just running, no pods read: the ttl decision needs none (an idle one is left to the run).
  const candidate = { provision, warning, runningSince: now, activitySeenAt: null };
  const decision = decideJanitorAction({
    ...policyInput(candidate, { warnSeconds: settings.warnSeconds }, now),
    activity: undefined,
  });
  if (decision.action !== 'delete') return false;
  const ownership = await verifyOwnership(deps.clusterApi, provision);
  if (!ownership.owned) return false;
  const deleting = await deleteProvision(
    deps,
    provision,
    `${decision.message}; it expired while ACK was still creating it, and is deleted once running`,
  );
  return deleting !== null;
};

export { deleteIfOverdue };
