import * as z from 'zod';
import { webhookSchema } from '../domain/cluster-spec.js';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhook-event.js';

/** Bodies and ids of the webhook endpoints; the URL follows the create request's webhook rule. */
const WEBHOOK_ENDPOINT_ID = /^whe_[0-9a-z]{20,32}$/;
/** Delivery ids: `whd_…`, or the event id of a delivery written before per-target rows. */
const WEBHOOK_DELIVERY_ID = /^(?:whd|evt)_[0-9a-z]{20,32}$/;
const MAX_ENDPOINTS_PER_TENANT = 20;

const createWebhookEndpointRequestSchema = z
  .object({
    url: webhookSchema.shape.url.describe(
      'http(s), no credentials, at most 2048 characters; the address it reaches is checked ' +
        'on every delivery (no private, loopback or metadata addresses)',
    ),
    eventTypes: z
      .array(z.enum(WEBHOOK_EVENT_TYPES))
      .max(WEBHOOK_EVENT_TYPES.length)
      .refine((types) => new Set(types).size === types.length, 'eventTypes must not repeat')
      .default([])
      .describe('the event types to send; empty or left out: every type'),
    description: z.string().max(256).optional().describe('a note for you; at most 256 characters'),
  })
  .strict();

const create = createWebhookEndpointRequestSchema.shape;

/** `PATCH /v1/webhooks/endpoints/{id}`: a merge patch; a field left out stays as it is. */
const updateWebhookEndpointRequestSchema = z
  .object({
    url: create.url.optional(),
    eventTypes: create.eventTypes
      .unwrap()
      .optional()
      .describe('replaces the types sent; [] means every type'),
    description: z
      .string()
      .max(256)
      .nullable()
      .optional()
      .describe('a note for you; null removes it'),
    enabled: z
      .boolean()
      .optional()
      .describe(
        'false stops sending to it (disabledReason "disabled by the tenant"); true resumes',
      ),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'name at least one field to change',
    path: [],
  });

type CreateWebhookEndpointRequest = z.output<typeof createWebhookEndpointRequestSchema>;
type UpdateWebhookEndpointRequest = z.output<typeof updateWebhookEndpointRequestSchema>;

export type { CreateWebhookEndpointRequest, UpdateWebhookEndpointRequest };
export {
  createWebhookEndpointRequestSchema,
  MAX_ENDPOINTS_PER_TENANT,
  updateWebhookEndpointRequestSchema,
  WEBHOOK_DELIVERY_ID,
  WEBHOOK_ENDPOINT_ID,
};
