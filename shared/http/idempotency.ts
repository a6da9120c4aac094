import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { DomainError, isDomainError } from '../domain/errors.js';
import { startHeartbeat } from '../leases/heartbeat.js';
import type { Logger } from '../logger.js';
import type { IdempotencyStore } from '../store/idempotency.port.js';
import type { IdempotencyClaim, StoredResponse } from '../store/store.port.js';
import { bodyFingerprint } from './canonical-json.js';
import type { HttpRequest, HttpResponse } from './fc-http-event.js';
import { statusFor } from './problem.js';
import { problemResponse } from './problem-response.js';

/**
 * Idempotency-Key handling as the IETF draft has it: keys are per tenant and kept 24 hours; the
 * first request's response (success, or an error that is not the service's fault) is stored and
 * replayed byte for byte with `idempotent-replayed: true`; the same key with another body is 422;
 * while the first request still runs, 409. A 5xx lets go of the key, so a retry runs again.
 */
const KEY_TTL_MS = 24 * 3_600_000;
/**
 * How long a request holds its key before another may take it over (it must have died). Short,
 * because a live request renews it by heartbeat: a POST killed mid-flight leaves its key
 * `409 IN_FLIGHT` for at most this long.
 */
const KEY_LOCK_MS = 10_000;

interface IdempotencyDeps {
  store: IdempotencyStore;
  clock: Clock;
  logger: Logger;
}

const toStored = (response: HttpResponse): StoredResponse => ({
  status: response.statusCode,
  headers: { ...response.headers },
  body: response.body,
});

const replayed = (stored: StoredResponse): HttpResponse => ({
  statusCode: stored.status,
  headers: { ...stored.headers, 'idempotent-replayed': 'true' },
  body: stored.body,
  isBase64Encoded: false,
});

/** Client errors are the answer to this request and are kept; our own failures are not. */
const storable = (error: unknown): error is DomainError =>
  isDomainError(error) &&
  statusFor(error.code) < 500 &&
  error.code !== 'IDEMPOTENCY_IN_FLIGHT' &&
  error.code !== 'RATE_LIMITED';

const withIdempotencyKey = async (
  deps: IdempotencyDeps,
  request: HttpRequest,
  input: { tenantId: string; key: string },
  work: (claim: IdempotencyClaim) => Promise<HttpResponse>,
): Promise<HttpResponse> => {
  const now = deps.clock.now();
  const claim: IdempotencyClaim = { tenantId: input.tenantId, key: input.key, owner: randomUUID() };
  const begun = await deps.store.beginIdempotentRequest({
    claim,
    fingerprint: bodyFingerprint(request.body),
    now,
    lockedUntil: new Date(now.getTime() + KEY_LOCK_MS),
    expiresAt: new Date(now.getTime() + KEY_TTL_MS),
  });
  switch (begun.outcome) {
    case 'replay':
      return replayed(begun.response);
    case 'mismatch':
      throw new DomainError(
        'IDEMPOTENCY_KEY_MISMATCH',
        'this Idempotency-Key was used with a different request body; use a new key for a new request',
        { field: 'Idempotency-Key' },
      );
    case 'in-flight':
      throw new DomainError(
        'IDEMPOTENCY_IN_FLIGHT',
        'a request with this Idempotency-Key is still being processed; retry shortly',
        { field: 'Idempotency-Key', retryAfterMs: 1000 },
      );
    case 'started':
      break;
  }
  let response: HttpResponse;
  const heartbeat = startHeartbeat({
    leaseMs: KEY_LOCK_MS,
    renew: () =>
      deps.store.renewIdempotencyClaim({
        claim,
        lockedUntil: new Date(deps.clock.now().getTime() + KEY_LOCK_MS),
      }),
    onError: (error) => deps.logger.warn('renewing an Idempotency-Key claim failed', { error }),
  });
  try {
    response = await work(claim);
  } catch (error) {
    await heartbeat.stop();
    if (!storable(error)) {
      await deps.store.releaseIdempotentRequest(claim).catch((releaseError: unknown) => {
        deps.logger.warn('could not release an Idempotency-Key; it frees itself', {
          error: releaseError,
        });
      });
      throw error;
    }
    deps.logger.info('request refused', {
      requestId: request.requestId,
      code: error.code,
      error,
    });
    response = problemResponse(error, request);
  }
  await heartbeat.stop();
  // A no-op when the work completed the key itself, in the transaction of its own writes.
  await deps.store.completeIdempotentRequest({ claim, response: toStored(response) });
  return response;
};

export { KEY_LOCK_MS, KEY_TTL_MS, toStored, withIdempotencyKey };
