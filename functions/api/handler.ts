import middy from '@middy/core';
import type { ApiApp } from '../../shared/app/api-app.js';
import type { CredentialsSource } from '../../shared/cloud/credentials.js';
import { DEFAULT_MAX_BODY_BYTES } from '../../shared/config.js';
import { DomainError } from '../../shared/domain/errors.js';
import { invocationCredentials } from '../../shared/fc/invocation-credentials.js';
import { HttpRequest, type HttpResponse } from '../../shared/http/fc-http-event.js';
import { lazyRoutes } from '../../shared/http/lazy-routes.js';
import {
  cors,
  fcHttpEvent,
  problemDetails,
  responseHeaders,
} from '../../shared/http/middlewares.js';
import { notReady } from '../../shared/http/readiness.js';
import { createRouter } from '../../shared/http/router.js';
import { createLogger } from '../../shared/logger.js';
import { API_ROUTE_MODULES } from './routes/route-table.js';

/** The API function: parse the FC3 event, route, shape the reply. The work lives in shared/. */
const createApiHandler = (
  getApp: () => Promise<ApiApp>,
  /** Updated from each invocation's context before anything else runs. */
  credentials?: CredentialsSource,
) => {
  const fallbackLogger = createLogger({ fields: { fn: 'api' } });
  // Each route's module loads on its first request (routes/route-table.ts).
  const route = createRouter<ApiApp>(lazyRoutes(API_ROUTE_MODULES));
  return (
    middy<unknown, HttpResponse>()
      .use(invocationCredentials<HttpResponse>(credentials))
      .use(cors({ origins: async () => (await getApp()).config.http.corsOrigins }))
      .use(
        fcHttpEvent({
          // Without an app (a bad config, a database down at start) the request fails later
          // anyway; the default limit lets it get that far (and /readyz say which it is).
          maxBodyBytes: () =>
            getApp().then(
              (app) => app.config.http.maxBodyBytes,
              () => DEFAULT_MAX_BODY_BYTES,
            ),
        }),
      )
      .use(responseHeaders())
      // A config error must still be logged (it names the variable), so fall back to a plain logger.
      .use(
        problemDetails({
          logger: () =>
            getApp().then(
              (app) => app.logger,
              () => fallbackLogger,
            ),
        }),
      )
      .handler(async (event: unknown): Promise<HttpResponse> => {
        if (!(event instanceof HttpRequest))
          throw new DomainError('INTERNAL', 'the HTTP event was not parsed');
        let app: ApiApp;
        try {
          app = await getApp();
        } catch (error) {
          // Readiness must answer when the app cannot be built: that is what it reports.
          if (event.path === '/readyz' && (event.method === 'GET' || event.method === 'HEAD'))
            return { ...notReady(error), ...(event.method === 'HEAD' ? { body: '' } : {}) };
          throw error;
        }
        return route(event, app);
      })
  );
};

export { createApiHandler };
