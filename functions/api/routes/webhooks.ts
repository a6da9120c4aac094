import * as z from 'zod';
import { rotateWebhookSecret } from '../../../shared/access/rotate-webhook-secret.js';
import type { ApiApp } from '../../../shared/app/api-app.js';
import { ownTarget, tenantInPath } from '../../../shared/http/audit-trail.js';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.js';
import { type ApiRoute, defineEndpoint, NO_BODY } from '../../../shared/http/endpoint.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import { cursorParam, DEFAULT_LIMIT, limitParam, NO_QUERY } from '../../../shared/http/query.js';
import {
  endpointViewsWithCircuits,
  endpointViewWithCircuit,
} from '../../../shared/webhooks/endpoint-circuits.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  enableWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookEndpoints,
  updateWebhookEndpoint,
} from '../../../shared/webhooks/manage-endpoints.js';
import { pingResultSchema, pingWebhookEndpoint } from '../../../shared/webhooks/ping-endpoint.js';
import {
  createWebhookEndpointRequestSchema,
  updateWebhookEndpointRequestSchema,
  WEBHOOK_ENDPOINT_ID,
} from '../../../shared/webhooks/webhook-requests.js';
import {
  assertWebhookUrlAllowed,
  webhookUrlPolicy,
} from '../../../shared/webhooks/webhook-url-check.js';
import {
  rotatedSecretSchema,
  rotatedSecretView,
  webhookEndpointListSchema,
  webhookEndpointViewSchema,
} from '../../../shared/webhooks/webhook-views.js';

const CURSOR_KIND = 'webhook-endpoints';

const endpointListQuerySchema = z.object({ limit: limitParam, cursor: cursorParam }).strict();

