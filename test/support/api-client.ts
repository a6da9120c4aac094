import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { createApiHandler } from '../../functions/api/handler.js';
import type { ApiApp } from '../../shared/app/api-app.js';

/**
 * Two ways to call the API with the same request and reply shapes: over HTTP (the local stack)
 * and in-process through the FC3 HTTP event (fast, and lets a test inject the clock or a faulty
 * store). Both return the raw status, lower-cased headers and body text.
 */
interface ApiCall {
  method: string;
  path: string;
  /** `Authorization: Bearer <key>`; omitted when undefined. */
  key?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  /** A value is sent as JSON with content-type application/json; a string is sent as is. */
  json?: unknown;
  body?: string;
}

interface ApiReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type ApiCaller = (call: ApiCall) => Promise<ApiReply>;

const requestParts = (call: ApiCall): { headers: Record<string, string>; body: string } => {
  const headers: Record<string, string> = {};
  if (call.key !== undefined) headers.authorization = `Bearer ${call.key}`;
  if (call.json !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, call.headers);
  const body = call.json !== undefined ? JSON.stringify(call.json) : (call.body ?? '');
  return { headers, body };
};

const httpApi =
  (baseUrl: string): ApiCaller =>
  async (call) => {
    const { headers, body } = requestParts(call);
    const url = new URL(call.path, baseUrl);
    for (const [name, value] of Object.entries(call.query ?? {}))
      url.searchParams.append(name, value);
    const response = await fetch(url, {
      method: call.method,
      headers,
      ...(body === '' || call.method === 'GET' ? {} : { body }),
    });
    return {
      status: response.status,
      headers: Object.fromEntries([...response.headers.entries()]),
      body: await response.text(),
    };
  };

const replySchema = z.object({
  statusCode: z.number().int(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
  isBase64Encoded: z.boolean(),
});

/** The FC 3.0 HTTP event for a call, as Function Compute would hand it to the handler. */
const fcEvent = (call: ApiCall, extra: { base64?: boolean } = {}): Buffer => {
  const { headers, body } = requestParts(call);
  return Buffer.from(
    JSON.stringify({
      version: 'v1',
      rawPath: call.path,
      headers,
      queryParameters: call.query ?? {},
      body: extra.base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
      isBase64Encoded: extra.base64 ?? false,
      requestContext: {
        requestId: randomUUID(),
        http: { method: call.method, path: call.path, sourceIp: '127.0.0.1' },
      },
    }),
  );
};

const inProcessApi = (getApp: () => Promise<ApiApp>) => {
  const handler: (event: Buffer, context: object) => Promise<unknown> = createApiHandler(getApp);
  const send = async (event: Buffer): Promise<ApiReply> => {
    const reply = replySchema.parse(await handler(event, {}));
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(reply.headers)) headers[name.toLowerCase()] = value;
    const body = reply.isBase64Encoded
      ? Buffer.from(reply.body, 'base64').toString('utf8')
      : reply.body;
    return { status: reply.statusCode, headers, body };
  };
  const call: ApiCaller = (input) => send(fcEvent(input));
  return { call, send };
};

const problemShape = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  code: z.string(),
  field: z.string().optional(),
});

type ProblemBody = z.output<typeof problemShape>;

/** The reply's problem+json body; throws when it is not one. */
const problemOf = (reply: ApiReply): ProblemBody => problemShape.parse(JSON.parse(reply.body));

const jsonOf = <T extends z.ZodType>(reply: ApiReply, schema: T): z.output<T> =>
  schema.parse(JSON.parse(reply.body));

const clusterShape = z.looseObject({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  labels: z.record(z.string(), z.string()),
  deletionProtection: z.boolean(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** Creates a tenant and keys with the given scopes through the admin API. */
const provisionTenant = async (
  api: ApiCaller,
  adminKey: string,
  input: { name: string; keys: Record<string, readonly string[]> },
): Promise<{ id: string; webhookSecret: string; keys: Record<string, string> }> => {
  const created = await api({
    method: 'POST',
    path: '/v1/admin/tenants',
    key: adminKey,
    json: { name: input.name },
  });
  if (created.status !== 201) throw new Error(`tenant not created: ${created.body}`);
  const tenant = jsonOf(created, z.object({ id: z.string(), webhookSecret: z.string() }).loose());
  const keys: Record<string, string> = {};
  for (const [label, scopes] of Object.entries(input.keys)) {
    const reply = await api({
      method: 'POST',
      path: '/v1/admin/api-keys',
      key: adminKey,
      json: { tenantId: tenant.id, scopes },
    });
    if (reply.status !== 201) throw new Error(`key not created: ${reply.body}`);
    keys[label] = jsonOf(reply, z.object({ key: z.string() }).loose()).key;
  }
  return { id: tenant.id, webhookSecret: tenant.webhookSecret, keys };
};

export type { ApiCall, ApiCaller, ApiReply, ProblemBody };
export { clusterShape, fcEvent, httpApi, inProcessApi, jsonOf, problemOf, provisionTenant };
