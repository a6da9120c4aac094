import * as z from 'zod';
import {
  createApiKeyRequestSchema,
  createTenantRequestSchema,
  TENANT_ID_PATTERN,
} from '../../../shared/access/access-requests.js';
import {
  apiKeyListSchema,
  apiKeyView,
  apiKeyViewSchema,
  createdApiKeySchema,
  createdApiKeyView,
  createdTenantSchema,
  createdTenantView,
} from '../../../shared/access/access-views.js';
import { createTenant } from '../../../shared/access/create-tenant.js';
import { issueApiKey } from '../../../shared/access/issue-api-key.js';
import {
  API_KEY_ID_PATTERN,
  listApiKeys,
  revokeApiKey,
} from '../../../shared/access/manage-api-keys.js';
import {
  getTenant,
  listTenants,
  tenantDefaultsViewSchema,
  tenantListSchema,
  tenantSummary,
  tenantView,
  tenantViewSchema,
} from '../../../shared/access/tenant-reads.js';
import type { ApiApp } from '../../../shared/app/api-app.js';
import { tenantInResponse } from '../../../shared/http/audit-trail.js';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.js';
import { type ApiRoute, defineEndpoint, NO_BODY } from '../../../shared/http/endpoint.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import { cursorParam, DEFAULT_LIMIT, limitParam, NO_QUERY } from '../../../shared/http/query.js';

const CURSOR_KIND = 'api-keys';

const apiKeyListQuerySchema = z
  .object({
    tenantId: z
      .string()
      .regex(TENANT_ID_PATTERN, 'tenantId is a tenant id such as tnt_…')
      .optional()
      .describe("only this tenant's keys"),
    limit: limitParam,
    cursor: cursorParam,
  })
  .strict();

const TENANT_CURSOR_KIND = 'tenants';

const tenantListQuerySchema = z.object({ limit: limitParam, cursor: cursorParam }).strict();

