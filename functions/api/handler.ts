import middy from '@middy/core';
import type { ApiApp } from '../../shared/app/api-app.js';
import { DomainError } from '../../shared/domain/errors.js';
import { HttpRequest, type HttpResponse } from '../../shared/http/fc-http-event.js';
import { fcHttpEvent, problemDetails, responseHeaders } from '../../shared/http/middlewares.js';
import { createRouter } from '../../shared/http/router.js';
import { createLogger } from '../../shared/logger.js';
import { apiRoutes } from './routes/index.js';

/** The API function: parse the FC3 event, route, shape the reply. The work lives in shared/. */
const createApiHandler = (getApp: () => Promise<ApiApp>) => {
  const fallbackLogger = createLogger({ fields: { fn: 'api' } });
  const route = createRouter<ApiApp>(apiRoutes);
  return (
    middy<unknown, HttpResponse>()
      .use(fcHttpEvent({ maxBodyBytes: async () => (await getApp()).config.http.maxBodyBytes }))
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
        return route(event, await getApp());
      })
  );
};

export { createApiHandler };
