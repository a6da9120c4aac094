import { randomUUID } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import { isDomainError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { corsHeaders } from './cors.js';
import { HttpRequest, type HttpResponse, parseFcHttpEvent } from './fc-http-event.js';
import { problemResponse } from './problem-response.js';

/**
 * The API function's middlewares: the FC3 event becomes an `HttpRequest` first, every response
 * carries `x-request-id` (and whatever the request collected in `responseHeaders`), and every
 * error leaves as `application/problem+json`. Errors that are not domain errors become a bare 500
 * so that nothing internal leaks.
 */
const requestIdOf = (event: unknown): string =>
  event instanceof HttpRequest ? event.requestId : randomUUID();

const headersFor = (event: unknown): Record<string, string> => ({
  ...(event instanceof HttpRequest ? event.responseHeaders : {}),
  'x-request-id': requestIdOf(event),
});

/**
 * Every answer is about one tenant or carries a secret (a new API key, a webhook secret, a
 * kubeconfig), so no cache on the way may keep it, unless a route says otherwise.
 */
const withHeaders = (response: HttpResponse, event: unknown): void => {
  Object.assign(response.headers, headersFor(event));
  if (!Object.keys(response.headers).some((name) => name.toLowerCase() === 'cache-control')) {
    response.headers['cache-control'] = 'no-store';
  }
};

const fcHttpEvent = (options: {
  maxBodyBytes: () => Promise<number>;
}): MiddlewareObj<unknown, HttpResponse> => ({
  name: 'fcHttpEvent',
  before: async (request) => {
    request.event = parseFcHttpEvent(request.event, { maxBodyBytes: await options.maxBodyBytes() });
  },
});

const responseHeaders = (): MiddlewareObj<unknown, HttpResponse> => ({
  name: 'responseHeaders',
  after: (request) => {
    if (request.response) withHeaders(request.response, request.event);
  },
});

/**
 * Adds the CORS headers last, to whatever the response is (a success, a problem, a preflight):
 * used first, so middy runs its `after` and `onError` after every other middleware's.
 */
const cors = (options: {
  origins: () => Promise<readonly string[]>;
}): MiddlewareObj<unknown, HttpResponse> => {
  const decorate = async (request: { event: unknown; response: HttpResponse | null }) => {
    if (!(request.event instanceof HttpRequest) || !request.response) return;
    const origins = await options.origins().catch(() => []);
    Object.assign(request.response.headers, corsHeaders(origins, request.event, request.response));
  };
  return { name: 'cors', after: decorate, onError: decorate };
};

const problemDetails = (options: {
  logger: () => Promise<Logger> | Logger;
}): MiddlewareObj<unknown, HttpResponse> => ({
  name: 'problemDetails',
  onError: async (request) => {
    const httpRequest = request.event instanceof HttpRequest ? request.event : undefined;
    const response = problemResponse(request.error, httpRequest);
    const logger = await options.logger();
    const log = response.statusCode >= 500 ? logger.error : logger.info;
    log('request failed', {
      requestId: requestIdOf(request.event),
      status: response.statusCode,
      method: httpRequest?.method,
      path: httpRequest?.path,
      // Who was refused (401/403/429 above all): the key id even of a wrong key, never its secret.
      sourceIp: httpRequest?.sourceIp,
      keyId: httpRequest?.caller.keyId,
      tenantId: httpRequest?.caller.tenantId,
      code: isDomainError(request.error) ? request.error.code : 'INTERNAL',
      error: request.error,
    });
    withHeaders(response, request.event);
    request.response = response;
  },
});

export { cors, fcHttpEvent, problemDetails, responseHeaders };
