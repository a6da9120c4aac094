import type { EventSource, Provision, ProvisionPatch } from '../domain/provision.js';
import { planTransition } from '../domain/provision.js';
import type { ProvisionState } from '../domain/provision-state.js';
import { webhookPayloadFor, webhookTypeForState } from '../domain/webhook-event.js';
import { newId } from '../ids.js';
import type { NewWebhookDelivery, Store } from '../store/store.port.js';

/**
 * The webhook deliveries a transition owes: written in the same transaction as the state change
 * (an outbox), so a crash can never leave a transition announced twice or not at all. The event
 * id becomes `webhook-id`, stable across retries.
 */
const webhooksFor = (after: Provision, now: Date): NewWebhookDelivery[] => {
  const type = webhookTypeForState(after.state);
  const url = after.spec.webhook?.url;
  if (!type || !url) return [];
  const id = newId('evt', now.getTime());
  return [
    {
      id,
      tenantId: after.tenantId,
      provisionId: after.id,
      url,
      eventType: type,
      payload: JSON.stringify(webhookPayloadFor(after, type, now)),
      nextAttemptAt: now,
    },
  ];
};

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
  store: Store,
  provision: Provision,
  to: ProvisionState,
  input: CommitInput,
): Promise<Provision | null> => {
  const transition = planTransition(provision, to, input);
  const after: Provision = { ...provision, ...transition.patch, state: to };
  return store.applyTransition({
    id: provision.id,
    expectedVersion: provision.version,
    transition,
    webhooks: webhooksFor(after, input.now),
  });
};

export { commitTransition, webhooksFor };
