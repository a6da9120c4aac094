import type { Clock } from '../clock.js';
import { DomainError, isDomainError } from '../domain/errors.js';
import type { RateLimitStore } from '../store/rate-limit.port.js';
import type { HttpRequest } from './fc-http-event.js';

/**
 * Throttling of failed authentication per source address. Every request with a wrong, unknown,
 * revoked or expired key costs a database lookup (a missing or malformed header costs none and is
 * not counted); without a limit one address could spend the
 * database on them (or try keys at the database's pace). Each failure takes a token from the
 * address's bucket in the store (`auth-fail:<address>`, shared by every instance); once it is
 * empty the address gets `429` with Retry-After, and this instance remembers that, so a blocked
 * address's next requests are answered before any database work. A valid key is never slowed
 * down by its own requests; it is only when an address keeps failing that everything from it,
 * valid keys behind the same NAT included, waits for the refill.
 */
interface AuthThrottleConfig {
  /** Failures an address may make at once… */
  burst: number;
  /** …and how fast it may make more. */
  perMinute: number;
}

/** Addresses this instance saw run out, and until when (epoch ms); one per API app. */
type BlockedAddresses = Map<string, number>;

interface AuthThrottleDeps {
  store: RateLimitStore;
  clock: Clock;
  config: { authThrottle: AuthThrottleConfig };
  blockedAddresses: BlockedAddresses;
}

/** The most addresses this instance remembers as blocked; the oldest is forgotten first. */
const MAX_REMEMBERED = 10_000;

const addressOf = (request: HttpRequest): string => request.sourceIp ?? 'unknown';

const tooMany = (retryAfterMs: number): DomainError =>
  new DomainError(
    'RATE_LIMITED',
    `too many failed authentications from this address; retry in ${Math.ceil(retryAfterMs / 1000)} s`,
    { retryAfterMs },
  );

const remember = (blockedUntil: BlockedAddresses, address: string, until: number): void => {
  blockedUntil.delete(address);
  blockedUntil.set(address, until);
  if (blockedUntil.size > MAX_REMEMBERED) {
    const oldest = blockedUntil.keys().next();
    if (!oldest.done) blockedUntil.delete(oldest.value);
  }
};

/** Refuses at once an address this instance saw run out of failures; costs no database work. */
const refuseIfBlocked = (deps: AuthThrottleDeps, request: HttpRequest): void => {
  const address = addressOf(request);
  const blockedUntil = deps.blockedAddresses;
  const until = blockedUntil.get(address);
  if (until === undefined) return;
  const left = until - deps.clock.now().getTime();
  if (left > 0) throw tooMany(left);
  blockedUntil.delete(address);
};

/** Runs `authenticate`; a 401 takes a token from the address's bucket, and none left is a 429. */
const withAuthThrottle = async <T>(
  deps: AuthThrottleDeps,
  request: HttpRequest,
  authenticate: () => Promise<T>,
): Promise<T> => {
  refuseIfBlocked(deps, request);
  try {
    return await authenticate();
  } catch (error) {
    if (!isDomainError(error) || error.code !== 'UNAUTHENTICATED') throw error;
    // A header that is not a key at all was refused without touching the database: nothing to
    // protect, and counting it would cost the very write this saves.
    if (request.caller.keyId === undefined) throw error;
    const { burst, perMinute } = deps.config.authThrottle;
    const now = deps.clock.now();
    const taken = await deps.store.takeRateLimitToken({
      bucket: `auth-fail:${addressOf(request)}`,
      now,
      perSecond: perMinute / 60,
      burst,
    });
    if (taken.allowed) throw error;
    remember(deps.blockedAddresses, addressOf(request), now.getTime() + taken.retryAfterMs);
    throw tooMany(taken.retryAfterMs);
  }
};

export type { AuthThrottleConfig, BlockedAddresses };
export { withAuthThrottle };
