import * as z from 'zod';
import type { ApiApp } from '../../../shared/app/api-app.js';
import { ownTarget } from '../../../shared/http/audit-trail.js';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.js';
import { type ApiRoute, defineEndpoint, NO_BODY } from '../../../shared/http/endpoint.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import { cursorParam, DEFAULT_LIMIT, limitParam, NO_QUERY } from '../../../shared/http/query.js';
import { PROVISION_ID } from '../../../shared/provisioning/load-provision.js';
import { getDelivery, listDeliveryLog, redeliver } from '../../../shared/webhooks/delivery-log.js';
import { WEBHOOK_DELIVERY_ID } from '../../../shared/webhooks/webhook-requests.js';
import {
  DELIVERY_STATUSES,
  webhookDeliveryListSchema,
  webhookDeliveryView,
  webhookDeliveryViewSchema,
} from '../../../shared/webhooks/webhook-views.js';

const CURSOR_KIND = 'webhook-deliveries';

const deliveryListQuerySchema = z
  .object({
    clusterId: z
      .string()
      .regex(PROVISION_ID, 'clusterId is a cluster id such as prv_…')
      .optional()
      .describe("only this cluster's deliveries"),
    status: z.enum(DELIVERY_STATUSES).optional().describe('pending, delivered or abandoned'),
    limit: limitParam,
    cursor: cursorParam,
  })
  .strict();

/** The delivery log (every attempt of every delivery) and manual redelivery. */
const webhookDeliveryRoutes: ApiRoute<ApiApp>[] = [
  defineEndpoint({
    method: 'GET',
    path: '/v1/webhooks/deliveries',
    doc: {
      operationId: 'listWebhookDeliveries',
      summary: 'The webhook delivery log',
      description:
        'The tenant’s deliveries, oldest first: one per event and target, each with every ' +
        'attempt (status, error, duration).',
      tag: 'webhooks',
      scope: 'clusters:read',
      query: deliveryListQuerySchema,
      body: NO_BODY,
      responses: {
        200: {
          description: 'one page',
          schema: webhookDeliveryListSchema,
          name: 'WebhookDeliveryList',
        },
      },
      errors: [],
    },
    handle: async ({ app, principal, query }) => {
      const afterId =
        query.cursor === undefined
          ? undefined
          : decodeCursor(await app.cursorKey(), CURSOR_KIND, query.cursor, WEBHOOK_DELIVERY_ID);
      const page = await listDeliveryLog(app, {
        tenantId: principal.tenantId,
        ...(query.clusterId ? { provisionId: query.clusterId } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(afterId ? { afterId } : {}),
        limit: query.limit ?? DEFAULT_LIMIT,
      });
      return jsonResponse(200, {
        items: page.items.map((delivery) => webhookDeliveryView(delivery, page.attempts)),
        nextCursor:
          page.nextAfterId === null
            ? null
            : encodeCursor(await app.cursorKey(), CURSOR_KIND, page.nextAfterId),
      });
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/v1/webhooks/deliveries/{id}',
    doc: {
      operationId: 'getWebhookDelivery',
      summary: 'Get a webhook delivery',
      description: 'One delivery of the tenant’s, with every attempt (status, error, duration).',
      tag: 'webhooks',
      scope: 'clusters:read',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        200: {
          description: 'the delivery',
          schema: webhookDeliveryViewSchema,
          name: 'WebhookDelivery',
        },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, principal, params }) => {
      const found = await getDelivery(app, { tenantId: principal.tenantId, id: params.id ?? '' });
      return jsonResponse(200, webhookDeliveryView(found.delivery, found.attempts));
    },
  }),
  defineEndpoint({
    method: 'POST',
    path: '/v1/webhooks/deliveries/{id}/redeliver',
    audit: { action: 'webhook_delivery.redeliver', subject: ownTarget('webhook-delivery') },
    doc: {
      operationId: 'redeliverWebhook',
      summary: 'Send a delivery again',
      description:
        'A new attempt series for the same event: the same webhook-id, a fresh timestamp and ' +
        'signature, the retry schedule from the start. A delivered one can be replayed too. ' +
        'An endpoint that is disabled must be enabled first (409). Redeliveries are limited per ' +
        'tenant (ASKP_WEBHOOK_REDELIVER_PER_MINUTE, bursts of ASKP_WEBHOOK_REDELIVER_BURST): ' +
        'over it, 429 with Retry-After and nothing queued.',
      tag: 'webhooks',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        202: { description: 'queued', schema: webhookDeliveryViewSchema, name: 'WebhookDelivery' },
      },
      errors: ['NOT_FOUND', 'CONFLICT', 'RATE_LIMITED'],
    },
    handle: async ({ app, principal, params }) => {
      const queued = await redeliver(app, {
        tenantId: principal.tenantId,
        id: params.id ?? '',
        requestedBy: principal.keyId,
      });
      return jsonResponse(202, webhookDeliveryView(queued.delivery, queued.attempts));
    },
  }),
];

export { webhookDeliveryRoutes };
