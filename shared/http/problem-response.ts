import { isDomainError, MethodNotAllowedError } from '../domain/errors.js';
import type { HttpRequest, HttpResponse } from './fc-http-event.js';
import { problemFor } from './problem.js';

/**
 * An error as the `application/problem+json` response the caller gets: the middleware sends it,
 * and the idempotency layer stores it so that a retry gets the very same bytes.
 * `x-request-id` is added by the middleware, since it differs on every retry.
 */
const problemResponse = (error: unknown, request: HttpRequest | undefined): HttpResponse => {
  const problem = problemFor(error, request?.path ?? '');
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  // RFC 9110 §11.6.1: a 401 names the scheme that would work.
  if (problem.status === 401) headers['www-authenticate'] = 'Bearer realm="ask-provisioner"';
  if (isDomainError(error)) {
    if (error instanceof MethodNotAllowedError) headers.allow = error.allowedMethods.join(', ');
    if (error.retryAfterMs !== undefined) {
      headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
    }
  }
  return {
    statusCode: problem.status,
    headers,
    body: JSON.stringify(problem),
    isBase64Encoded: false,
  };
};

export { problemResponse };
