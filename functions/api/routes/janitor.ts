import * as z from 'zod';
import { tenantDefaultsViewSchema } from '../../../shared/access/tenant-reads.js';
import type { ApiApp } from '../../../shared/app/api-app.js';
import { tenantInPath } from '../../../shared/http/audit-trail.js';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.js';
import { type ApiRoute, defineEndpoint, NO_BODY } from '../../../shared/http/endpoint.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import { cursorParam, DEFAULT_LIMIT, limitParam, NO_QUERY } from '../../../shared/http/query.js';
import { janitorRunListSchema, janitorRunView } from '../../../shared/janitor/janitor-run-view.js';
import {
  JANITOR_RUN_ID_PATTERN,
  listJanitorRuns,
} from '../../../shared/janitor/list-janitor-runs.js';
import {
  setTenantDefaults,
  tenantDefaultsRequestSchema,
} from '../../../shared/janitor/tenant-defaults.js';

const CURSOR_KIND = 'janitor-runs';

const runsQuerySchema = z.object({ limit: limitParam, cursor: cursorParam }).strict();

/** The janitor's reports and the tenant defaults it applies (scope admin). */
const janitorRoutes: ApiRoute<ApiApp>[] = [
  defineEndpoint({
    method: 'GET',
    path: '/v1/admin/janitor/runs',
    doc: {
      operationId: 'listJanitorRuns',
      summary: "The janitor's run reports",
      description:
        'Newest first: examined, warned, deleted, cancelled, skipped with reasons, what it did, and ' +
        'the orphans it saw (clusters tagged ours that the store does not know; never touched).',
      tag: 'admin',
      scope: 'admin',
      query: runsQuerySchema,
      body: NO_BODY,
      responses: {
        200: { description: 'one page', schema: janitorRunListSchema, name: 'JanitorRunList' },
      },
      errors: [],
    },
    handle: async ({ app, query }) => {
      const beforeId =
        query.cursor === undefined
          ? undefined
          : decodeCursor(await app.cursorKey(), CURSOR_KIND, query.cursor, JANITOR_RUN_ID_PATTERN);
      const page = await listJanitorRuns(app, {
        ...(beforeId ? { beforeId } : {}),
        limit: query.limit ?? DEFAULT_LIMIT,
      });
      return jsonResponse(200, {
        items: page.items.map(janitorRunView),
        nextCursor:
          page.nextBeforeId === null
            ? null
            : encodeCursor(await app.cursorKey(), CURSOR_KIND, page.nextBeforeId),
      });
    },
  }),
  defineEndpoint({
    method: 'PUT',
    path: '/v1/admin/tenants/{id}/defaults',
    audit: { action: 'tenant.defaults.set', subject: tenantInPath('tenant') },
    doc: {
      operationId: 'setTenantDefaults',
      summary: "Set a tenant's default ttl and idleAfter",
      description:
        'Applied to a create request that names no expiry (defaultTtl) or no idle policy ' +
        '(defaultIdleAfter); null removes a default. Clusters already accepted keep theirs.',
      tag: 'admin',
      scope: 'admin',
      query: NO_QUERY,
      body: tenantDefaultsRequestSchema,
      bodyName: 'TenantDefaultsRequest',
      responses: {
        200: {
          description: 'the defaults now',
          schema: tenantDefaultsViewSchema,
          name: 'TenantDefaults',
        },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, params, body }) => {
      const tenantId = params.id ?? '';
      const defaults = await setTenantDefaults(app, { tenantId, request: body() });
      return jsonResponse(200, { tenantId, ...defaults });
    },
  }),
];

export { janitorRoutes };
