import type { Clock } from '../clock.js';
import {
  type ChangeError,
  type ClusterChange,
  changeWebhookData,
  describeChange,
} from '../domain/cluster-change.js';
import { type Provision, planTransition } from '../domain/provision.js';
import type { ChangeStore } from '../store/change.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { webhookDeliveriesFor } from '../webhooks/webhook-deliveries.js';
import type { ChangeEffects } from './change-effects.js';

interface FinishDeps {
  store: ChangeStore & WebhookEndpointStore;
  clock: Clock;
}

type ChangeOutcome = { ok: true; effects: ChangeEffects } | { ok: false; error: ChangeError };

/**
 * Ends a change: `updating → running` whatever happened, so a change can never leave a cluster
 * stuck. Success records what it changed and announces `cluster.updated`; failure records the
 * reason on the change (our code and our words; ACK's code in them, never its raw message) and
 * announces `cluster.update_failed`. One transaction with the webhook rows. `null` when the row
 * moved on (the caller re-reads) or the change was already ended by someone else.
 */
const finishChange = async (
  deps: FinishDeps,
  provision: Provision,
  change: ClusterChange,
  outcome: ChangeOutcome,
): Promise<Provision | null> => {
  const now = deps.clock.now();
  const description = describeChange(change);
  const effects = outcome.ok ? outcome.effects : {};
  const transition = planTransition(provision, 'running', {
    reason: outcome.ok ? 'change.succeeded' : 'change.failed',
    message: outcome.ok
      ? `done: ${description} (change ${change.id})`
      : `not done: ${description} (change ${change.id}): ${outcome.error.message}`,
    now,
    patch: effects.endpoints === undefined ? {} : { endpoints: effects.endpoints },
  });
  const after: Provision = {
    ...provision,
    ...transition.patch,
    state: 'running',
    ...(effects.spec === undefined ? {} : { spec: effects.spec }),
  };
  const webhooks = await webhookDeliveriesFor({
    store: deps.store,
    provision: after,
    type: outcome.ok ? 'cluster.updated' : 'cluster.update_failed',
    payloadData: changeWebhookData(change, outcome.ok ? null : outcome.error),
    now,
  });
  return deps.store.finishChange({
    provisionId: provision.id,
    expectedVersion: provision.version,
    transition,
    changeId: change.id,
    outcome: outcome.ok ? 'succeeded' : 'failed',
    error: outcome.ok ? null : outcome.error,
    ...(effects.spec === undefined ? {} : { spec: effects.spec }),
    webhooks,
  });
};

export type { ChangeOutcome, FinishDeps };
export { finishChange };
