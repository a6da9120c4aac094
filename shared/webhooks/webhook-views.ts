import * as z from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhook-event.js';
import type {
  Tenant,
  WebhookAttempt,
  WebhookCircuit,
  WebhookDelivery,
  WebhookEndpoint,
} from '../store/store.port.js';
import { circuitState } from './circuit-breaker.js';
import { redactWebhookUrl } from './webhook-url-check.js';

/**
 * The public shapes of webhook endpoints, deliveries and their attempts. None carries a secret;
 * only the rotation's response carries the new signing secret, once.
 */
const timestamp = z.iso.datetime();
const eventType = z.enum(WEBHOOK_EVENT_TYPES);

const circuitViewSchema = z
  .object({
    state: z
      .enum(['closed', 'open', 'half-open'])
      .describe(
        'closed: deliveries go; open: they are rescheduled to retryAt, not attempted; ' +
          'half-open: one probe goes, its success closes the circuit',
      ),
    failures: z.number().int().describe('failed attempts in a row'),
    openedAt: timestamp.nullable(),
    retryAt: timestamp.nullable().describe('when an open circuit lets a probe through'),
  })
  .strict()
  .describe("The endpoint's circuit breaker");

const webhookEndpointViewSchema = z
  .object({
    id: z.string().describe('whe_…'),
    url: z.string(),
    eventTypes: z.array(eventType).describe('empty: every type'),
    description: z.string().nullable(),
    enabled: z.boolean(),
    disabledAt: timestamp.nullable(),
    disabledReason: z.string().nullable().describe('e.g. "gone (410)"'),
    createdAt: timestamp,
    circuit: circuitViewSchema,
  })
  .strict();

const webhookEndpointListSchema = z
  .object({ items: z.array(webhookEndpointViewSchema), nextCursor: z.string().nullable() })
  .strict();

const webhookAttemptViewSchema = z
  .object({
    series: z.number().int().describe('1, plus one per redelivery'),
    attempt: z.number().int().describe('1-based within its series'),
    at: timestamp,
    status: z.number().int().nullable().describe("the receiver's HTTP status, if it answered"),
    error: z.string().nullable().describe('why there was no answer (refused, timeout, …)'),
    durationMs: z.number().int().nullable(),
    outcome: z.enum(['delivered', 'retry', 'abandoned']),
  })
  .strict();

const DELIVERY_STATUSES = ['pending', 'delivered', 'abandoned'] as const;

const webhookDeliveryViewSchema = z
  .object({
    id: z.string().describe('whd_…'),
    eventId: z.string().describe('evt_…: the webhook-id header, the same for every target'),
    eventType,
    clusterId: z.string().describe('the cluster (prv_…) the event is about'),
    endpointId: z.string().nullable().describe("the endpoint's id; null for the request's URL"),
    url: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    series: z.number().int(),
    nextAttemptAt: timestamp.nullable().describe('when pending'),
    deliveredAt: timestamp.nullable(),
    abandonedAt: timestamp.nullable(),
    redeliveredAt: timestamp.nullable(),
    redeliveredBy: z.string().nullable().describe('the API key id that asked for a redelivery'),
    createdAt: timestamp,
    attempts: z.array(webhookAttemptViewSchema),
  })
  .strict();

const webhookDeliveryListSchema = z
  .object({ items: z.array(webhookDeliveryViewSchema), nextCursor: z.string().nullable() })
  .strict();

const rotatedSecretSchema = z
  .object({
    tenantId: z.string(),
    webhookSecret: z.string().describe('whsec_…: the new signing secret; shown this once'),
    previousSecretExpiresAt: timestamp.describe('until then deliveries carry both signatures'),
  })
  .strict();

type CircuitView = z.output<typeof circuitViewSchema>;

const CLOSED_CIRCUIT: CircuitView = {
  state: 'closed',
  failures: 0,
  openedAt: null,
  retryAt: null,
};

const circuitView = (circuit: WebhookCircuit | null | undefined, now: Date): CircuitView =>
  circuit
    ? {
        state: circuitState(circuit, now),
        failures: circuit.failures,
        openedAt: circuit.openedAt?.toISOString() ?? null,
        retryAt: circuit.retryAt?.toISOString() ?? null,
      }
    : CLOSED_CIRCUIT;

const webhookEndpointView = (
  endpoint: WebhookEndpoint,
  circuit: CircuitView = CLOSED_CIRCUIT,
): z.output<typeof webhookEndpointViewSchema> => ({
  id: endpoint.id,
  url: redactWebhookUrl(endpoint.url),
  eventTypes: endpoint.eventTypes,
  description: endpoint.description,
  enabled: endpoint.disabledAt === null,
  disabledAt: endpoint.disabledAt?.toISOString() ?? null,
  disabledReason: endpoint.disabledReason,
  createdAt: endpoint.createdAt.toISOString(),
  circuit,
});

const attemptView = (attempt: WebhookAttempt): z.output<typeof webhookAttemptViewSchema> => ({
  series: attempt.series,
  attempt: attempt.attempt,
  at: attempt.at.toISOString(),
  status: attempt.status,
  error: attempt.error,
  durationMs: attempt.durationMs,
  outcome: attempt.outcome,
});

const statusOf = (delivery: WebhookDelivery): (typeof DELIVERY_STATUSES)[number] => {
  if (delivery.deliveredAt) return 'delivered';
  if (delivery.abandonedAt) return 'abandoned';
  return 'pending';
};

const webhookDeliveryView = (
  delivery: WebhookDelivery,
  attempts: readonly WebhookAttempt[],
): z.output<typeof webhookDeliveryViewSchema> => {
  const status = statusOf(delivery);
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    clusterId: delivery.provisionId,
    endpointId: delivery.endpointId,
    url: redactWebhookUrl(delivery.url),
    status,
    series: delivery.series,
    nextAttemptAt: status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    abandonedAt: delivery.abandonedAt?.toISOString() ?? null,
    redeliveredAt: delivery.redeliveredAt?.toISOString() ?? null,
    redeliveredBy: delivery.redeliveredBy,
    createdAt: delivery.createdAt.toISOString(),
    attempts: attempts.filter((a) => a.deliveryId === delivery.id).map(attemptView),
  };
};

const rotatedSecretView = (tenant: Tenant): z.output<typeof rotatedSecretSchema> => ({
  tenantId: tenant.id,
  webhookSecret: tenant.webhookSecret,
  previousSecretExpiresAt: (tenant.previousSecretExpiresAt ?? new Date(0)).toISOString(),
});

export type { CircuitView };
export {
  CLOSED_CIRCUIT,
  circuitView,
  DELIVERY_STATUSES,
  rotatedSecretSchema,
  rotatedSecretView,
  webhookDeliveryListSchema,
  webhookDeliveryView,
  webhookDeliveryViewSchema,
  webhookEndpointListSchema,
  webhookEndpointView,
  webhookEndpointViewSchema,
};
