import { describe, expect, it } from 'vitest';
import { KubeStatusError } from '../../emulator/kube/errors.js';
import { paginate } from '../../emulator/kube/paging.js';
import { parseFieldSelector, parseLabelSelector } from '../../emulator/kube/selectors.js';

const statusCodeOf = (run: () => unknown): number | undefined => {
  try {
    run();
  } catch (error) {
    if (error instanceof KubeStatusError) return error.code;
    throw error;
  }
  return undefined;
};

describe('emulated labelSelector', () => {
  const web = { app: 'web', tier: 'front' };
  const db = { app: 'db' };

  it.each<[string, boolean, boolean]>([
    ['', true, true],
    ['app=web', true, false],
    ['app==web', true, false],
    ['app!=web', false, true],
    ['tier', true, false],
    ['!tier', false, true],
    ['app in (web, db)', true, true],
    ['app notin (web)', false, true],
    ['tier notin (back)', true, true],
    ['app=web,tier=front', true, false],
    ['app in (web,db),!tier', false, true],
  ])('%j matches web %s, db %s', (selector, matchesWeb, matchesDb) => {
    const matches = parseLabelSelector(selector);
    expect([matches(web), matches(db)]).toEqual([matchesWeb, matchesDb]);
  });

  it('answers 400 for what it cannot parse (e.g. the numeric gt operator)', () => {
    expect(statusCodeOf(() => parseLabelSelector('replicas > 2'))).toBe(400);
    expect(statusCodeOf(() => parseLabelSelector('app=(web'))).toBe(400);
  });
});

describe('emulated fieldSelector', () => {
  const fields = { 'status.phase': (pod: { phase: string }) => pod.phase };

  it('supports = and != on known fields', () => {
    expect(parseFieldSelector('status.phase=Running', fields)({ phase: 'Running' })).toBe(true);
    expect(parseFieldSelector('status.phase!=Running', fields)({ phase: 'Running' })).toBe(false);
  });

  it('answers 400 "field label not supported" for unknown fields, as the API server does', () => {
    expect(statusCodeOf(() => parseFieldSelector('spec.priority=1', fields))).toBe(400);
  });
});

describe('emulated limit/continue paging', () => {
  const keys = ['a/1', 'a/2', 'b/1', 'b/2', 'c/1'];
  const page = (query: string) => paginate(keys, (key) => key, new URLSearchParams(query));

  it('walks every item exactly once with continue tokens', () => {
    const seen: string[] = [];
    let query = 'limit=2';
    for (;;) {
      const current = page(query);
      seen.push(...current.items);
      if (current.continueToken === undefined) break;
      expect(current.remainingItemCount).toBe(keys.length - seen.length);
      query = `limit=2&continue=${current.continueToken}`;
    }
    expect(seen).toEqual(keys);
  });

  it('limit=0 or no limit returns everything without a token', () => {
    expect(page('limit=0')).toEqual({
      items: keys,
      continueToken: undefined,
      remainingItemCount: undefined,
    });
    expect(page('').items).toEqual(keys);
  });

  it('rejects a continue token it did not issue with 400', () => {
    expect(statusCodeOf(() => page('limit=2&continue=bm90LWpzb24'))).toBe(400);
    expect(statusCodeOf(() => page('limit=-1'))).toBe(400);
  });
});
