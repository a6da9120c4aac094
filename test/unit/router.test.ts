import { describe, expect, it } from 'vitest';
import { DomainError, MethodNotAllowedError } from '../../shared/domain/errors.js';
import type { HttpResponse } from '../../shared/http/fc-http-event.js';
import { HttpRequest, jsonResponse } from '../../shared/http/fc-http-event.js';
import type { Route } from '../../shared/http/router.js';
import { createRouter } from '../../shared/http/router.js';

interface Context {
  tenant: string;
}

const requestFor = (method: string, path: string): HttpRequest =>
  new HttpRequest(method, path, {}, {}, '', 'req-1', undefined);

/** Each handler answers with its own name, the params it got and the context it was given. */
const named =
  (name: string) =>
  async (
    _request: HttpRequest,
    params: Record<string, string>,
    context: Context,
  ): Promise<HttpResponse> =>
    jsonResponse(200, { name, params, tenant: context.tenant });

const ROUTES: Route<Context>[] = [
  { method: 'GET', path: '/healthz', handler: named('health') },
  { method: 'POST', path: '/v1/clusters', handler: named('create') },
  { method: 'GET', path: '/v1/clusters', handler: named('list') },
  { method: 'POST', path: '/v1/clusters:preflight', handler: named('preflight') },
  { method: 'GET', path: '/v1/clusters/{id}', handler: named('get') },
  { method: 'PATCH', path: '/v1/clusters/{id}', handler: named('patch') },
  { method: 'DELETE', path: '/v1/clusters/{id}', handler: named('delete') },
  { method: 'GET', path: '/v1/clusters/{id}/events', handler: named('events') },
  {
    method: 'POST',
    path: '/v1/webhooks/deliveries/{deliveryId}/redeliver',
    handler: named('redeliver'),
  },
  { method: 'GET', path: '/v1/tenants/{tenantId}/keys/{keyId}', handler: named('key') },
  { method: 'GET', path: '/openapi.json', handler: named('openapi') },
  { method: 'DELETE', path: '/v1/webhooks/endpoints/{id}', handler: named('delete-endpoint') },
  { method: 'POST', path: '/v1/webhooks/endpoints/{id}:enable', handler: named('enable') },
];

const route = createRouter(ROUTES);
const CONTEXT: Context = { tenant: 'ten_1' };

const call = async (method: string, path: string) => {
  const response = await route(requestFor(method, path), CONTEXT);
  return JSON.parse(response.body) as {
    name: string;
    params: Record<string, string>;
    tenant: string;
  };
};

/** The methods a METHOD_NOT_ALLOWED names for its Allow header, sorted. */
const allowedOf = (error: DomainError): string[] =>
  error instanceof MethodNotAllowedError ? [...error.allowedMethods].sort() : [];

const rejectionOf = async (method: string, path: string): Promise<DomainError> => {
  try {
    await route(requestFor(method, path), CONTEXT);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw new Error(`the router threw a non-DomainError: ${String(error)}`);
  }
  throw new Error(`the router routed ${method} ${path}`);
};