const adminRoutes: ApiRoute<ApiApp>[] = [
  defineEndpoint({
    method: 'GET',
    path: '/v1/admin/tenants',
    doc: {
      operationId: 'listTenants',
      summary: 'List tenants',
      description: 'Every tenant, oldest first, a page at a time; never a webhook secret.',
      tag: 'admin',
      scope: 'admin',
      query: tenantListQuerySchema,
      body: NO_BODY,
      responses: { 200: { description: 'one page', schema: tenantListSchema, name: 'TenantList' } },
      errors: [],
    },
    handle: async ({ app, query }) => {
      const key = await app.cursorKey();
      const afterId =
        query.cursor === undefined
          ? undefined
          : decodeCursor(key, TENANT_CURSOR_KIND, query.cursor, TENANT_ID_PATTERN);
      const page = await listTenants(app, {
        ...(afterId ? { afterId } : {}),
        limit: query.limit ?? DEFAULT_LIMIT,
      });
      return jsonResponse(200, {
        items: page.items.map(tenantSummary),
        nextCursor:
          page.nextAfterId === null
            ? null
            : encodeCursor(key, TENANT_CURSOR_KIND, page.nextAfterId),
      });
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/v1/admin/tenants/{id}',
    doc: {
      operationId: 'getTenant',
      summary: 'Get a tenant',
      description: 'The tenant with its janitor defaults; never its webhook secret.',
      tag: 'admin',
      scope: 'admin',
      query: NO_QUERY,
      body: NO_BODY,
      responses: { 200: { description: 'the tenant', schema: tenantViewSchema, name: 'Tenant' } },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, params }) => {
      const found = await getTenant(app, { id: params.id ?? '' });
      return jsonResponse(200, tenantView(found.tenant, found.defaults));
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/v1/admin/tenants/{id}/defaults',
    doc: {
      operationId: 'getTenantDefaults',
      summary: "A tenant's default ttl and idleAfter",
      description: 'What PUT sets: the defaults a create request without its own policy gets.',
      tag: 'admin',
      scope: 'admin',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        200: {
          description: 'the defaults',
          schema: tenantDefaultsViewSchema,
          name: 'TenantDefaults',
        },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, params }) => {
      const found = await getTenant(app, { id: params.id ?? '' });
      return jsonResponse(200, { tenantId: found.tenant.id, ...found.defaults });
    },
  }),
  defineEndpoint({
    method: 'POST',
    path: '/v1/admin/tenants',
    audit: { action: 'tenant.create', subject: tenantInResponse('tenant', 'id') },
    doc: {
      operationId: 'createTenant',
      summary: 'Create a tenant',
      description:
        'A new tenant and its webhook signing secret (whsec_…), which this response shows once. ' +
        'Give it keys with POST /v1/admin/api-keys. Names are unique, ignoring case: a second ' +
        'tenant named like one that exists is a 409 naming `name`.',
      tag: 'admin',
      scope: 'admin',
      query: NO_QUERY,
      body: createTenantRequestSchema,
      bodyName: 'CreateTenantRequest',
      responses: {
        201: { description: 'created', schema: createdTenantSchema, name: 'CreatedTenant' },
      },
      errors: ['CONFLICT'],
    },
    handle: async ({ app, body, audit }) => {
      const tenant = await createTenant(app, body(), { audit: (subject) => audit.take(subject) });
      return jsonResponse(201, createdTenantView(tenant));
    },
  }),
  defineEndpoint({
    method: 'POST',
    path: '/v1/admin/api-keys',
    audit: { action: 'api_key.create', subject: tenantInResponse('api-key', 'tenantId') },
    doc: {
      operationId: 'createApiKey',
      summary: 'Create an API key',
      description:
        'A key for a tenant with the given scopes and an optional expiry. The whole key is in ' +
        'this response only; we keep its id and the SHA-256 of its secret.',
      tag: 'admin',
      scope: 'admin',
      query: NO_QUERY,
      body: createApiKeyRequestSchema,
      bodyName: 'CreateApiKeyRequest',
      responses: {
        201: { description: 'created', schema: createdApiKeySchema, name: 'CreatedApiKey' },
      },
      errors: [],
    },
    handle: async ({ app, body, audit }) => {
      const issued = await issueApiKey(app, body(), { audit: (subject) => audit.take(subject) });
      return jsonResponse(201, createdApiKeyView(issued.record, issued.key));
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/v1/admin/api-keys',
    doc: {
      operationId: 'listApiKeys',
      summary: 'List API keys',
      description: 'Every key (or one tenant’s), in id order; never secrets nor their hashes.',
      tag: 'admin',
      scope: 'admin',
      query: apiKeyListQuerySchema,
      body: NO_BODY,
      responses: { 200: { description: 'one page', schema: apiKeyListSchema, name: 'ApiKeyList' } },
      errors: [],
    },
    handle: async ({ app, query }) => {
      const afterId =
        query.cursor === undefined
          ? undefined
          : decodeCursor(await app.cursorKey(), CURSOR_KIND, query.cursor, API_KEY_ID_PATTERN);
      const page = await listApiKeys(app, {
        ...(query.tenantId ? { tenantId: query.tenantId } : {}),
        ...(afterId ? { afterId } : {}),
        limit: query.limit ?? DEFAULT_LIMIT,
      });
      return jsonResponse(200, {
        items: page.items.map(apiKeyView),
        nextCursor:
          page.nextAfterId === null
            ? null
            : encodeCursor(await app.cursorKey(), CURSOR_KIND, page.nextAfterId),
      });
    },
  }),
  defineEndpoint({
    method: 'POST',
    path: '/v1/admin/api-keys/{id}:revoke',
    audit: { action: 'api_key.revoke', subject: tenantInResponse('api-key', 'tenantId') },
    doc: {
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key',
      description:
        'The key stops working (401): at once on the instance that revoked it, within ' +
        '`ASKP_API_KEY_CACHE_SECONDS` (5 s by default) everywhere. Revoking a revoked key changes nothing and ' +
        'answers the same.',
      tag: 'admin',
      scope: 'admin',
      query: NO_QUERY,
      body: NO_BODY,
      responses: { 200: { description: 'revoked', schema: apiKeyViewSchema, name: 'ApiKey' } },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, params, audit }) => {
      const record = await revokeApiKey(app, {
        id: params.id ?? '',
        audit: (subject) => audit.take(subject),
      });
      // This instance stops trusting it at once; the others within ASKP_API_KEY_CACHE_SECONDS.
      app.apiKeyCache.forget(record.id);
      return jsonResponse(200, apiKeyView(record));
    },
  }),
];

export { adminRoutes };
