import type { Clock } from '../clock.js';
import type { Job } from '../domain/job.js';
import type { Provision } from '../domain/provision.js';
import { planTransition } from '../domain/provision.js';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import type { OutboxStore } from '../store/outbox.port.js';
import type { ProvisionStore } from '../store/provision.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { transitionWebhooks } from '../webhooks/webhook-deliveries.js';
import { dispatchJob } from './dispatch-job.js';

interface StartDeletionDeps {
  store: ProvisionStore & OutboxStore & WebhookEndpointStore;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
}

/**
 * `→ deleting` with its delete job in the outbox and its webhooks, in one compare-and-set
 * transaction, then the job is sent (the sweep re-sends it if that fails). The DELETE route and
 * the janitor both delete this way. `null` when the row moved on since it was read.
 */
const startDeletion = async (
  deps: StartDeletionDeps,
  provision: Provision,
  input: { reason: string; message: string },
): Promise<Provision | null> => {
  const now = deps.clock.now();
  const job: Job = { v: 1, kind: 'delete', provisionId: provision.id };
  const transition = planTransition(provision, 'deleting', { ...input, now });
  const result = await deps.store.applyTransitionWithJob({
    id: provision.id,
    expectedVersion: provision.version,
    transition,
    job,
    webhooks: await transitionWebhooks({
      store: deps.store,
      after: { ...provision, state: 'deleting' },
      now,
    }),
  });
  if (!result) return null;
  await dispatchJob(deps, { job, outboxId: result.outboxId });
  return result.provision;
};

export type { StartDeletionDeps };
export { startDeletion };
