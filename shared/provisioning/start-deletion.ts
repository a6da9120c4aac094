import type { Clock } from '../clock.js';
import type { EventSource, Provision } from '../domain/provision.js';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import type { OutboxStore } from '../store/outbox.port.js';
import type { ProvisionStore } from '../store/provision.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { commitTransitionWithJob } from './commit-transition.js';
import { dispatchJob } from './dispatch-job.js';

interface StartDeletionDeps {
  store: ProvisionStore & OutboxStore & WebhookEndpointStore;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
}

/**
 * `→ deleting` with its delete job in the outbox and its webhooks, in one compare-and-set
 * transaction, then the job is sent (the outbox sweep re-sends it if that fails). The DELETE
 * route, the janitor and the poller's clean-up of a failed creation all delete this way. `null`
 * when the row moved on since it was read.
 */
const startDeletion = async (
  deps: StartDeletionDeps,
  provision: Provision,
  input: { reason: string; message: string; source?: EventSource },
): Promise<Provision | null> => {
  const committed = await commitTransitionWithJob(deps.store, provision, 'deleting', {
    ...input,
    now: deps.clock.now(),
  });
  if (!committed) return null;
  await dispatchJob(deps, committed);
  return committed.provision;
};

export type { StartDeletionDeps };
export { startDeletion };
