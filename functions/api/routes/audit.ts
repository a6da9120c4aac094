import * as z from 'zod';
import { TENANT_ID_PATTERN } from '../../../shared/access/access-requests.js';
import {
  AUDIT_ID_PATTERN,
  auditListSchema,
  auditRecordView,
  listAudit,
} from '../../../shared/access/audit-reads.js';
import type { ApiApp } from '../../../shared/app/api-app.js';
import { AUDIT_ACTIONS } from '../../../shared/domain/audit.js';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.js';
import { type ApiRoute, defineEndpoint, NO_BODY } from '../../../shared/http/endpoint.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import { cursorParam, DEFAULT_LIMIT, limitParam } from '../../../shared/http/query.js';

const CURSOR_KIND = 'audit';

const auditQuerySchema = z
  .object({
    tenantId: z
      .string()
      .regex(TENANT_ID_PATTERN, 'tenantId is a tenant id such as tnt_…')
      .optional()
      .describe('only what concerned this tenant'),
    action: z.enum(AUDIT_ACTIONS).optional().describe('only this action'),
    limit: limitParam,
    cursor: cursorParam,
  })
  .strict();

const auditRoutes: ApiRoute<ApiApp>[] = [
  defineEndpoint({
    method: 'GET',
    path: '/v1/admin/audit',
    doc: {
      operationId: 'listAudit',
      summary: 'The audit log',
      description:
        'Every mutation the API accepted, newest first: the key that made it and its tenant, the ' +
        'tenant it concerned, the action, its target, the source address and the request id. ' +
        'Never a request body or a secret.',
      tag: 'admin',
      scope: 'admin',
      query: auditQuerySchema,
      body: NO_BODY,
      responses: { 200: { description: 'one page', schema: auditListSchema, name: 'AuditList' } },
      errors: [],
    },
    handle: async ({ app, query }) => {
      const key = await app.cursorKey();
      const beforeId =
        query.cursor === undefined
          ? undefined
          : decodeCursor(key, CURSOR_KIND, query.cursor, AUDIT_ID_PATTERN);
      const page = await listAudit(app, {
        ...(query.tenantId === undefined ? {} : { tenantId: query.tenantId }),
        ...(query.action === undefined ? {} : { action: query.action }),
        ...(beforeId === undefined ? {} : { beforeId }),
        limit: query.limit ?? DEFAULT_LIMIT,
      });
      return jsonResponse(200, {
        items: page.items.map(auditRecordView),
        nextCursor:
          page.nextBeforeId === null ? null : encodeCursor(key, CURSOR_KIND, page.nextBeforeId),
      });
    },
  }),
];

export { auditRoutes };
