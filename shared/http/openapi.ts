import * as z from 'zod';
import { DomainError, type ErrorCode } from '../domain/errors.js';
import { DOCUMENTED_EVENT_TYPES, WEBHOOK_EVENT_DOCS } from '../webhooks/webhook-event-docs.js';
import type { EndpointDoc, RequestHeaderName, ResponseHeaderName } from './endpoint.js';
import { takesNoBody } from './endpoint.js';
import { problemSchema, statusFor, titleFor, typeFor } from './problem.js';

/**
 * The OpenAPI 3.1 document, generated from the very route table the router serves: every path and
 * method, its scope, parameters, body and responses come from the endpoints' declarations and
 * their zod schemas (`z.toJSONSchema`, JSON Schema 2020-12, which OpenAPI 3.1 uses as is).
 */
type JsonObject = Record<string, unknown>;

interface DocumentedRoute {
  method: string;
  path: string;
  doc: EndpointDoc;
}

interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

const SCHEMA_REF = '#/components/schemas/';
const PROBLEM = 'Problem';
const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Errors any endpoint can answer with, on top of the ones it declares. */
const COMMON_ERRORS: readonly ErrorCode[] = ['VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'INTERNAL'];
const AUTH_ERRORS: readonly ErrorCode[] = ['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED'];
const BODY_ERRORS: readonly ErrorCode[] = ['VALIDATION_FAILED', 'UNSUPPORTED_MEDIA_TYPE'];

type DocumentedHeader =
  | ResponseHeaderName
  | 'x-request-id'
  | 'Retry-After'
  | 'RateLimit-Policy'
  | 'RateLimit';

const RESPONSE_HEADERS: Record<DocumentedHeader, JsonObject> = {
  'x-request-id': {
    description: 'identifies the request in our logs; quote it when asking for help',
    schema: { type: 'string' },
  },
  Location: { description: 'where the created resource is', schema: { type: 'string' } },
  'Idempotent-Replayed': {
    description: '`true` when this is the stored response of an earlier request with the key',
    schema: { type: 'string', enum: ['true'] },
  },
  'Retry-After': {
    description: 'seconds to wait before trying again',
    schema: { type: 'integer', minimum: 1 },
  },
  'RateLimit-Policy': {
    description:
      "the API key's token bucket (draft-ietf-httpapi-ratelimit-headers): q tokens, refilled in w seconds",
    schema: { type: 'string' },
    example: '"per-key";q=40;w=4',
  },
  RateLimit: {
    description: 'r tokens left, the bucket full again in t seconds',
    schema: { type: 'string' },
    example: '"per-key";r=39;t=1',
  },
};

/** What every response of an authenticated operation carries (once the key is known). */
const rateLimitHeaders = (doc: EndpointDoc): string[] =>
  doc.scope === null ? [] : ['RateLimit-Policy', 'RateLimit'];

const REQUEST_HEADERS: Record<RequestHeaderName, JsonObject> = {
  'Idempotency-Key': {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'A structured-field string (`"…"`, ≤ 255 characters, e.g. a UUID) making the request ' +
      'safe to retry: the first response is stored for 24 hours and replayed for the same key ' +
      'and body; another body is 422, a retry while the first still runs is 409.',
    schema: { type: 'string', maxLength: 257 },
    example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"',
  },
};

/** The Standard Webhooks v1 headers every delivery carries (shared/webhooks/signature.ts). */
const WEBHOOK_HEADERS: Record<string, JsonObject> = {
  WebhookId: {
    name: 'webhook-id',
    in: 'header',
    required: true,
    description:
      'the event id (evt_…): the same on every retry, redelivery and target; dedupe on it',
    schema: { type: 'string' },
  },
  WebhookTimestamp: {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    description: 'Unix seconds of this attempt; refuse one too far from your clock',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  WebhookSignature: {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    description:
      'space-separated `v1,<base64>` HMAC-SHA256 signatures of `<id>.<timestamp>.<body>` with ' +
      "the tenant's `whsec_` secret (two during a secret rotation); verify with any Standard " +
      'Webhooks library',
    schema: { type: 'string' },
  },
};

/** A name fit for an operationId: `cluster.expiry_cancelled` → `clusterExpiryCancelled`. */
const camel = (type: string): string =>
  type.replace(/[._]([a-z])/g, (_match, letter: string) => letter.toUpperCase());

/**
 * OpenAPI 3.1's top-level `webhooks`: one entry per event type, the request we send (its
 * payload and the Standard Webhooks headers) and the answers we act on.
 */
const webhooksSection = (): Record<string, JsonObject> =>
  Object.fromEntries(
    DOCUMENTED_EVENT_TYPES.map((type) => {
      const doc = WEBHOOK_EVENT_DOCS[type];
      return [
        type,
        {
          post: {
            operationId: `${camel(type)}Webhook`,
            summary: doc.summary,
            tags: ['webhooks'],
            parameters: Object.keys(WEBHOOK_HEADERS).map((name) => ({
              $ref: `#/components/parameters/${name}`,
            })),
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { $ref: `${SCHEMA_REF}${doc.name}` } } },
            },
            responses: {
              '2XX': { description: 'received: the delivery is done' },
              '410': {
                description:
                  'gone: the delivery is abandoned and a subscribed endpoint disabled until enabled again',
              },
              default: {
                description: 'anything else is retried on the Standard Webhooks schedule',
              },
            },
            security: [],
          },
        },
      ];
    }),
  );

