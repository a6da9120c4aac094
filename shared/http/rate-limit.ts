import { DomainError } from '../domain/errors.js';
import type { Principal } from './authenticate.js';
import type { HttpRequest } from './fc-http-event.js';
import type { RateLimiter } from './rate-limiter.js';

interface RateLimitDeps {
  rateLimiter: RateLimiter;
  config: { rateLimit: { perSecond: number; burst: number } };
}

const POLICY = 'per-key';

/**
 * One token per request from the API key's bucket, shared through the store by every function
 * instance (spent in memory, written behind: rate-limiter.ts). The state goes out as RateLimit-Policy / RateLimit headers
 * (draft-ietf-httpapi-ratelimit-headers): `q` tokens, refilled in `w` seconds; `r` left, full
 * again in `t` seconds. Out of tokens: 429 with Retry-After.
 */
const enforceRateLimit = async (
  deps: RateLimitDeps,
  principal: Principal,
  request: HttpRequest,
): Promise<void> => {
  const { perSecond, burst } = deps.config.rateLimit;
  const result = await deps.rateLimiter.take({
    bucket: `key:${principal.keyId}`,
    keyId: principal.keyId,
  });
  request.responseHeaders['ratelimit-policy'] =
    `"${POLICY}";q=${burst};w=${Math.ceil(burst / perSecond)}`;
  request.responseHeaders.ratelimit = `"${POLICY}";r=${result.remaining};t=${Math.ceil((burst - result.remaining) / perSecond)}`;
  if (!result.allowed) {
    const seconds = Math.ceil(result.retryAfterMs / 1000);
    throw new DomainError(
      'RATE_LIMITED',
      `this API key is over its rate limit of ${perSecond} requests per second (bursts of ${burst}); retry in ${seconds} s`,
      { retryAfterMs: result.retryAfterMs },
    );
  }
};

export { enforceRateLimit };
