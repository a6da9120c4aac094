import type { ApiKeyRecord } from '../store/api-key.port.js';

/**
 * The API keys an API instance has read, kept for `ttlMs`: a warm request authenticates without a
 * database round trip. The secret is still checked against the record's hash on every request;
 * only the record (tenant, scopes, expiry, revocation) is trusted for that long. So a key
 * revoked elsewhere (another instance, `askp admin`) keeps working on this instance for at most
 * `ttlMs`; one revoked through this instance stops at once (`forget`). An unknown key is never
 * kept (its next request reads the store again), so a key created a moment ago works at once.
 */
interface ApiKeyCache {
  get(
    id: string,
    now: number,
    load: () => Promise<ApiKeyRecord | null>,
  ): Promise<ApiKeyRecord | null>;
  forget(id: string): void;
}

/** The most keys one instance keeps; the oldest read is dropped first. */
const MAX_KEYS = 10_000;

const createApiKeyCache = (options: { ttlMs: number; maxKeys?: number }): ApiKeyCache => {
  const entries = new Map<string, { record: ApiKeyRecord; until: number }>();
  const maxKeys = options.maxKeys ?? MAX_KEYS;
  return {
    get: async (id, now, load) => {
      const kept = entries.get(id);
      if (kept && kept.until > now) return kept.record;
      entries.delete(id);
      const record = await load();
      if (record && options.ttlMs > 0) {
        entries.set(id, { record, until: now + options.ttlMs });
        if (entries.size > maxKeys) {
          const oldest = entries.keys().next();
          if (!oldest.done) entries.delete(oldest.value);
        }
      }
      return record;
    },
    forget: (id) => {
      entries.delete(id);
    },
  };
};

export type { ApiKeyCache };
export { createApiKeyCache };
