import type { EventSource, Provision, ProvisionPatch } from '../domain/provision.js';
import { planTransition } from '../domain/provision.js';
import type { ProvisionState } from '../domain/provision-state.js';
import type { ProvisionStore } from '../store/provision.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { transitionWebhooks, webhookDeliveriesFor } from '../webhooks/webhook-deliveries.js';

interface CommitInput {
  reason: string;
  message: string;
  now: Date;
  patch?: ProvisionPatch;
  source?: EventSource;
}

/**
 * Plans and applies a transition with compare-and-set. `null` when the row moved on since it was
 * read: the caller re-reads and decides again.
 */
const commitTransition = async (
  store: ProvisionStore & WebhookEndpointStore,
  provision: Provision,
  to: ProvisionState,
  input: CommitInput,
): Promise<Provision | null> => {
  const transition = planTransition(provision, to, input);
  const after: Provision = { ...provision, ...transition.patch, state: to };
  // The webhook deliveries the transition owes (per-request URL and subscribed endpoints) are
  // written in the same transaction as the state change (an outbox): a crash can never leave a
  // transition announced twice or not at all. The endpoints are read just before.
  return store.applyTransition({
    id: provision.id,
    expectedVersion: provision.version,
    transition,
    webhooks: await transitionWebhooks({ store, after, now: input.now }),
  });
};

export { commitTransition, transitionWebhooks, webhookDeliveriesFor };
