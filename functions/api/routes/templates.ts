import * as z from 'zod';
import type { ApiApp } from '../../../shared/app/api-app.js';
import {
  TEMPLATE_NAME_PATTERN,
  type TemplateFields,
  templateNameSchema,
  templateRequestSchema,
  templateUpdateSchema,
} from '../../../shared/domain/cluster-template.js';
import type { AuditSubjectInput } from '../../../shared/http/audit-trail.js';
import { decodeCursor, encodeCursor } from '../../../shared/http/cursor.js';
import { type ApiRoute, defineEndpoint, NO_BODY } from '../../../shared/http/endpoint.js';
import { type HttpRequest, jsonResponse } from '../../../shared/http/fc-http-event.js';
import { parseBodyValue, readJsonBody } from '../../../shared/http/json-body.js';
import { cursorParam, DEFAULT_LIMIT, limitParam, NO_QUERY } from '../../../shared/http/query.js';
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  putTemplate,
} from '../../../shared/templates/manage-templates.js';
import {
  templateListSchema,
  templateView,
  templateViewSchema,
} from '../../../shared/templates/template-views.js';

const CURSOR_KIND = 'templates';

/** A name in the path is checked like one in a body, and named `name` in the error. */
const parseTemplateName = (name: string): string =>
  parseBodyValue({ name }, z.object({ name: templateNameSchema })).name;

const templateListQuerySchema = z.object({ limit: limitParam, cursor: cursorParam }).strict();

/**
 * A template keeps the fields exactly as sent (checked by the create rules, field by field), not
 * the schema's output: the defaults are the create's to apply, so a template that leaves
 * `serviceCidr` out keeps following the service's default.
 */
/** The body's `spec` as sent, once the schema has checked that it is an object of create fields. */
const specAsGiven = (raw: unknown): TemplateFields => (raw as { spec: TemplateFields }).spec;

const readCreateBody = (request: HttpRequest): { name: string; spec: TemplateFields } => {
  const raw = readJsonBody(request);
  const { name } = parseBodyValue(raw, templateRequestSchema);
  return { name, spec: specAsGiven(raw) };
};

const readPutBody = (request: HttpRequest): TemplateFields => {
  const raw = readJsonBody(request);
  parseBodyValue(raw, templateUpdateSchema);
  return specAsGiven(raw);
};

/** The audit target: the template named in the path, or by the response of a create. */
const templateTarget = ({ params, principal, response }: AuditSubjectInput) => ({
  tenantId: principal.tenantId,
  target: `template:${params.name ?? (response as { name?: string } | undefined)?.name ?? 'unknown'}`,
});

/** A tenant's cluster templates: named create fields a create can start from. */
const templateRoutes: ApiRoute<ApiApp>[] = [
  defineEndpoint({
    method: 'POST',
    path: '/v1/templates',
    doc: {
      operationId: 'createTemplate',
      summary: 'Save a cluster template',
      description:
        'A named set of create fields (any but the cluster name; `ttl` rather than `expiresAt`), ' +
        'each checked by its create rule. `POST /v1/clusters` with `"template": "<name>"` starts ' +
        'from it. 409 when the tenant has a template of that name (PUT replaces one).',
      tag: 'clusters',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: templateRequestSchema,
      bodyName: 'CreateTemplateRequest',
      responses: { 201: { description: 'saved', schema: templateViewSchema, name: 'Template' } },
      errors: ['CONFLICT'],
    },
    audit: { action: 'template.create', subject: templateTarget },
    handle: async ({ app, principal, request }) => {
      const { name, spec } = readCreateBody(request);
      const template = await createTemplate(app, { tenantId: principal.tenantId, name, spec });
      return jsonResponse(201, templateView(template), {
        location: `/v1/templates/${template.name}`,
      });
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/v1/templates',
    doc: {
      operationId: 'listTemplates',
      summary: 'List cluster templates',
      description: 'The tenant’s templates in name order, paged.',
      tag: 'clusters',
      scope: 'clusters:read',
      query: templateListQuerySchema,
      body: NO_BODY,
      responses: {
        200: { description: 'one page', schema: templateListSchema, name: 'TemplateList' },
      },
      errors: [],
    },
    handle: async ({ app, principal, query }) => {
      const afterName =
        query.cursor === undefined
          ? undefined
          : decodeCursor(await app.cursorKey(), CURSOR_KIND, query.cursor, TEMPLATE_NAME_PATTERN);
      const page = await listTemplates(app, {
        tenantId: principal.tenantId,
        ...(afterName ? { afterName } : {}),
        limit: query.limit ?? DEFAULT_LIMIT,
      });
      return jsonResponse(200, {
        items: page.items.map(templateView),
        nextCursor:
          page.nextAfterName === null
            ? null
            : encodeCursor(await app.cursorKey(), CURSOR_KIND, page.nextAfterName),
      });
    },
  }),
  defineEndpoint({
    method: 'GET',
    path: '/v1/templates/{name}',
    doc: {
      operationId: 'getTemplate',
      summary: 'Get a cluster template',
      description: 'One of the tenant’s templates, with its version.',
      tag: 'clusters',
      scope: 'clusters:read',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        200: { description: 'the template', schema: templateViewSchema, name: 'Template' },
      },
      errors: ['NOT_FOUND'],
    },
    handle: async ({ app, principal, params }) =>
      jsonResponse(
        200,
        templateView(
          await getTemplate(app, { tenantId: principal.tenantId, name: params.name ?? '' }),
        ),
      ),
  }),
  defineEndpoint({
    method: 'PUT',
    path: '/v1/templates/{name}',
    doc: {
      operationId: 'putTemplate',
      summary: 'Replace (or make) a cluster template',
      description:
        'Replaces the template’s fields with `spec` and adds one to its version (201 when it is ' +
        'new). Clusters made from it earlier keep their spec, which names the version used.',
      tag: 'clusters',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: templateUpdateSchema,
      bodyName: 'PutTemplateRequest',
      responses: {
        200: { description: 'replaced', schema: templateViewSchema, name: 'Template' },
        201: { description: 'made', schema: templateViewSchema, name: 'Template' },
      },
      errors: ['VALIDATION_FAILED'],
    },
    audit: { action: 'template.replace', subject: templateTarget },
    handle: async ({ app, principal, params, request }) => {
      const name = parseTemplateName(params.name ?? '');
      const spec = readPutBody(request);
      const { template, created } = await putTemplate(app, {
        tenantId: principal.tenantId,
        name,
        spec,
      });
      return jsonResponse(created ? 201 : 200, templateView(template));
    },
  }),
  defineEndpoint({
    method: 'DELETE',
    path: '/v1/templates/{name}',
    doc: {
      operationId: 'deleteTemplate',
      summary: 'Delete a cluster template',
      description:
        'Answers with the template as it was. Clusters made from it are not touched; their spec ' +
        'still names it.',
      tag: 'clusters',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: NO_BODY,
      responses: { 200: { description: 'deleted', schema: templateViewSchema, name: 'Template' } },
      errors: ['NOT_FOUND'],
    },
    audit: { action: 'template.delete', subject: templateTarget },
    handle: async ({ app, principal, params }) =>
      jsonResponse(
        200,
        templateView(
          await deleteTemplate(app, { tenantId: principal.tenantId, name: params.name ?? '' }),
        ),
      ),
  }),
];

export { templateRoutes };
