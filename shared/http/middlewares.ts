import { randomUUID } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import { isDomainError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { HttpRequest, type HttpResponse, parseFcHttpEvent } from './fc-http-event.js';
import type { Problem } from './problem.js';
import { statusFor, titleFor, typeFor } from './problem.js';

/**
 * The API function's middlewares: the FC3 event becomes an `HttpRequest` first, every response
 * carries `x-request-id`, and every error leaves as `application/problem+json`. Errors that are
 * not domain errors become a bare 500 so that nothing internal leaks.
 */
const requestIdOf = (event: unknown): string =>
  event instanceof HttpRequest ? event.requestId : randomUUID();

const fcHttpEvent = (options: {
  maxBodyBytes: () => Promise<number>;
}): MiddlewareObj<unknown, HttpResponse> => ({
  name: 'fcHttpEvent',
  before: async (request) => {
    request.event = parseFcHttpEvent(request.event, { maxBodyBytes: await options.maxBodyBytes() });
  },
});

const requestIdHeader = (): MiddlewareObj<unknown, HttpResponse> => ({
  name: 'requestIdHeader',
  after: (request) => {
    if (request.response) request.response.headers['x-request-id'] = requestIdOf(request.event);
  },
});

const problemFor = (error: unknown, instance: string): Problem => {
  if (isDomainError(error)) {
    const status = statusFor(error.code);
    const exposed = status < 500 || error.retryable;
    return {
      type: typeFor(error.code),
      title: titleFor(status),
      status,
      detail: exposed ? error.message : 'the service failed to handle the request',
      instance,
      code: exposed ? error.code : 'INTERNAL',
      ...(error.field && exposed ? { field: error.field } : {}),
      ...(Array.isArray(error.details?.errors) && exposed
        ? { errors: error.details.errors as { field: string; message: string }[] }
        : {}),
    };
  }
  return {
    type: typeFor('INTERNAL'),
    title: titleFor(500),
    status: 500,
    detail: 'the service failed to handle the request',
    instance,
    code: 'INTERNAL',
  };
};

const problemDetails = (options: {
  logger: () => Promise<Logger> | Logger;
}): MiddlewareObj<unknown, HttpResponse> => ({
  name: 'problemDetails',
  onError: async (request) => {
    const requestId = requestIdOf(request.event);
    const path = request.event instanceof HttpRequest ? request.event.path : '';
    const problem = problemFor(request.error, path);
    const logger = await options.logger();
    const log = problem.status >= 500 ? logger.error : logger.info;
    log('request failed', {
      requestId,
      status: problem.status,
      code: problem.code,
      error: request.error,
    });
    const headers: Record<string, string> = {
      'content-type': 'application/problem+json',
      'x-request-id': requestId,
    };
    const allow = isDomainError(request.error) ? request.error.details?.allow : undefined;
    if (typeof allow === 'string') headers.allow = allow;
    if (isDomainError(request.error) && request.error.retryAfterMs !== undefined) {
      headers['retry-after'] = String(Math.ceil(request.error.retryAfterMs / 1000));
    }
    request.response = {
      statusCode: problem.status,
      headers,
      body: JSON.stringify(problem),
      isBase64Encoded: false,
    };
  },
});

export { fcHttpEvent, problemDetails, requestIdHeader };
