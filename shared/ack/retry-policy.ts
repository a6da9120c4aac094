import type { DomainError } from '../domain/errors.js';
import { AckError } from './ack-error.js';

/**
 * Our retry around each ACK call (the SDK's own retry stays off, so there is exactly one policy).
 *
 * - Exponential backoff with full jitter: before retry n (0-based) wait
 *   random() * min(maxDelayMs, baseDelayMs * 2^n), which spreads a burst of throttled callers.
 * - When ACK says how long to wait (throttling with `x-acs-retry-after`), wait exactly that; if it
 *   is longer than maxDelayMs we stop and throw, keeping `retryAfterMs`, so the caller (a queue
 *   message, the next poller tick) comes back later instead of holding a function instance.
 * - Only retryable errors are retried.
 * - Calls that are not idempotent (CreateCluster: ACK has no client token) are never retried after
 *   an ambiguous failure (5xx, reset, timeout): the cluster may exist. They throw at once with
 *   `retryable: true` and `ambiguous: true` (AckError), so the worker looks for the cluster by name and
 *   tags before creating again. Unambiguous refusals (throttling, connection refused) are retried,
 *   because ACK did nothing.
 */

interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

interface RetriedCall<T> {
  idempotent: boolean;
  call: () => Promise<T>;
  /** Turns whatever the call threw into a DomainError (ack-error-mapping.ts). */
  mapError: (error: unknown) => DomainError;
}

const DEFAULT_RETRY = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 10_000 } as const;

const fullJitterDelayMs = (
  retryIndex: number,
  settings: Pick<RetrySettings, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number => {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** retryIndex);
  return Math.floor(settings.random() * ceiling);
};

/** An ACK failure learns how many calls were made; any other error is thrown as it is. */
const afterAttempts = (error: DomainError, attempts: number, retryable?: boolean): DomainError =>
  error instanceof AckError ? error.afterAttempts(attempts, retryable) : error;

const isAmbiguous = (error: DomainError): boolean => error instanceof AckError && error.ambiguous;

const withAckRetry = async <T>(request: RetriedCall<T>, settings: RetrySettings): Promise<T> => {
  const maxAttempts = Math.max(1, Math.floor(settings.maxAttempts));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await request.call();
    } catch (thrown) {
      const error = request.mapError(thrown);
      if (!request.idempotent && isAmbiguous(error)) {
        // The worker must look for the cluster before trying again; retrying here could make two.
        throw afterAttempts(error, attempt, true);
      }
      const tooLong = error.retryAfterMs !== undefined && error.retryAfterMs > settings.maxDelayMs;
      if (!error.retryable || attempt >= maxAttempts || tooLong) {
        throw afterAttempts(error, attempt);
      }
      await settings.sleep(error.retryAfterMs ?? fullJitterDelayMs(attempt - 1, settings));
    }
  }
};

const realSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

export type { RetriedCall, RetryOptions, RetrySettings };

/** What an adapter's options may say of its retries; the defaults fill the rest. */
interface RetryOptions {
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const retrySettingsFrom = (options: RetryOptions): RetrySettings => ({
  maxAttempts: options.retry?.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
  baseDelayMs: options.retry?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
  maxDelayMs: options.retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
  sleep: options.sleep ?? realSleep,
  random: options.random ?? Math.random,
});

export { DEFAULT_RETRY, fullJitterDelayMs, realSleep, retrySettingsFrom, withAckRetry };
