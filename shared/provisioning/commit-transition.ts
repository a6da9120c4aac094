import type { Job } from '../domain/job.js';
import type { EventSource, Provision, ProvisionPatch, Transition } from '../domain/provision.js';
import { planTransition } from '../domain/provision.js';
import type { ProvisionState } from '../domain/provision-state.js';
import type { NewWebhookDelivery } from '../store/delivery.port.js';
import type { OutboxStore } from '../store/outbox.port.js';
import type { ProvisionStore } from '../store/provision.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { transitionWebhooks, webhookDeliveriesFor } from '../webhooks/webhook-deliveries.js';

/**
 * The one way a provision changes state. Every transition is planned against the state machine,
 * applied with compare-and-set, and written in one transaction with its event and the webhook
 * deliveries it owes. Entering a state that owes the worker a job (`deleting`) also writes the
 * job to the outbox in that transaction, so a lost send is re-sent by the poller's outbox sweep;
 * the types make `commitTransition` refuse such a state, so it cannot be entered without its job.
 */

interface CommitInput {
  reason: string;
  message: string;
  now: Date;
  patch?: ProvisionPatch;
  source?: EventSource;
}

/** States whose entry owes the worker a job. */
type JobOwingState = 'deleting';

/** The job entering `to` owes the worker. */
const jobOwedBy = (provision: Provision, to: JobOwingState): Job => {
  switch (to) {
    case 'deleting':
      return { v: 1, kind: 'delete', provisionId: provision.id };
  }
};

const prepare = async (
  store: Pick<WebhookEndpointStore, 'listSubscribedEndpoints'>,
  provision: Provision,
  to: ProvisionState,
  input: CommitInput,
): Promise<{ transition: Transition; webhooks: NewWebhookDelivery[] }> => {
  const transition = planTransition(provision, to, input);
  const after: Provision = { ...provision, ...transition.patch, state: to };
  // The endpoints are read just before the transaction that writes the deliveries: a crash can
  // never leave a transition announced twice or not at all.
  return { transition, webhooks: await transitionWebhooks({ store, after, now: input.now }) };
};

/**
 * A transition that owes the worker nothing. `null` when the row moved on since it was read: the
 * caller re-reads and decides again.
 */
const commitTransition = async (
  store: ProvisionStore & WebhookEndpointStore,
  provision: Provision,
  to: Exclude<ProvisionState, JobOwingState>,
  input: CommitInput,
): Promise<Provision | null> => {
  const { transition, webhooks } = await prepare(store, provision, to, input);
  return store.applyTransition({
    id: provision.id,
    expectedVersion: provision.version,
    transition,
    webhooks,
  });
};

/**
 * A transition that owes the worker a job, with the job in the outbox in the same transaction.
 * The caller sends it next (dispatchJob); if that send is lost, the outbox sweep re-sends it.
 * `null` when the row moved on since it was read.
 */
const commitTransitionWithJob = async (
  store: ProvisionStore & OutboxStore & WebhookEndpointStore,
  provision: Provision,
  to: JobOwingState,
  input: CommitInput,
): Promise<{ provision: Provision; job: Job; outboxId: string } | null> => {
  const { transition, webhooks } = await prepare(store, provision, to, input);
  const job = jobOwedBy(provision, to);
  const committed = await store.applyTransitionWithJob({
    id: provision.id,
    expectedVersion: provision.version,
    transition,
    job,
    webhooks,
  });
  return committed ? { ...committed, job } : null;
};

export type { CommitInput, JobOwingState };
export { commitTransition, commitTransitionWithJob, transitionWebhooks, webhookDeliveriesFor };
