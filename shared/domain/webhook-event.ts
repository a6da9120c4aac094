import type { Provision } from './provision.js';
import type { ProvisionState } from './provision-state.js';

const WEBHOOK_EVENT_TYPES = [
  'cluster.provisioning',
  'cluster.running',
  'cluster.failed',
  'cluster.expiring',
  'cluster.expiry_cancelled',
  'cluster.deleted',
  'cluster.cancelled',
  // A change after creation (shared/changes/) ended: done, or not done and why.
  'cluster.updated',
  'cluster.update_failed',
] as const;

type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * The ping is not a cluster event: it goes only to the endpoint pinged, and is never queued.
 * Here, not beside its documentation (webhook-event-docs.ts), so that the ping route does not
 * load the schemas of every event (the OpenAPI document's, built on first request).
 */
const WEBHOOK_PING = 'webhook.ping';

/** Which transitions are announced, and as what. */
const webhookTypeForState = (state: ProvisionState): WebhookEventType | undefined => {
  switch (state) {
    case 'provisioning':
      return 'cluster.provisioning';
    case 'running':
      return 'cluster.running';
    case 'failed':
      return 'cluster.failed';
    case 'deleted':
      return 'cluster.deleted';
    case 'cancelled':
      return 'cluster.cancelled';
    default:
      return undefined;
  }
};

interface WebhookPayload {
  type: WebhookEventType;
  timestamp: string;
  data: {
    id: string;
    name: string;
    region: string;
    state: ProvisionState;
    clusterId: string | null;
    labels: Record<string, string>;
    error?: { code: string; message: string };
    /**
     * `cluster.expiring`: when the janitor deletes the cluster, and the policy. On
     * `cluster.expiry_cancelled`: the deletion that was called off, and its policy.
     */
    deleteAt?: string;
    reason?: 'ttl' | 'idle';
    /** `cluster.expiry_cancelled` only: why the deletion was called off. */
    why?: string;
    /** `cluster.updated` / `cluster.update_failed` only: the change, and why it failed. */
    change?: {
      id: string;
      kind: string;
      description: string;
      error?: { code: string; message: string };
    };
  };
}

/** A thin payload (Standard Webhooks advice): enough to act on, the API has the rest. */
const webhookPayloadFor = (
  provision: Provision,
  type: WebhookEventType,
  at: Date,
): WebhookPayload => ({
  type,
  timestamp: at.toISOString(),
  data: {
    id: provision.id,
    name: provision.name,
    region: provision.region,
    state: provision.state,
    clusterId: provision.clusterId,
    labels: provision.labels,
    ...(provision.error ? { error: provision.error } : {}),
  },
});

export type { WebhookEventType, WebhookPayload };
export { WEBHOOK_EVENT_TYPES, WEBHOOK_PING, webhookPayloadFor, webhookTypeForState };
