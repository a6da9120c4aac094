import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../../functions/api/routes/index.js';
import { API_ROUTE_MODULES } from '../../functions/api/routes/route-table.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { HttpResponse } from '../../shared/http/fc-http-event.js';
import { HttpRequest, jsonResponse } from '../../shared/http/fc-http-event.js';
import { lazyRoutes, nameOf, type RouteModule } from '../../shared/http/lazy-routes.js';
import { createRouter, type Route } from '../../shared/http/router.js';

const requestFor = (method: string, path: string): HttpRequest =>
  new HttpRequest(method, path, {}, {}, '', 'req-1', undefined);

const answering =
  (name: string) =>
  async (_request: HttpRequest, params: Record<string, string>): Promise<HttpResponse> =>
    jsonResponse(200, { name, params });

/** Two modules of routes whose loads are counted; the second fails as often as told. */
const countedModules = (failures = 0) => {
  const loads = { clusters: 0, webhooks: 0 };
  let toFail = failures;
  const modules: RouteModule<undefined>[] = [
    {
      routes: ['GET /v1/clusters', 'GET /v1/clusters/{id}'],
      load: async (): Promise<Route<undefined>[]> => {
        loads.clusters += 1;
        return [
          { method: 'GET', path: '/v1/clusters', handler: answering('list') },
          { method: 'GET', path: '/v1/clusters/{id}', handler: answering('get') },
        ];
      },
    },
    {
      routes: ['POST /v1/webhooks/endpoints', 'GET /v1/webhooks/deliveries'],
      load: async (): Promise<Route<undefined>[]> => {
        loads.webhooks += 1;
        if (toFail > 0) {
          toFail -= 1;
          throw new Error('chunk failed to load');
        }
        // The second name is missing from its module: the table and the module disagree.
        return [{ method: 'POST', path: '/v1/webhooks/endpoints', handler: answering('create') }];
      },
    },
  ];
  return { loads, modules };
};

const bodyOf = (response: HttpResponse): unknown => JSON.parse(response.body);

describe('lazy routes: a module loads on the first request to one of its routes', () => {
  it('matches without loading any module, loads only the matched one, and only once', async () => {
    const { loads, modules } = countedModules();
    const route = createRouter(lazyRoutes(modules));
    expect(loads).toEqual({ clusters: 0, webhooks: 0 });
    const first = await route(requestFor('GET', '/v1/clusters/c-1'), undefined);
    expect(bodyOf(first)).toEqual({ name: 'get', params: { id: 'c-1' } });
    await route(requestFor('GET', '/v1/clusters'), undefined);
    await route(requestFor('GET', '/v1/clusters/c-2'), undefined);
    expect(loads).toEqual({ clusters: 1, webhooks: 0 });
  });

  it('answers 404 and 405 from the names alone, loading nothing', async () => {
    const { loads, modules } = countedModules();
    const route = createRouter(lazyRoutes(modules));
    await expect(route(requestFor('GET', '/v1/nothing'), undefined)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(route(requestFor('DELETE', '/v1/clusters'), undefined)).rejects.toMatchObject({
      code: 'METHOD_NOT_ALLOWED',
    });
    const options = await route(requestFor('OPTIONS', '/v1/clusters/c-1'), undefined);
    expect(options.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(loads).toEqual({ clusters: 0, webhooks: 0 });
  });

  it('tries a failed load again on the next request instead of failing for the instance', async () => {
    const { loads, modules } = countedModules(1);
    const route = createRouter(lazyRoutes(modules));
    await expect(route(requestFor('POST', '/v1/webhooks/endpoints'), undefined)).rejects.toThrow(
      'chunk failed to load',
    );
    const retried = await route(requestFor('POST', '/v1/webhooks/endpoints'), undefined);
    expect(bodyOf(retried)).toEqual({ name: 'create', params: {} });
    expect(loads.webhooks).toBe(2);
  });

  it('fails as INTERNAL, naming the route, when its module does not serve it', async () => {
    const { modules } = countedModules();
    const route = createRouter(lazyRoutes(modules));
    const failure = route(requestFor('GET', '/v1/webhooks/deliveries'), undefined);
    await expect(failure).rejects.toBeInstanceOf(DomainError);
    await expect(failure).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('GET /v1/webhooks/deliveries'),
    });
  });
});

describe("the API's route table agrees with the route modules", () => {
  const tableNames = API_ROUTE_MODULES.flatMap((module) => module.routes);

  it('names every route the modules declare, each once, and nothing else', () => {
    expect(new Set(tableNames).size).toBe(tableNames.length);
    expect([...tableNames].sort()).toEqual(apiRoutes.map(nameOf).sort());
  });

  it('loads, for each name, a module that serves exactly the routes the table gives it', async () => {
    for (const module of API_ROUTE_MODULES) {
      const served = (await module.load()).map(nameOf);
      // The OpenAPI document's module is the whole list: the document describes every route.
      if (module.routes.includes('GET /openapi.json'))
        expect(served).toContain('GET /openapi.json');
      else expect(served.sort(), module.routes.join(', ')).toEqual([...module.routes].sort());
    }
  });
});
