import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { apiRoutes } from '../../functions/api/routes/index.js';
import { buildUi } from '../../scripts/build-ui.js';
import { type ApiApp, createApiApp } from '../../shared/app/api-app.js';
import { loadConfig } from '../../shared/config.js';
import { SCOPES } from '../../shared/http/api-key.js';
import { createLogger } from '../../shared/logger.js';
import { type ApiReply, inProcessApi, problemOf } from '../support/api-client.js';

/**
 * The OpenAPI document, checked structurally without a validator dependency: its version, that
 * it lists exactly the operations the router serves (from the route table, and by asking the
 * handler itself), that every $ref resolves and every operation is complete.
 */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const operationSchema = z.looseObject({
  operationId: z.string().min(1),
  summary: z.string().min(1),
  parameters: z.array(z.looseObject({})),
  responses: z.record(z.string(), z.looseObject({ description: z.string().min(1) })),
  security: z.array(z.record(z.string(), z.array(z.string()))),
  requestBody: z.looseObject({ content: z.record(z.string(), z.unknown()) }).optional(),
});

const documentSchema = z.looseObject({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  info: z.looseObject({ title: z.string().min(1), version: z.string().min(1) }),
  servers: z.array(z.looseObject({ url: z.string().min(1) })).min(1),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.looseObject({
    schemas: z.record(z.string(), z.looseObject({})),
    securitySchemes: z.looseObject({
      bearerAuth: z.looseObject({ type: z.literal('http'), scheme: z.literal('bearer') }),
    }),
  }),
});

type Document = z.output<typeof documentSchema>;

/** Every `$ref` anywhere in the value, with where it was found. */
const refsIn = (value: unknown, path = '#'): { ref: string; at: string }[] => {
  if (Array.isArray(value)) return value.flatMap((item, index) => refsIn(item, `${path}/${index}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === '$ref' && typeof item === 'string'
      ? [{ ref: item, at: path }]
      : refsIn(item, `${path}/${key}`),
  );
};

/** Follows a local JSON pointer (`#/components/schemas/Cluster`). */
const resolve = (root: unknown, ref: string): unknown => {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = Object.entries(node).find(([name]) => name === key)?.[1];
  }
  return node;
};

const operations = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({
        path,
        method: method.toUpperCase(),
        operation: operationSchema.parse(operation),
      })),
  );

/** A concrete path for a template: every `{param}` filled with something plausible. */
const concrete = (path: string): string =>
  path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === 'file' ? 'app.js' : 'prv_00000000000000000000000000',
  );

describe('the OpenAPI document', () => {
  let app: ApiApp;
  let api: ReturnType<typeof inProcessApi>;
  let document: Document;
  let raw: ApiReply;

  beforeAll(async () => {
    // The console's files, built as `npm run build` does, so its routes answer 200 too.
    const uiDir = await mkdtemp(join(tmpdir(), 'askp-ui-'));
    await buildUi(uiDir);
    app = await createApiApp(
      loadConfig({
        ASKP_UI_DIR: uiDir,
        DATABASE_URL: 'pglite://memory',
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'id',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret',
        ASKP_MNS_ENDPOINT: 'http://127.0.0.1:9',
        ASKP_MNS_ACCOUNT_ID: '1',
        // Every operation is called without a key: none of those 401s may turn into a 429.
        ASKP_AUTH_FAILURE_BURST: '1000000',
      }),
      { logger: createLogger({ level: 'error' }), schema: 'migrate' },
    );
    api = inProcessApi(async () => app);
    raw = await api.call({ method: 'GET', path: '/openapi.json' });
    document = documentSchema.parse(JSON.parse(raw.body));
  });

  afterAll(async () => {
    await app?.store.close();
  });

  it('is served without an API key, as JSON, with a request id', () => {
    expect(raw.status).toBe(200);
    expect(raw.headers['content-type']).toBe('application/json');
    expect(raw.headers['x-request-id']).toBeTruthy();
  });

  it('lists exactly the operations of the route table', () => {
    const documented = operations(document).map((op) => `${op.method} ${op.path}`);
    const routed = apiRoutes.map((route) => `${route.method} ${route.path}`);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual([...routed].sort());
  });

  it('lists exactly what the handler serves: each operation routes, other methods are 405', async () => {
    for (const { path, method, operation } of operations(document)) {
      const reply = await api.call({ method, path: concrete(path) });
      const secured = operation.security.length > 0;
      expect(reply.status, `${method} ${path}`).toBe(secured ? 401 : 200);
    }
    for (const [path, item] of Object.entries(document.paths)) {
      const documented = Object.keys(item)
        .filter((method) => METHODS.includes(method))
        .map((method) => method.toUpperCase());
      // HEAD comes with every GET and OPTIONS with every path (HTTP conventions, not operations).
      const methods = [
        ...documented,
        ...(documented.includes('GET') ? ['HEAD'] : []),
        'OPTIONS',
      ].sort();
      for (const probe of ['GET', 'PUT', 'POST', 'PATCH', 'DELETE']) {
        if (methods.includes(probe)) continue;
        const reply = await api.call({ method: probe, path: concrete(path) });
        expect(reply.status, `${probe} ${path}`).toBe(405);
        expect(problemOf(reply).code).toBe('METHOD_NOT_ALLOWED');
        expect((reply.headers.allow ?? '').split(', ').sort()).toEqual(methods);
      }
    }
  });

  it('resolves every $ref', () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(20);
    for (const { ref, at } of refs) {
      expect(resolve(document, ref), `${ref} at ${at}`).toBeDefined();
    }
  });

  it('describes every operation completely', () => {
    const ids = new Set<string>();
    for (const { path, method, operation } of operations(document)) {
      const where = `${method} ${path}`;
      expect(ids.has(operation.operationId), where).toBe(false);
      ids.add(operation.operationId);
      expect(Object.keys(operation.responses).length, where).toBeGreaterThan(1);
      expect(
        Object.keys(operation.responses).some((status) => /^2\d\d$/.test(status)),
        where,
      ).toBe(true);
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^[45]\d\d$/.test(status)) continue;
        // Readiness answers 503 with its report (which dependency is down), as probes expect.
        if (operation.operationId === 'getReadiness' && status === '503') continue;
        expect(JSON.stringify(response), `${where} ${status}`).toContain(
          'application/problem+json',
        );
      }
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = operation.parameters
        .filter((parameter) => parameter.in === 'path')
        .map((parameter) => parameter.name);
      expect(declared, where).toEqual(pathParams);
      for (const requirement of operation.security) {
        for (const scope of requirement.bearerAuth ?? []) {
          expect(SCOPES, where).toContain(scope);
        }
      }
      if (['POST', 'PATCH'].includes(method) && operation.requestBody) {
        expect(Object.keys(operation.requestBody.content), where).toContain(
          method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
        );
      }
    }
  });

  it('gives authenticated operations 401, 403 and 429 and the problem schema', () => {
    for (const { path, method, operation } of operations(document)) {
      if (operation.security.length === 0) continue;
      expect(Object.keys(operation.responses), `${method} ${path}`).toEqual(
        expect.arrayContaining(['401', '403', '429']),
      );
    }
    expect(document.components.schemas.Problem).toMatchObject({ type: 'object' });
  });
});