/** The tenant's webhook endpoints, and the admin's rotation of a tenant's signing secret. */
const webhookEndpointRoutes: ApiRoute<ApiApp>[] = [
  defineEndpoint({
    method: 'POST',
    path: '/v1/webhooks/endpoints',
    audit: { action: 'webhook_endpoint.create', subject: ownTarget('webhook-endpoint') },
    doc: {
      operationId: 'createWebhookEndpoint',
      summary: 'Add a webhook endpoint',
      description:
        'Every event of the given types (all when none are given) about any of the tenant’s ' +
        'clusters is sent to this URL too, signed with the tenant’s secret (Standard Webhooks).',
      tag: 'webhooks',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: createWebhookEndpointRequestSchema,
      bodyName: 'CreateWebhookEndpointRequest',
      responses: {
        201: { description: 'created', schema: webhookEndpointViewSchema, name: 'WebhookEndpoint' },
      },
      errors: ['CONFLICT'],
    },
    handle: async ({ app, principal, body }) => {
      const request = body();
      assertWebhookUrlAllowed(request.url, webhookUrlPolicy(app.config.webhooks), 'url');
      const endpoint = await createWebhookEndpoint(app, { tenantId: principal.tenantId, request });
      return jsonResponse(201, await endpointViewWithCircuit(app, endpoint));
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/v1/webhooks/endpoints',
    doc: {
      operationId: 'listWebhookEndpoints',
      summary: 'List webhook endpoints',
      description: 'The tenant’s endpoints, oldest first, with whether each is enabled.',
      tag: 'webhooks',
      scope: 'clusters:read',
      query: endpointListQuerySchema,
      body: NO_BODY,
      responses: {
        200: {
          description: 'one page',
          schema: webhookEndpointListSchema,
          name: 'WebhookEndpointList',
        },
      },
      errors: [],
    },
    handle: async ({ app, principal, query }) => {
      const afterId =
        query.cursor === undefined
          ? undefined
          : decodeCursor(await app.cursorKey(), CURSOR_KIND, query.cursor, WEBHOOK_ENDPOINT_ID);
      const page = await listWebhookEndpoints(app, {
        tenantId: principal.tenantId,
        ...(afterId ? { afterId } : {}),
        limit: query.limit ?? DEFAULT_LIMIT,
      });
      return jsonResponse(200, {
        items: await endpointViewsWithCircuits(app, page.items),
        nextCursor:
          page.nextAfterId === null
            ? null
            : encodeCursor(await app.cursorKey(), CURSOR_KIND, page.nextAfterId),
      });
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/v1/webhooks/endpoints/{id}',
    doc: {
      operationId: 'getWebhookEndpoint',
      summary: 'Get a webhook endpoint',
      description: 'One of the tenant’s endpoints, with whether it is enabled and why not.',
      tag: 'webhooks',
      scope: 'clusters:read',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        200: {
          description: 'the endpoint',
          schema: webhookEndpointViewSchema,
          name: 'WebhookEndpoint',
        },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, principal, params }) => {
      const endpoint = await getWebhookEndpoint(app, {
        tenantId: principal.tenantId,
        id: params.id ?? '',
      });
      return jsonResponse(200, await endpointViewWithCircuit(app, endpoint));
    },
  }),
  defineEndpoint({
    method: 'PATCH',
    path: '/v1/webhooks/endpoints/{id}',
    audit: { action: 'webhook_endpoint.update', subject: ownTarget('webhook-endpoint') },
    doc: {
      operationId: 'updateWebhookEndpoint',
      summary: 'Change a webhook endpoint',
      description:
        'A JSON merge patch: `url`, `eventTypes`, `description` (null removes it) and ' +
        '`enabled` (false stops sending to it, true resumes). Fields left out stay as they are.',
      tag: 'webhooks',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: updateWebhookEndpointRequestSchema,
      bodyName: 'UpdateWebhookEndpointRequest',
      bodyMediaTypes: ['application/merge-patch+json', 'application/json'],
      responses: {
        200: { description: 'changed', schema: webhookEndpointViewSchema, name: 'WebhookEndpoint' },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, principal, params, body }) => {
      const request = body();
      if (request.url !== undefined)
        assertWebhookUrlAllowed(request.url, webhookUrlPolicy(app.config.webhooks), 'url');
      const endpoint = await updateWebhookEndpoint(app, {
        tenantId: principal.tenantId,
        id: params.id ?? '',
        request,
      });
      return jsonResponse(200, await endpointViewWithCircuit(app, endpoint));
    },
  }),
  defineEndpoint({
    method: 'POST',
    path: '/v1/webhooks/endpoints/{id}:ping',
    audit: { action: 'webhook_endpoint.ping', subject: ownTarget('webhook-endpoint') },
    doc: {
      operationId: 'pingWebhookEndpoint',
      summary: 'Send a test event to a webhook endpoint',
      description:
        'Sends one signed `webhook.ping` event to the endpoint now (enabled or not) and answers ' +
        'with the outcome. Not queued, not retried, not in the delivery log.',
      tag: 'webhooks',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        200: { description: 'the attempt', schema: pingResultSchema, name: 'WebhookPingResult' },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, principal, params }) => {
      const result = await pingWebhookEndpoint(
        { store: app.store, clock: app.clock, sender: app.webhookSender },
        { tenantId: principal.tenantId, id: params.id ?? '' },
      );
      return jsonResponse(200, result);
    },
  }),
  defineEndpoint({
    method: 'DELETE',
    path: '/v1/webhooks/endpoints/{id}',
    audit: { action: 'webhook_endpoint.delete', subject: ownTarget('webhook-endpoint') },
    doc: {
      operationId: 'deleteWebhookEndpoint',
      summary: 'Delete a webhook endpoint',
      description:
        'No further event goes to it; deliveries still pending for it are abandoned. ' +
        'Answers with the endpoint as it was.',
      tag: 'webhooks',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        200: { description: 'deleted', schema: webhookEndpointViewSchema, name: 'WebhookEndpoint' },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, principal, params }) => {
      const endpoint = await deleteWebhookEndpoint(app, {
        tenantId: principal.tenantId,
        id: params.id ?? '',
      });
      return jsonResponse(200, await endpointViewWithCircuit(app, endpoint));
    },
  }),
  defineEndpoint({
    method: 'POST',
    path: '/v1/webhooks/endpoints/{id}:enable',
    audit: { action: 'webhook_endpoint.enable', subject: ownTarget('webhook-endpoint') },
    doc: {
      operationId: 'enableWebhookEndpoint',
      summary: 'Re-enable a webhook endpoint',
      description:
        'An endpoint is disabled when its receiver answers 410 Gone; this turns it back on for ' +
        'the events that follow. Enabling an enabled endpoint changes nothing.',
      tag: 'webhooks',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        200: { description: 'enabled', schema: webhookEndpointViewSchema, name: 'WebhookEndpoint' },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, principal, params }) => {
      const endpoint = await enableWebhookEndpoint(app, {
        tenantId: principal.tenantId,
        id: params.id ?? '',
      });
      return jsonResponse(200, await endpointViewWithCircuit(app, endpoint));
    },
  }),
  defineEndpoint({
    method: 'POST',
    path: '/v1/admin/tenants/{id}/webhook-secret:rotate',
    audit: { action: 'tenant.webhook_secret.rotate', subject: tenantInPath('tenant') },
    doc: {
      operationId: 'rotateWebhookSecret',
      summary: 'Rotate a tenant’s webhook secret',
      description:
        'A new whsec_ signing secret, shown in this response only. The previous one keeps ' +
        'signing for 24 hours: until then every delivery carries both signatures.',
      tag: 'admin',
      scope: 'admin',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        200: { description: 'rotated', schema: rotatedSecretSchema, name: 'RotatedWebhookSecret' },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, params, audit }) => {
      const tenant = await rotateWebhookSecret(app, {
        tenantId: params.id ?? '',
        audit: (subject) => audit.take(subject),
      });
      return jsonResponse(200, rotatedSecretView(tenant), { 'cache-control': 'no-store' });
    },
  }),
];

export { webhookEndpointRoutes };
