import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { RateLimitStore } from './rate-limit.port.js';
import type { Database } from './schema.js';

/**
 * A token bucket per row. One INSERT … ON CONFLICT DO UPDATE … WHERE refills and takes a token
 * atomically under the row lock, so instances racing on the same key cannot overspend it. Time
 * comes from the caller's clock; a clock that steps back refills nothing and never moves
 * `updated_at` backwards.
 */
const createRateLimitStore = (db: Kysely<Database>): RateLimitStore => ({
  takeRateLimitToken: async ({ bucket, now, perSecond, burst }) => {
    const at = sql`${now.toISOString()}::timestamptz`;
    const refilled = sql<number>`least(${burst}::float8, b.tokens + greatest(0::float8,
      extract(epoch from (${at} - b.updated_at))::float8) * ${perSecond}::float8)`;
    const taken = await sql<{ tokens: number }>`
      insert into rate_limit_buckets as b (bucket, tokens, updated_at)
      values (${bucket}, ${burst - 1}::float8, ${at})
      on conflict (bucket) do update
        set tokens = ${refilled} - 1, updated_at = greatest(b.updated_at, ${at})
        where ${refilled} >= 1
      returning tokens`.execute(db);
    const row = taken.rows[0];
    if (row !== undefined) {
      return { allowed: true, remaining: Math.floor(Number(row.tokens)), retryAfterMs: 0 };
    }
    const current = await sql<{ tokens: number }>`
      select ${refilled} as tokens from rate_limit_buckets as b where b.bucket = ${bucket}`.execute(
      db,
    );
    const tokens = Number(current.rows[0]?.tokens ?? 0);
    const missing = Math.max(0, 1 - tokens);
    return {
      allowed: false,
      remaining: 0,
      retryAfterMs: Math.max(1, Math.ceil((missing / perSecond) * 1000)),
    };
  },

  syncRateLimitBucket: async ({ bucket, now, spent, perSecond, burst, lastUsed }) => {
    const at = sql`${now.toISOString()}::timestamptz`;
    const refilled = sql<number>`least(${burst}::float8, b.tokens + greatest(0::float8,
      extract(epoch from (${at} - b.updated_at))::float8) * ${perSecond}::float8)`;
    // The key's last use rides on the same statement (a data-modifying CTE runs whether or not
    // it is referenced): no round trip of its own, and written at most once per `everyMs`.
    const touch = lastUsed
      ? sql`with used as (
          update api_keys set last_used_at = ${at}
          where id = ${lastUsed.keyId}
            and (last_used_at is null
              or last_used_at <= ${at} - make_interval(secs => ${lastUsed.everyMs / 1000}::float8))
        ) `
      : sql``;
    const synced = await sql<{ tokens: number }>`${touch}
      insert into rate_limit_buckets as b (bucket, tokens, updated_at)
      values (${bucket}, ${burst - spent}::float8, ${at})
      on conflict (bucket) do update
        set tokens = ${refilled} - ${spent}::float8, updated_at = greatest(b.updated_at, ${at})
      returning tokens`.execute(db);
    return { tokens: Number(synced.rows[0]?.tokens ?? 0) };
  },
});

export { createRateLimitStore };
