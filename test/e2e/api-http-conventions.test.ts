import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { Store } from '../../shared/store/store.port.js';
import { type ApiCaller, problemOf } from '../support/api-client.js';
import { type ApiStack, startApiStack } from '../support/api-stack.js';

/**
 * HTTP conventions a generic client relies on, over the local HTTP trigger: the 401 challenge,
 * HEAD beside every GET, CORS for the configured origins with preflight, readiness beside
 * liveness, and JSON bodies whose meaning is not left to the parser (no duplicate keys).
 */
const ORIGIN = 'https://console.example.com';

const documentSchema = z.looseObject({
  paths: z.record(
    z.string(),
    z.record(z.string(), z.looseObject({ security: z.array(z.unknown()).optional() })),
  ),
});

const concrete = (path: string): string =>
  path.replace(/\{\w+\}/g, 'prv_00000000000000000000000000');

describe('HTTP conventions', () => {
  let env: ApiStack;
  let api: ApiCaller;
  let operations: { method: string; path: string; secured: boolean }[];

  beforeAll(async () => {
    env = await startApiStack({
      ASKP_CORS_ORIGINS: `${ORIGIN},http://localhost:5173`,
      ASKP_RATE_LIMIT_PER_SECOND: '10000',
      ASKP_RATE_LIMIT_BURST: '10000',
      ASKP_MAX_BODY_BYTES: '2048',
    });
    api = env.api;
    const document = documentSchema.parse(
      JSON.parse((await api({ method: 'GET', path: '/openapi.json' })).body),
    );
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        secured: (operation.security ?? []).length > 0,
      })),
    );
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('challenges every 401 with WWW-Authenticate: Bearer, on every secured operation', async () => {
    const secured = operations.filter((operation) => operation.secured);
    expect(secured.length).toBeGreaterThan(20);
    for (const { method, path } of secured) {
      for (const key of [undefined, 'askp_0000000000000000_wrong']) {
        const reply = await api({ method, path: concrete(path), ...(key ? { key } : {}) });
        expect(reply.status, `${method} ${path}`).toBe(401);
        expect(reply.headers['www-authenticate'], `${method} ${path}`).toMatch(/^Bearer\b/);
      }
    }
    const allowed = await api({ method: 'GET', path: '/v1/clusters', key: env.adminKey });
    expect(allowed.headers['www-authenticate']).toBeUndefined();
  });

  it('serves HEAD wherever GET is served: the same status and headers, no body', async () => {
    const gets = operations.filter((operation) => operation.method === 'GET');
    expect(gets.length).toBeGreaterThan(10);
    for (const { path, secured } of gets) {
      const call = { path: concrete(path), ...(secured ? { key: env.adminKey } : {}) };
      const get = await api({ method: 'GET', ...call });
      const head = await api({ method: 'HEAD', ...call });
      expect(head.status, `HEAD ${path}`).toBe(get.status);
      expect(head.headers['content-type'], `HEAD ${path}`).toBe(get.headers['content-type']);
      expect(head.body, `HEAD ${path}`).toBe('');
    }
    const noGet = await api({ method: 'HEAD', path: '/v1/clusters:preflight', key: env.adminKey });
    expect(noGet.status).toBe(405);
    expect(noGet.headers.allow).toBe('POST, OPTIONS');
  });

  it('answers CORS for a configured origin only, and a preflight with methods and headers', async () => {
    const allowed = await api({
      method: 'GET',
      path: '/v1/clusters',
      key: env.adminKey,
      headers: { origin: ORIGIN },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(allowed.headers.vary).toContain('Origin');
    expect(allowed.headers['access-control-expose-headers']).toContain('x-request-id');
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();

    const refused = await api({ method: 'GET', path: '/v1/clusters', headers: { origin: ORIGIN } });
    expect(refused.status).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(ORIGIN);

    const stranger = await api({
      method: 'GET',
      path: '/v1/clusters',
      key: env.adminKey,
      headers: { origin: 'https://evil.example.com' },
    });
    expect(stranger.status).toBe(200);
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();

    const preflight = await api({
      method: 'OPTIONS',
      path: '/v1/clusters/prv_1',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.body).toBe('');
    expect(preflight.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(preflight.headers['access-control-allow-methods']?.split(', ').sort()).toEqual([
      'DELETE',
      'GET',
      'HEAD',
      'OPTIONS',
      'PATCH',
    ]);
    expect(preflight.headers['access-control-allow-headers']).toContain('idempotency-key');
    expect(Number(preflight.headers['access-control-max-age'])).toBeGreaterThan(0);

    const unknownPath = await api({
      method: 'OPTIONS',
      path: '/v1/nothing',
      headers: { origin: ORIGIN, 'access-control-request-method': 'GET' },
    });
    expect(unknownPath.status).toBe(404);
  });

  it('sends no CORS headers when no origin is configured (the default)', async () => {
    const call = env.inProcess({ env: { ASKP_CORS_ORIGINS: '' } });
    const reply = await call({
      method: 'OPTIONS',
      path: '/v1/clusters',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(reply.status).toBe(204);
    expect(Object.keys(reply.headers).filter((name) => name.startsWith('access-control-'))).toEqual(
      [],
    );
  });

  it('answers /readyz 200 when the database answers, 503 naming the dependency that does not', async () => {
    const ready = await api({ method: 'GET', path: '/readyz' });
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({
      status: 'ready',
      checks: { config: 'up', database: 'up' },
      down: [],
    });
    expect((await api({ method: 'HEAD', path: '/readyz' })).status).toBe(200);

    const broken: Store = {
      ...env.stack.store,
      ping: async () => {
        throw new Error('connection refused');
      },
    };
    const down = await env.inProcess({ store: broken })({ method: 'GET', path: '/readyz' });
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toEqual({
      status: 'unavailable',
      checks: { config: 'up', database: 'down' },
      down: ['database'],
    });
    expect(down.body).not.toContain('refused');

    const misconfigured = await env.inProcess({ env: { ASKP_MAX_BODY_BYTES: 'lots' } })({
      method: 'GET',
      path: '/readyz',
    });
    expect(misconfigured.status).toBe(503);
    expect(JSON.parse(misconfigured.body)).toMatchObject({ down: ['config'] });
    // Liveness stays 200 as long as the function runs.
    expect((await api({ method: 'GET', path: '/healthz' })).status).toBe(200);
  });

  it('refuses a body with a key given twice, naming the field', async () => {
    const top = await api({
      method: 'POST',
      path: '/v1/clusters',
      key: env.adminKey,
      headers: { 'content-type': 'application/json' },
      body: '{"name": "a", "region": "cn-hangzhou", "name": "b"}',
    });
    expect(top.status).toBe(400);
    expect(problemOf(top)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'name' });

    const nested = await api({
      method: 'POST',
      path: '/v1/clusters',
      key: env.adminKey,
      headers: { 'content-type': 'application/json' },
      body: '{"name":"a","region":"cn-hangzhou","addons":[{"name":"x"},{"name":"y","config":{"k":1,"k":2}}]}',
    });
    expect(problemOf(nested).field).toBe('addons.1.config.k');

    const escaped = await api({
      method: 'POST',
      path: '/v1/clusters',
      key: env.adminKey,
      headers: { 'content-type': 'application/json' },
      body: '{"name":"a","region":"cn-hangzhou","labels":{"t\\"x":"1","t\\u0022x":"2"}}',
    });
    expect(problemOf(escaped).field).toBe('labels.t"x');

    // The same key in two different objects is not a duplicate.
    const fine = await api({
      method: 'POST',
      path: '/v1/clusters:preflight',
      key: env.adminKey,
      headers: { 'content-type': 'application/json' },
      body: '{"name":"a","region":"cn-hangzhou","labels":{"name":"x"},"addons":[{"name":"coredns"},{"name":"metrics-server"}]}',
    });
    expect(fine.status, fine.body).toBe(200);
  });

  it('names body for JSON nested too deep, and for a body over the size limit', async () => {
    const deep = await api({
      method: 'POST',
      path: '/v1/clusters',
      key: env.adminKey,
      headers: { 'content-type': 'application/json' },
      body: `{"name":"a","region":"cn-hangzhou","labels":${'['.repeat(100)}${']'.repeat(100)}}`,
    });
    expect(deep.status).toBe(400);
    expect(problemOf(deep).field).toBe('body');

    const large = await api({
      method: 'POST',
      path: '/v1/clusters',
      key: env.adminKey,
      json: { name: 'a', region: 'cn-hangzhou', labels: { big: 'x'.repeat(4096) } },
    });
    expect(large.status).toBe(413);
    expect(problemOf(large)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: 'body' });
  });
});
