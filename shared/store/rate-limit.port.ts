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
}

export type { RateLimitResult, RateLimitStore };
