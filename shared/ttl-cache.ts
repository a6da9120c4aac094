/**
 * Values read per key and kept for `ttlMs` by one function instance. Concurrent reads of a key
 * share one load; a failed load is forgotten at once, so the next read tries again instead of
 * failing until the entry expires. `fresh` reads again whatever is kept, and keeps the new value;
 * `forget` drops a key whose value this instance just changed. At most `maxEntries` are kept
 * (the expired go first, then the oldest), so a cache keyed by tenant stays bounded.
 */
interface TtlCache<T> {
  get(key: string, load: () => Promise<T>, options?: { fresh?: boolean }): Promise<T>;
  forget(key: string): void;
}

const DEFAULT_MAX_ENTRIES = 10_000;

const createTtlCache = <T>(options: {
  ttlMs: number;
  now?: () => number;
  maxEntries?: number;
}): TtlCache<T> => {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const entries = new Map<string, { until: number; value: Promise<T> }>();
  const makeRoom = () => {
    if (entries.size < maxEntries) return;
    const at = now();
    for (const [key, entry] of entries) if (entry.until <= at) entries.delete(key);
    // Still full: the oldest entry goes (a Map iterates in insertion order).
    const oldest = entries.keys().next();
    if (entries.size >= maxEntries && !oldest.done) entries.delete(oldest.value);
  };
  return {
    get: (key, load, { fresh = false } = {}) => {
      const hit = entries.get(key);
      if (!fresh && hit !== undefined && hit.until > now()) return hit.value;
      const value = load();
      entries.delete(key);
      makeRoom();
      entries.set(key, { until: now() + options.ttlMs, value });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    forget: (key) => {
      entries.delete(key);
    },
  };
};

export type { TtlCache };
export { createTtlCache };
