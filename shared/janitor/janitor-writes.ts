import type { Clock } from '../clock.js';
import type { JanitorWarning } from '../domain/janitor-policy.js';
import type { Provision } from '../domain/provision.js';
import { newId } from '../ids.js';
import type { Logger } from '../logger.js';
import { startDeletion } from '../provisioning/start-deletion.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import type { JanitorStore } from '../store/janitor.port.js';
import type { OutboxStore } from '../store/outbox.port.js';
import type { ProvisionStore } from '../store/provision.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { webhookDeliveriesFor } from '../webhooks/webhook-deliveries.js';
import { cancelWrite } from './expiry-notices.js';

/**
 * The janitor's three writes, each one compare-and-set transaction on the provision's version:
 * `null` means the row moved on since it was read (a PATCH, a DELETE, another run) and nothing
 * was written; the next run decides again from the new row.
 */

interface WriteDeps {
  store: ProvisionStore & OutboxStore & WebhookEndpointStore & JanitorStore;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
}

const warnProvision = async (
  deps: WriteDeps,
  provision: Provision,
  input: { warning: JanitorWarning; message: string },
): Promise<Provision | null> => {
  const { warning } = input;
  const eventId = newId('evt', warning.warnedAt.getTime());
  // `cluster.expiring` to the per-request URL and the tenant's subscribed endpoints, written in
  // the warning's own transaction (an outbox, like every webhook).
  const webhooks = await webhookDeliveriesFor({
    store: deps.store,
    provision,
    type: 'cluster.expiring',
    payloadData: { deleteAt: warning.deleteAt.toISOString(), reason: warning.reason },
    now: warning.warnedAt,
    eventId,
  });
  return deps.store.recordJanitorWarning({
    id: provision.id,
    expectedVersion: provision.version,
    warning: input.warning,
    warningEventId: eventId,
    event: {
      type: 'janitor.warned',
      state: provision.state,
      message: `${input.warning.reason === 'ttl' ? 'expiring' : 'idle'}: ${input.message}`,
      source: 'service',
      at: input.warning.warnedAt,
    },
    webhooks,
  });
};

/**
 * Calls a warning off. A receiver that got `cluster.expiring` is told, in the same transaction,
 * by `cluster.expiry_cancelled`: the deletion it was told of will not happen.
 */
const cancelWarning = async (
  deps: WriteDeps,
  provision: Provision,
  input: { warning: JanitorWarning; why: string },
): Promise<Provision | null> => {
  const write = await cancelWrite(deps, provision, { ...input, now: deps.clock.now() });
  return deps.store.cancelJanitorWarning({
    id: provision.id,
    expectedVersion: provision.version,
    event: write.event,
    webhooks: write.webhooks,
  });
};

/**
 * Deletion through the same path as DELETE: the transition to `deleting` with its delete job in
 * the outbox (one transaction), then the job is sent; a send that fails is re-sent by the
 * poller's sweep. The worker's delete job is idempotent and the transition is compare-and-set,
 * so a janitor that dies anywhere here can never delete twice.
 */
const deleteProvision = async (
  deps: WriteDeps,
  provision: Provision,
  message: string,
): Promise<Provision | null> => {
  return startDeletion(deps, provision, {
    reason: 'janitor.deleting',
    message: `the janitor is deleting cluster ${provision.clusterId ?? '(none)'}: ${message}`,
  });
};

export type { WriteDeps };
export { cancelWarning, deleteProvision, warnProvision };
