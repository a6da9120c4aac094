import * as z from 'zod';
import { clusterSpecSchema } from '../domain/cluster-spec.js';
import { type CreationProgress, EXPECTED_CREATE_STAGES } from '../domain/creation-progress.js';
import type { Provision, ProvisionEvent } from '../domain/provision.js';
import { PROVISION_STATES } from '../domain/provision-state.js';
import { redactWebhookUrl } from '../webhooks/webhook-url-check.js';

/**
 * The public shape of a provision and of its timeline. The zod schemas are the contract the
 * OpenAPI document is generated from; the view functions are typed by them, so the compiler
 * keeps the two from drifting apart.
 */
const timestamp = z.iso.datetime();

const clusterViewSchema = z
  .object({
    id: z.string().describe('the provision id, prv_…'),
    name: z.string(),
    region: z.string(),
    state: z.enum(PROVISION_STATES),
    clusterId: z.string().nullable().describe("ACK's cluster id, once the worker created it"),
    clusterName: z.string().describe('the name of the ACK cluster, fixed when accepted'),
    ackState: z.string().nullable().describe("ACK's own state as last seen"),
    endpoints: z
      .object({ intranet: z.string().optional(), internet: z.string().optional() })
      .strict(),
    spec: clusterSpecSchema.describe('the create request with its defaults applied'),
    labels: z.record(z.string(), z.string()),
    deletionProtection: z.boolean(),
    error: z.object({ code: z.string(), message: z.string() }).strict().nullable(),
    progress: z
      .object({
        stage: z.string().nullable().describe("the stage of ACK's create task under way"),
        completedStages: z.number().int().min(0),
        totalStages: z.number().int().min(0),
      })
      .strict()
      .nullable()
      .describe(
        "while provisioning: where ACK's create task stands, as the poller last read it; " +
          'null in every other state',
      ),
    expiresAt: timestamp.nullable(),
    deleteAt: timestamp
      .nullable()
      .optional()
      .describe(
        'GET /v1/clusters/{id} only: when the janitor will delete the cluster, once it has ' +
          'decided so and announced it (`cluster.expiring`); null while no deletion is planned. ' +
          'For a ttl it is `expiresAt`; the deletion happens within one janitor interval after it.',
      ),
    createdAt: timestamp,
    updatedAt: timestamp,
    links: z.object({ self: z.string(), events: z.string() }).strict(),
  })
  .strict();

const eventViewSchema = z
  .object({
    sequence: z.number().int(),
    type: z.string().describe('e.g. provision.accepted, worker.cluster_created'),
    state: z.enum(PROVISION_STATES),
    message: z.string(),
    source: z.enum(['service', 'ack']),
    at: timestamp,
  })
  .strict();

const clusterListSchema = z
  .object({
    items: z.array(clusterViewSchema),
    nextCursor: z
      .string()
      .nullable()
      .describe('pass as `cursor` for the next page; null on the last page'),
  })
  .strict();

const eventListSchema = z
  .object({
    id: z.string(),
    events: z.array(eventViewSchema),
    nextCursor: z.string().nullable().describe('the next page; null on the last'),
  })
  .strict();

type ClusterView = z.output<typeof clusterViewSchema>;
type EventView = z.output<typeof eventViewSchema>;
/** Before the poller's first read of the task, a creation is at its start. */
const NOT_YET_READ: CreationProgress = {
  stage: null,
  completedStages: 0,
  totalStages: EXPECTED_CREATE_STAGES,
};

/** States in which a planned deletion is still ahead. */
const PLANNABLE: readonly Provision['state'][] = ['accepted', 'provisioning', 'running'];

/** The `deleteAt` of GET: the standing warning's, while the provision can still be deleted. */
const plannedDeletion = (provision: Provision, deleteAt: Date | null): string | null =>
  deleteAt !== null && PLANNABLE.includes(provision.state) ? deleteAt.toISOString() : null;

const provisionView = (provision: Provision, progress?: CreationProgress): ClusterView => ({
  id: provision.id,
  name: provision.name,
  region: provision.region,
  state: provision.state,
  clusterId: provision.clusterId,
  clusterName: provision.clusterName,
  ackState: provision.ackState,
  endpoints: provision.endpoints ?? {},
  // The URL may carry the receiver's token in its query: kept for sending, never shown.
  spec: provision.spec.webhook
    ? { ...provision.spec, webhook: { url: redactWebhookUrl(provision.spec.webhook.url) } }
    : provision.spec,
  labels: provision.labels,
  deletionProtection: provision.spec.deletionProtection,
  error: provision.error,
  progress:
    provision.state === 'provisioning'
      ? {
          stage: progress?.stage ?? NOT_YET_READ.stage,
          completedStages: progress?.completedStages ?? NOT_YET_READ.completedStages,
          totalStages: progress?.totalStages ?? NOT_YET_READ.totalStages,
        }
      : null,
  expiresAt: provision.expiresAt?.toISOString() ?? null,
  createdAt: provision.createdAt.toISOString(),
  updatedAt: provision.updatedAt.toISOString(),
  links: {
    self: `/v1/clusters/${provision.id}`,
    events: `/v1/clusters/${provision.id}/events`,
  },
});

const eventView = (event: ProvisionEvent): EventView => ({
  sequence: event.sequence,
  type: event.type,
  state: event.state,
  message: event.message,
  source: event.source,
  at: event.at.toISOString(),
});

export type { ClusterView, EventView };
export {
  clusterListSchema,
  clusterViewSchema,
  eventListSchema,
  eventView,
  eventViewSchema,
  plannedDeletion,
  provisionView,
};
