import * as z from 'zod';
import type { ApiApp } from '../../../shared/app/api-app.js';
import { type ApiRoute, definePublicEndpoint } from '../../../shared/http/endpoint.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import { NO_QUERY } from '../../../shared/http/query.js';
import { checkReadiness, readinessSchema } from '../../../shared/http/readiness.js';

const healthSchema = z.object({ status: z.literal('ok') }).strict();

const healthRoutes: ApiRoute<ApiApp>[] = [
  definePublicEndpoint<ApiApp, typeof NO_QUERY>({
    method: 'GET',
    path: '/healthz',
    doc: {
      operationId: 'getHealth',
      summary: 'Liveness',
      description: 'Answers 200 while the function runs. Needs no API key.',
      tag: 'service',
      scope: null,
      query: NO_QUERY,
      responses: { 200: { description: 'alive', schema: healthSchema, name: 'Health' } },
      errors: [],
    },
    handle: async () => jsonResponse(200, { status: 'ok' }),
  }),
  definePublicEndpoint<ApiApp, typeof NO_QUERY>({
    method: 'GET',
    path: '/readyz',
    doc: {
      operationId: 'getReadiness',
      summary: 'Readiness',
      description:
        'Answers 200 when the dependencies this instance needs answer (the database), 503 ' +
        'naming the one that does not (`down`). Needs no API key.',
      tag: 'service',
      scope: null,
      query: NO_QUERY,
      responses: {
        200: { description: 'ready', schema: readinessSchema, name: 'Readiness' },
        503: { description: 'a dependency is down', schema: readinessSchema, name: 'Readiness' },
      },
      errors: [],
    },
    handle: async ({ app }) => checkReadiness(app.store),
  }),
];

export { healthRoutes };
