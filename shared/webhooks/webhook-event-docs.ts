import * as z from 'zod';
import { CHANGE_KINDS, type ChangeKind } from '../domain/cluster-change.js';
import { PROVISION_STATES } from '../domain/provision-state.js';
import {
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_PING,
  type WebhookEventType,
} from '../domain/webhook-event.js';

/**
 * Every event a receiver can get, with its payload schema: OpenAPI 3.1's top-level `webhooks`
 * is built from this (one entry per type), so a receiver's types can be generated like a
 * client's. The map is total over the event types (`Record<DocumentedEventType, …>`): a new
 * type in WEBHOOK_EVENT_TYPES does not compile until it is described here, and a test compares
 * the document's `webhooks` keys with the list.
 */

const DOCUMENTED_EVENT_TYPES = [...WEBHOOK_EVENT_TYPES, WEBHOOK_PING] as const;
type DocumentedEventType = WebhookEventType | typeof WEBHOOK_PING;

const timestamp = z.iso.datetime({ offset: true });

/** The thin cluster snapshot every cluster event carries (see webhookPayloadFor). */
const clusterData = z
  .object({
    id: z.string().describe('the cluster (provision) id, prv_…'),
    name: z.string(),
    region: z.string(),
    state: z.enum(PROVISION_STATES).describe('the state after the change announced'),
    clusterId: z.string().nullable().describe("ACK's cluster id, once created"),
    labels: z.record(z.string(), z.string()),
    error: z
      .object({ code: z.string(), message: z.string() })
      .strict()
      .optional()
      .describe('the last error, when the cluster has one'),
  })
  .strict();

const reason = z.enum(['ttl', 'idle']).describe('the policy: `ttl` (expiry) or `idle`');

const expiringData = clusterData
  .extend({
    deleteAt: timestamp.describe('when the janitor deletes the cluster'),
    reason,
  })
  .strict();

const expiryCancelledData = clusterData
  .extend({
    deleteAt: timestamp.describe('the deletion that was called off'),
    reason,
    why: z.string().describe('what called it off (a PATCH, keep=true, new activity, …)'),
  })
  .strict();

const failedData = clusterData
  .extend({ error: z.object({ code: z.string(), message: z.string() }).strict() })
  .strict();

/** `cluster.updated` / `cluster.update_failed`: the change after creation that ended. */
const change = z
  .object({
    id: z.string().describe('the change, chg_… (GET /v1/clusters/{id}/changes)'),
    kind: z.enum(CHANGE_KINDS as [ChangeKind, ...ChangeKind[]]).describe('what was changed'),
    description: z.string().describe('the change, in words'),
  })
  .strict();

const updatedData = clusterData.extend({ state: z.literal('running'), change }).strict();

const updateFailedData = clusterData
  .extend({
    state: z.literal('running'),
    change: change
      .extend({
        error: z
          .object({
            code: z
              .string()
              .describe(
                'ACK_CHANGE_REFUSED, ACK_CHANGE_FAILED, CHANGE_NOT_STARTED or CHANGE_TIMED_OUT',
              ),
            message: z.string().describe("why, in our words (ACK's code named)"),
          })
          .strict(),
      })
      .strict(),
  })
  .strict();

const pingData = z.object({ endpointId: z.string().describe('the endpoint pinged') }).strict();

const envelope = <T extends DocumentedEventType, D extends z.ZodType>(type: T, data: D) =>
  z
    .object({
      type: z.literal(type),
      timestamp: timestamp.describe('when the event happened'),
      data,
    })
    .strict();

interface EventDoc {
  /** The component schema's name. */
  name: string;
  summary: string;
  schema: z.ZodType;
}

const WEBHOOK_EVENT_DOCS: Readonly<Record<DocumentedEventType, EventDoc>> = {
  'cluster.provisioning': {
    name: 'ClusterProvisioningEvent',
    summary: 'ACK accepted the create',
    schema: envelope('cluster.provisioning', clusterData),
  },
  'cluster.running': {
    name: 'ClusterRunningEvent',
    summary: 'the cluster is up',
    schema: envelope('cluster.running', clusterData),
  },
  'cluster.failed': {
    name: 'ClusterFailedEvent',
    summary: 'the create failed; `data.error` says why',
    schema: envelope('cluster.failed', failedData),
  },
  'cluster.expiring': {
    name: 'ClusterExpiringEvent',
    summary:
      'the janitor will delete the cluster at `data.deleteAt` (a ttl: its expiresAt, announced ' +
      'min(notice period, remaining lifetime) ahead; idle: the notice period after the warning)',
    schema: envelope('cluster.expiring', expiringData),
  },
  'cluster.expiry_cancelled': {
    name: 'ClusterExpiryCancelledEvent',
    summary:
      'a deletion announced by cluster.expiring is called off (a PATCH, keep=true, deletion ' +
      'protection, new activity)',
    schema: envelope('cluster.expiry_cancelled', expiryCancelledData),
  },
  'cluster.deleted': {
    name: 'ClusterDeletedEvent',
    summary: 'the cluster is gone',
    schema: envelope('cluster.deleted', clusterData),
  },
  'cluster.cancelled': {
    name: 'ClusterCancelledEvent',
    summary: 'a DELETE cancelled the provision before a cluster was created',
    schema: envelope('cluster.cancelled', clusterData),
  },
  'cluster.updated': {
    name: 'ClusterUpdatedEvent',
    summary:
      'a change after creation (public endpoint, addon, upgrade, revocation) succeeded; the ' +
      'cluster is running again',
    schema: envelope('cluster.updated', updatedData),
  },
  'cluster.update_failed': {
    name: 'ClusterUpdateFailedEvent',
    summary:
      'a change after creation failed; the cluster is running again and `data.change.error` ' +
      'says why',
    schema: envelope('cluster.update_failed', updateFailedData),
  },
  'webhook.ping': {
    name: 'WebhookPingEvent',
    summary: 'a test event, sent only to the endpoint pinged (POST …/endpoints/{id}:ping)',
    schema: envelope(WEBHOOK_PING, pingData),
  },
};

export type { DocumentedEventType, EventDoc };
export { DOCUMENTED_EVENT_TYPES, WEBHOOK_EVENT_DOCS, WEBHOOK_PING };
