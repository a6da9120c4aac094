/**
 * Values read per key and kept for `ttlMs` by one function instance. Concurrent reads of a key
 * share one load; a failed load is forgotten at once, so the next read tries again instead of
 * failing until the entry expires. `fresh` reads again whatever is kept, and keeps the new value.
 */
interface TtlCache<T> {
  get(key: string, load: () => Promise<T>, options?: { fresh?: boolean }): Promise<T>;
}

const createTtlCache = <T>(options: { ttlMs: number; now?: () => number }): TtlCache<T> => {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { until: number; value: Promise<T> }>();
  return {
    get: (key, load, { fresh = false } = {}) => {
      const hit = entries.get(key);
      if (!fresh && hit !== undefined && hit.until > now()) return hit.value;
      const value = load();
      entries.set(key, { until: now() + options.ttlMs, value });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
  };
};

export type { TtlCache };
export { createTtlCache };
