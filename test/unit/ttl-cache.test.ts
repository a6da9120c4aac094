import { describe, expect, it } from 'vitest';
import { createTtlCache } from '../../shared/ttl-cache.js';

/** A clock the test moves, and a load that counts its calls and answers what it is told. */
const setUp = (ttlMs = 1000) => {
  let now = 0;
  const cache = createTtlCache<number>({ ttlMs, now: () => now });
  let loads = 0;
  const load = (value: number | Error) => async (): Promise<number> => {
    loads += 1;
    if (value instanceof Error) throw value;
    return value;
  };
  return {
    cache,
    load,
    loads: () => loads,
    advance: (ms: number) => {
      now += ms;
    },
  };
};

describe('ttl cache: a value per key, kept for a while by one instance', () => {
  it('keeps a value until its time is up, then loads it again', async () => {
    const { cache, load, loads, advance } = setUp(1000);
    expect(await cache.get('cn-hangzhou', load(1))).toBe(1);
    advance(999);
    expect(await cache.get('cn-hangzhou', load(2))).toBe(1);
    advance(1);
    expect(await cache.get('cn-hangzhou', load(3))).toBe(3);
    expect(loads()).toBe(2);
  });

  it('keeps each key on its own', async () => {
    const { cache, load } = setUp();
    await cache.get('cn-hangzhou', load(1));
    expect(await cache.get('cn-beijing', load(2))).toBe(2);
    expect(await cache.get('cn-hangzhou', load(3))).toBe(1);
  });

  it('shares one load between concurrent reads of a key', async () => {
    const { cache, load, loads } = setUp();
    const values = await Promise.all([1, 2, 3].map((n) => cache.get('k', load(n))));
    expect(values).toEqual([1, 1, 1]);
    expect(loads()).toBe(1);
  });

  it('forgets a failed load at once, so the next read tries again', async () => {
    const { cache, load, loads } = setUp();
    await expect(cache.get('k', load(new Error('ACK timed out')))).rejects.toThrow('ACK timed out');
    expect(await cache.get('k', load(7))).toBe(7);
    expect(loads()).toBe(2);
  });

  it('loads again when asked for a fresh value, and keeps that one', async () => {
    const { cache, load, loads } = setUp();
    await cache.get('k', load(1));
    expect(await cache.get('k', load(2), { fresh: true })).toBe(2);
    expect(await cache.get('k', load(3))).toBe(2);
    expect(loads()).toBe(2);
  });
});

describe('ttl cache: what an instance changed, and how much it keeps', () => {
  it('forgets a key this instance changed: the next read loads it again', async () => {
    const { cache, load, loads } = setUp();
    await cache.get('tenant-a', load(1));
    cache.forget('tenant-a');
    expect(await cache.get('tenant-a', load(2))).toBe(2);
    expect(loads()).toBe(2);
  });

  it('keeps at most maxEntries: the expired go first, then the oldest', async () => {
    let now = 0;
    const cache = createTtlCache<string>({ ttlMs: 100, now: () => now, maxEntries: 2 });
    let loads = 0;
    const load = (value: string) => async () => {
      loads += 1;
      return value;
    };
    await cache.get('a', load('a'));
    now = 50;
    await cache.get('b', load('b'));
    now = 120;
    // 'a' has expired: it makes room for 'c', and 'b' is still kept.
    await cache.get('c', load('c'));
    expect(await cache.get('b', load('b again'))).toBe('b');
    // Full of live entries: the oldest ('b') goes for 'd'.
    await cache.get('d', load('d'));
    expect(await cache.get('c', load('c again'))).toBe('c');
    expect(await cache.get('b', load('b again'))).toBe('b again');
    expect(loads).toBe(5);
  });
});
