interface RateLimitResult {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /** When refused: how long until a token is there. 0 when allowed. */
  retryAfterMs: number;
}

/** Token buckets shared by every function instance. */
interface RateLimitStore {
  /**
   * Takes one token from a token bucket (`burst` tokens, refilled at `perSecond`) in one atomic
   * statement, so the limit holds across function instances.
   */
  takeRateLimitToken(input: {
    bucket: string;
    now: Date;
    perSecond: number;
    burst: number;
  }): Promise<RateLimitResult>;
  /**
   * Refills the bucket to `now`, subtracts `spent` tokens (taken on an API instance since its
   * last sync; the bucket may go below zero when instances together overspent it) and returns
   * what is left, in one statement. With `lastUsed`, the same statement sets that API key's
   * `last_used_at` to `now` unless it was set less than `everyMs` before.
   */
  syncRateLimitBucket(input: {
    bucket: string;
    now: Date;
    spent: number;
    perSecond: number;
    burst: number;
    lastUsed?: { keyId: string; everyMs: number };
  }): Promise<{ tokens: number }>;
}

export type { RateLimitResult, RateLimitStore };