const headerRef = (name: string): JsonObject => ({ $ref: `#/components/headers/${name}` });

const headerRefs = (names: readonly string[]): Record<string, JsonObject> =>
  Object.fromEntries(names.map((name) => [name, headerRef(name)]));

/** Drops the keys that only make sense at a document root. */
const embeddable = (schema: JsonObject): JsonObject => {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
};

/** Registers named schemas and converts them in one pass, so shared ones become $refs. */
const componentsFor = (
  entries: readonly { name: string; schema: z.ZodType }[],
  io: 'input' | 'output',
): Record<string, JsonObject> => {
  const registry = z.registry<{ id: string }>();
  const byName = new Map<string, z.ZodType>();
  for (const { name, schema } of entries) {
    const known = byName.get(name);
    if (known === schema) continue;
    if (known !== undefined)
      throw new DomainError('INTERNAL', `two different schemas are named ${name}`);
    byName.set(name, schema);
    registry.add(schema, { id: name });
  }
  const { schemas } = z.toJSONSchema(registry, {
    io,
    uri: (id) => `${SCHEMA_REF}${id}`,
    unrepresentable: 'any',
  });
  const out: Record<string, JsonObject> = {};
  for (const [name, schema] of Object.entries(schemas)) out[name] = embeddable(schema);
  return out;
};

const pathParameters = (path: string): JsonObject[] =>
  [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));

