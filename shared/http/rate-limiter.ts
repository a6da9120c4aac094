import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { RateLimitResult, RateLimitStore } from '../store/rate-limit.port.js';

/**
 * The per-key token buckets, spent in memory and written behind. The shared bucket in the store
 * stays the truth every instance converges on, but a request no longer waits for it:
 *
 * - the first request of a key on an instance reads the shared bucket (one statement, which also
 *   refills it), and every later one decides from this instance's copy, refilled by the clock;
 * - what the instance spent goes to the store at most `syncMs` later, in one statement per key
 *   (`syncRateLimitBucket`: refill, subtract what was spent, return what is left), and the copy
 *   takes the shared value back, so tokens spent on other instances are seen within one sync;
 * - the same statement records the key's `last_used_at`, at most once a minute per key.
 *
 * The cost of not waiting: instances that each saw tokens in their copy may together overspend a
 * key by what they can take between two syncs (at most the bucket, plus `perSecond × syncMs`,
 * each); the shared bucket then goes below zero and every instance refuses until it has refilled,
 * so the long-run rate still holds. On one instance the limit is exact. Spends not yet written when
 * an instance dies are lost (at most `syncMs` of one instance's requests).
 */
interface RateLimiter {
  /** Takes one token from the key's bucket, or says how long until one is there. */
  take(input: { bucket: string; keyId: string }): Promise<RateLimitResult>;
  /** Writes every spend not yet written (tests; a host shutting down). */
  flush(): Promise<void>;
}

interface BucketCopy {
  bucket: string;
  keyId: string;
  /** Tokens as of `at` (epoch ms): the shared value at the last sync, less what was spent since. */
  tokens: number;
  at: number;
  /** Spent here, not yet written. */
  unsynced: number;
  /** When this instance last had `last_used_at` written (epoch ms). */
  usedWrittenAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  syncing: Promise<void> | undefined;
}

/** `last_used_at` is written at most this often per key (and the statement checks it again). */
const LAST_USED_EVERY_MS = 60_000;
/** The most keys one instance keeps a copy of; a copy with nothing to write is dropped first. */
const MAX_BUCKETS = 10_000;

const createRateLimiter = (options: {
  store: RateLimitStore;
  clock: Clock;
  logger: Logger;
  perSecond: number;
  burst: number;
  syncMs: number;
}): RateLimiter => {
  const { store, clock, logger, perSecond, burst, syncMs } = options;
  const copies = new Map<string, BucketCopy>();
  const loading = new Map<string, Promise<BucketCopy>>();

  const refill = (copy: BucketCopy, now: number): void => {
    // A clock that steps back refills nothing (and does not move `at` back).
    if (now <= copy.at) return;
    copy.tokens = Math.min(burst, copy.tokens + ((now - copy.at) / 1000) * perSecond);
    copy.at = now;
  };

  /** True when the write went through; a failure keeps the spend for the next request's sync. */
  const sync = async (copy: BucketCopy): Promise<boolean> => {
    copy.timer = undefined;
    const spent = copy.unsynced;
    copy.unsynced = 0;
    const at = clock.now();
    const writeUse = at.getTime() - copy.usedWrittenAt >= LAST_USED_EVERY_MS;
    try {
      const { tokens } = await store.syncRateLimitBucket({
        bucket: copy.bucket,
        now: at,
        spent,
        perSecond,
        burst,
        ...(writeUse ? { lastUsed: { keyId: copy.keyId, everyMs: LAST_USED_EVERY_MS } } : {}),
      });
      if (writeUse) copy.usedWrittenAt = at.getTime();
      // The shared value as of `at`, less what this instance spent while the statement ran.
      copy.tokens = tokens - copy.unsynced;
      copy.at = at.getTime();
      return true;
    } catch (error) {
      copy.unsynced += spent;
      logger.warn('rate-limit sync failed; kept for the next request', {
        bucket: copy.bucket,
        error,
      });
      return false;
    }
  };

  const schedule = (copy: BucketCopy): void => {
    if (copy.timer || copy.syncing || copy.unsynced === 0) return;
    copy.timer = setTimeout(() => {
      copy.syncing = sync(copy).then((written) => {
        copy.syncing = undefined;
        // After a failure no timer retries on its own (a closed store would be retried forever):
        // the next request of the key schedules the write again, spend included.
        if (written) schedule(copy);
      });
    }, syncMs);
    // A pending write must not keep a host (or a test) alive; FC thaws it with the next request.
    copy.timer.unref?.();
  };

  const forgetOne = (): void => {
    for (const [bucket, copy] of copies) {
      if (copy.unsynced === 0 && !copy.timer && !copy.syncing) {
        copies.delete(bucket);
        return;
      }
    }
  };

  /** The first request of a key here: read (and refill) the shared bucket, spending nothing. */
  const load = (bucket: string, keyId: string): Promise<BucketCopy> => {
    const pending = loading.get(bucket);
    if (pending) return pending;
    const at = clock.now();
    const loaded = store
      .syncRateLimitBucket({
        bucket,
        now: at,
        spent: 0,
        perSecond,
        burst,
        lastUsed: { keyId, everyMs: LAST_USED_EVERY_MS },
      })
      .then(({ tokens }) => {
        const copy: BucketCopy = {
          bucket,
          keyId,
          tokens,
          at: at.getTime(),
          unsynced: 0,
          usedWrittenAt: at.getTime(),
          timer: undefined,
          syncing: undefined,
        };
        copies.set(bucket, copy);
        if (copies.size > MAX_BUCKETS) forgetOne();
        return copy;
      })
      .finally(() => loading.delete(bucket));
    loading.set(bucket, loaded);
    return loaded;
  };

  return {
    take: async ({ bucket, keyId }) => {
      const copy = copies.get(bucket) ?? (await load(bucket, keyId));
      const now = clock.now().getTime();
      refill(copy, now);
      if (copy.tokens >= 1) {
        copy.tokens -= 1;
        copy.unsynced += 1;
        schedule(copy);
        return { allowed: true, remaining: Math.floor(copy.tokens), retryAfterMs: 0 };
      }
      const missing = 1 - copy.tokens;
      return {
        allowed: false,
        remaining: 0,
        retryAfterMs: Math.max(1, Math.ceil((missing / perSecond) * 1000)),
      };
    },
    flush: async () => {
      for (const copy of copies.values()) {
        await copy.syncing;
        if (copy.unsynced === 0) continue;
        clearTimeout(copy.timer);
        await sync(copy);
      }
    },
  };
};

export type { RateLimiter };
export { createRateLimiter };
