import * as z from 'zod';
import type { ApiApp } from '../../../shared/app/api-app.js';
import { type ApiRoute, defineEndpoint, NO_BODY } from '../../../shared/http/endpoint.js';
import { NO_QUERY } from '../../../shared/http/query.js';

/** The latest running provisions the time-to-running histogram covers: bounds the scrape's cost. */
const TIME_TO_RUNNING_SAMPLE = 10_000;

const metricsRoutes: ApiRoute<ApiApp>[] = [
  defineEndpoint({
    method: 'GET',
    path: '/metrics',
    doc: {
      operationId: 'getMetrics',
      summary: 'Service metrics (Prometheus)',
      description:
        'Prometheus text exposition: provisions by state and region, time to running, ACK calls ' +
        'and errors by action and code, job retries, outbox age, webhook backlog and outcomes, ' +
        'janitor decisions. Read from the database, so every instance reports the same numbers.',
      tag: 'service',
      scope: 'admin',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        200: {
          description: 'the metrics',
          schema: z.string().describe('Prometheus text format 0.0.4'),
          name: 'PrometheusText',
          mediaType: 'text/plain; version=0.0.4; charset=utf-8',
        },
      },
      errors: [],
    },
    handle: async ({ app }) => {
      const snapshot = await app.store.readServiceMetrics({
        now: app.clock.now(),
        timeToRunningLimit: TIME_TO_RUNNING_SAMPLE,
      });
      // Loaded here, not at start-up: prom-client is not part of the API's cold start.
      const { renderMetrics } = await import('../../../shared/metrics/render-metrics.js');
      const rendered = await renderMetrics(snapshot);
      return {
        statusCode: 200,
        headers: { 'content-type': rendered.contentType, 'cache-control': 'no-store' },
        body: rendered.body,
        isBase64Encoded: false,
      };
    },
  }),
];

export { metricsRoutes };