const queryParameters = (doc: EndpointDoc): JsonObject[] =>
  Object.entries(doc.query.shape).map(([name, schema]) => {
    const { description, ...json } = embeddable(
      z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    );
    return {
      name,
      in: 'query',
      required: !z.safeParse(schema, undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema: json,
    };
  });

const errorResponses = (doc: EndpointDoc): Record<string, JsonObject> => {
  const codes = new Set<ErrorCode>([
    ...COMMON_ERRORS,
    ...(doc.scope === null ? [] : AUTH_ERRORS),
    ...(takesNoBody(doc.body) ? [] : BODY_ERRORS),
    ...doc.errors,
  ]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = statusFor(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, JsonObject> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const retry = list.some((code) => code === 'RATE_LIMITED' || code === 'IDEMPOTENCY_IN_FLIGHT');
    responses[String(status)] = {
      description: `${titleFor(status)}: ${list.map((code) => `\`${typeFor(code)}\` (${code})`).join(', ')}`,
      headers: {
        'x-request-id': headerRef('x-request-id'),
        ...(retry || status === 503 ? { 'Retry-After': headerRef('Retry-After') } : {}),
        ...(status === 401 ? {} : headerRefs(rateLimitHeaders(doc))),
      },
      content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: `${SCHEMA_REF}${PROBLEM}` } } },
      'x-problem-codes': list,
    };
  }
  return responses;
};

const successResponses = (doc: EndpointDoc): Record<string, JsonObject> => {
  const responses: Record<string, JsonObject> = {};
  for (const [status, response] of Object.entries(doc.responses)) {
    responses[status] = {
      description: response.description,
      headers: headerRefs(['x-request-id', ...rateLimitHeaders(doc), ...(response.headers ?? [])]),
      content: {
        [response.mediaType ?? 'application/json']: {
          schema: { $ref: `${SCHEMA_REF}${response.name}` },
        },
      },
    };
  }
  return responses;
};

const bodyNameOf = (doc: EndpointDoc): string => doc.bodyName ?? `${doc.operationId}Request`;

const operationFor = (doc: EndpointDoc, path: string): JsonObject => ({
  operationId: doc.operationId,
  summary: doc.summary,
  description:
    doc.scope === null ? doc.description : `${doc.description}\n\nScope: \`${doc.scope}\`.`,
  tags: [doc.tag],
  security: doc.scope === null ? [] : [{ bearerAuth: [doc.scope] }],
  ...(doc.scope === null ? {} : { 'x-required-scope': doc.scope }),
  parameters: [
    ...pathParameters(path),
    ...queryParameters(doc),
    ...(doc.requestHeaders ?? []).map((name) => ({ $ref: `#/components/parameters/${name}` })),
  ],
  ...(takesNoBody(doc.body)
    ? {}
    : {
        requestBody: {
          required: true,
          content: Object.fromEntries(
            (doc.bodyMediaTypes ?? ['application/json']).map((type) => [
              type,
              { schema: { $ref: `${SCHEMA_REF}${bodyNameOf(doc)}` } },
            ]),
          ),
        },
      }),
  responses: { ...successResponses(doc), ...errorResponses(doc) },
});

const buildOpenApiDocument = (
  routes: readonly DocumentedRoute[],
  info: OpenApiInfo,
): JsonObject => {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operationFor(route.doc, route.path);
    paths[route.path] = item;
  }
  const requests = routes
    .filter((route) => !takesNoBody(route.doc.body))
    .map((route) => ({ name: bodyNameOf(route.doc), schema: route.doc.body }));
  const responses = [
    { name: PROBLEM, schema: problemSchema },
    ...routes.flatMap((route) =>
      Object.values(route.doc.responses).map((response) => ({
        name: response.name,
        schema: response.schema,
      })),
    ),
  ];
  const events = DOCUMENTED_EVENT_TYPES.map((type) => WEBHOOK_EVENT_DOCS[type]);
  const inputs = componentsFor(requests, 'input');
  const outputs = componentsFor([...responses, ...events], 'output');
  for (const name of Object.keys(inputs)) {
    if (name in outputs)
      throw new DomainError('INTERNAL', `${name} names both a request and a response schema`);
  }
  return {
    openapi: '3.1.1',
    info,
    // Relative to where this document is served (OAS 3.1 §4.8.5): the API's own origin, whatever
    // host and stage a deployment has, so a generated client calls the server it read this from.
    servers: [{ url: '/', description: 'this deployment (the origin serving /openapi.json)' }],
    tags: [
      { name: 'clusters', description: 'ACK Serverless clusters: create, follow, change, delete' },
      {
        name: 'webhooks',
        description: 'webhook endpoints, the delivery log and redelivery (Standard Webhooks)',
      },
      { name: 'admin', description: 'tenants and API keys (scope `admin`)' },
      { name: 'service', description: 'health and this document' },
    ],
    security: [{ bearerAuth: [] }],
    paths,
    webhooks: webhooksSection(),
    components: {
      schemas: { ...inputs, ...outputs },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'askp_<id>_<secret>',
          description:
            'An API key: `Authorization: Bearer askp_<id>_<secret>`. Each key belongs to one ' +
            'tenant and has scopes (clusters:read, clusters:write, kubeconfig:read, admin).',
        },
      },
      parameters: { ...REQUEST_HEADERS, ...WEBHOOK_HEADERS },
      headers: RESPONSE_HEADERS,
    },
  };
};

export type { DocumentedRoute, OpenApiInfo };
export { buildOpenApiDocument };