describe('createRouter: matching', () => {
  it('routes by method and path and passes the context through', async () => {
    expect(await call('GET', '/healthz')).toEqual({ name: 'health', params: {}, tenant: 'ten_1' });
    expect((await call('POST', '/v1/clusters')).name).toBe('create');
    expect((await call('GET', '/v1/clusters')).name).toBe('list');
  });

  it('captures {id} segments as params', async () => {
    expect(await call('GET', '/v1/clusters/prv_123')).toMatchObject({
      name: 'get',
      params: { id: 'prv_123' },
    });
    expect(await call('DELETE', '/v1/clusters/prv_123')).toMatchObject({
      name: 'delete',
      params: { id: 'prv_123' },
    });
    expect(await call('GET', '/v1/clusters/prv_123/events')).toMatchObject({
      name: 'events',
      params: { id: 'prv_123' },
    });
  });

  it('captures several params in one path', async () => {
    expect(await call('GET', '/v1/tenants/ten_9/keys/key_7')).toMatchObject({
      name: 'key',
      params: { tenantId: 'ten_9', keyId: 'key_7' },
    });
    expect((await call('POST', '/v1/webhooks/deliveries/dlv_1/redeliver')).params).toEqual({
      deliveryId: 'dlv_1',
    });
  });

  it('accepts a trailing slash', async () => {
    expect((await call('GET', '/v1/clusters/')).name).toBe('list');
    expect((await call('GET', '/v1/clusters/prv_1/')).params).toEqual({ id: 'prv_1' });
    expect((await call('GET', '/v1/clusters/prv_1/events/')).name).toBe('events');
  });

  it('percent-decodes params', async () => {
    expect((await call('GET', '/v1/clusters/a%20b')).params).toEqual({ id: 'a b' });
    expect((await call('GET', '/v1/clusters/%E9%9B%86%E7%BE%A4')).params).toEqual({ id: '集群' });
    expect((await call('GET', '/v1/clusters/a%2Fb')).params).toEqual({ id: 'a/b' });
  });

  it('routes the literal ":preflight" path, not the {id} route', async () => {
    expect((await call('POST', '/v1/clusters:preflight')).name).toBe('preflight');
  });

  it('gives a path to the most specific template: {id}:enable over {id}', async () => {
    expect(await call('POST', '/v1/webhooks/endpoints/whe_1:enable')).toMatchObject({
      name: 'enable',
      params: { id: 'whe_1' },
    });
    expect((await call('DELETE', '/v1/webhooks/endpoints/whe_1')).name).toBe('delete-endpoint');
    const wrong = await rejectionOf('DELETE', '/v1/webhooks/endpoints/whe_1:enable');
    expect(wrong.code).toBe('METHOD_NOT_ALLOWED');
    expect(wrong).toMatchObject({ allowedMethods: ['POST', 'OPTIONS'] });
  });

  it('treats "." in a route path literally', async () => {
    expect((await call('GET', '/openapi.json')).name).toBe('openapi');
    expect((await rejectionOf('GET', '/openapiXjson')).code).toBe('NOT_FOUND');
  });

  it('lets a param match a single segment only', async () => {
    expect((await rejectionOf('GET', '/v1/clusters/a/b')).code).toBe('NOT_FOUND');
  });
});

describe('createRouter: errors', () => {
  it.each([
    '/',
    '/v2/clusters',
    '/v1/clusterz',
    '/v1/clusters//',
    '/v1/clusters/prv_1/unknown',
    '/healthz/extra',
    'v1/clusters',
    '/V1/CLUSTERS',
  ])('answers NOT_FOUND for the unknown path %j', async (path) => {
    const error = await rejectionOf('GET', path);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain(path);
  });

  it('answers METHOD_NOT_ALLOWED with the allowed methods for a known path', async () => {
    const error = await rejectionOf('PUT', '/v1/clusters/prv_1');
    expect(error.code).toBe('METHOD_NOT_ALLOWED');
    expect(error.message).toContain('PUT');
    const allow = allowedOf(error);
    expect(allow).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH']);
  });

  it('serves HEAD wherever GET is served: the GET handler runs, the body is dropped', async () => {
    const response = await route(requestFor('HEAD', '/v1/clusters/prv_9'), CONTEXT);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.body).toBe('');
    expect((await rejectionOf('HEAD', '/v1/clusters:preflight')).code).toBe('METHOD_NOT_ALLOWED');
  });

  it('answers OPTIONS on a known path with 204 and the allowed methods, on an unknown one 404', async () => {
    const response = await route(requestFor('OPTIONS', '/v1/clusters'), CONTEXT);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(response.headers.allow?.split(', ').sort()).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
    expect((await rejectionOf('OPTIONS', '/v1/nothing')).code).toBe('NOT_FOUND');
  });

  it('lists each allowed method once', async () => {
    const error = await rejectionOf('DELETE', '/v1/clusters');
    expect(error.code).toBe('METHOD_NOT_ALLOWED');
    expect(allowedOf(error)).toEqual(['GET', 'HEAD', 'OPTIONS', 'POST']);
  });

  it('matches methods exactly (the event parser upper-cases them)', async () => {
    expect((await rejectionOf('get', '/healthz')).code).toBe('METHOD_NOT_ALLOWED');
  });

  it('answers a client error, not a crash, for a malformed percent escape in a param', async () => {
    const error = await rejectionOf('GET', '/v1/clusters/%E0%A4%A');
    expect(['NOT_FOUND', 'VALIDATION_FAILED']).toContain(error.code);
  });

  it('surfaces a handler’s own error unchanged', async () => {
    const failing = createRouter<Context>([
      {
        method: 'GET',
        path: '/boom',
        handler: async () => {
          throw new DomainError('CONFLICT', 'busy');
        },
      },
    ]);
    await expect(failing(requestFor('GET', '/boom'), CONTEXT)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});
