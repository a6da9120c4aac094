import { describe, expect, it } from 'vitest';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { DomainError } from '../../shared/domain/errors.js';
import { lifetimeOf, resolveCreateExpiry } from '../../shared/domain/expiry.js';
import {
  MAX_IDS_PER_REASON,
  newJanitorRun,
  recordOutcome,
  recordSkip,
} from '../../shared/domain/janitor-run.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const HOUR = 3_600_000;
const BASE = { name: 'demo', region: 'cn-hangzhou' } as const;
const NO_DEFAULTS = { defaultTtl: null, defaultIdleAfter: null };

const issuePaths = (input: unknown): string[] => {
  const result = createClusterRequestSchema.safeParse(input);
  if (result.success) throw new Error(`expected rejection of ${JSON.stringify(input)}`);
  return result.error.issues.map((issue) => issue.path.map(String).join('.'));
};

describe('create request: expiresAt and idleAfter', () => {
  it('accepts an absolute expiresAt with an offset, and idleAfter within 15m–30d', () => {
    const spec = createClusterRequestSchema.parse({
      ...BASE,
      expiresAt: '2026-03-02T08:00:00+08:00',
      idleAfter: '2h',
    });
    expect(spec).toMatchObject({ expiresAt: '2026-03-02T08:00:00+08:00', idleAfter: '2h' });
  });

  it('refuses ttl together with expiresAt, naming expiresAt', () => {
    expect(issuePaths({ ...BASE, ttl: '8h', expiresAt: '2026-03-02T00:00:00Z' })).toEqual([
      'expiresAt',
    ]);
  });

  it.each(['14m', '31d', '2w', 'soon', ''])('refuses idleAfter %s', (idleAfter) => {
    expect(issuePaths({ ...BASE, idleAfter })).toContain('idleAfter');
  });

  it('refuses an expiresAt that is not an ISO datetime', () => {
    expect(issuePaths({ ...BASE, expiresAt: 'tomorrow' })).toEqual(['expiresAt']);
  });
});

describe('resolveCreateExpiry', () => {
  it('counts a ttl from now', () => {
    expect(resolveCreateExpiry({ ttl: '8h' }, NOW)).toEqual(new Date(NOW.getTime() + 8 * HOUR));
  });

  it('takes an absolute expiresAt in the future within 30 days as it is', () => {
    expect(resolveCreateExpiry({ expiresAt: '2026-03-02T08:00:00+08:00' }, NOW)).toEqual(
      new Date('2026-03-02T00:00:00.000Z'),
    );
  });

  it.each([
    ['in the past', '2026-03-01T11:59:59Z'],
    ['now', '2026-03-01T12:00:00Z'],
    ['beyond 30 days', '2026-04-01T12:00:01Z'],
  ])('refuses an expiresAt %s, naming the field', (_why, expiresAt) => {
    let caught: unknown;
    try {
      resolveCreateExpiry({ expiresAt }, NOW);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect(caught).toMatchObject({ code: 'VALIDATION_FAILED', field: 'expiresAt' });
  });

  it('falls back to the tenant default ttl, and to no expiry', () => {
    expect(resolveCreateExpiry({}, NOW, '1h')).toEqual(new Date(NOW.getTime() + HOUR));
    expect(resolveCreateExpiry({}, NOW)).toBeNull();
  });
});

describe('lifetimeOf', () => {
  const spec = (extra: object) => createClusterRequestSchema.parse({ ...BASE, ...extra });

  it('stores no expiresAt in the spec: the row keeps it', () => {
    const result = lifetimeOf(spec({ expiresAt: '2026-03-01T20:00:00Z' }), NO_DEFAULTS, NOW);
    expect(result.expiresAt).toEqual(new Date('2026-03-01T20:00:00Z'));
    expect(result.spec).not.toHaveProperty('expiresAt');
    expect(result.spec).not.toHaveProperty('ttl');
  });

  it("applies the tenant's defaults only where the request named no policy", () => {
    const defaults = { defaultTtl: '4h', defaultIdleAfter: '30m' };
    const bare = lifetimeOf(spec({}), defaults, NOW);
    expect(bare.spec).toMatchObject({ ttl: '4h', idleAfter: '30m' });
    expect(bare.expiresAt).toEqual(new Date(NOW.getTime() + 4 * HOUR));
    const own = lifetimeOf(spec({ ttl: '1h', idleAfter: '2h' }), defaults, NOW);
    expect(own.spec).toMatchObject({ ttl: '1h', idleAfter: '2h' });
    const absolute = lifetimeOf(spec({ expiresAt: '2026-03-01T13:00:00Z' }), defaults, NOW);
    expect(absolute.spec).not.toHaveProperty('ttl');
    expect(absolute.expiresAt).toEqual(new Date('2026-03-01T13:00:00Z'));
  });

  it('yields a spec that reads back through the request schema unchanged', () => {
    const { spec: stored } = lifetimeOf(
      spec({ expiresAt: '2026-03-01T20:00:00Z', idleAfter: '1h' }),
      { defaultTtl: '4h', defaultIdleAfter: null },
      NOW,
    );
    expect(createClusterRequestSchema.parse(stored)).toEqual(stored);
  });
});

describe('janitor run report', () => {
  it('counts each decision once and keeps what it did per provision', () => {
    const run = newJanitorRun({ id: 'jnr_1', startedAt: NOW, mode: 'live' });
    recordOutcome(run, 'prv_a', { action: 'warn', reason: 'ttl', deleteAt: NOW, message: 'm' });
    recordOutcome(run, 'prv_b', { action: 'delete', reason: 'idle', message: 'gone' });
    recordOutcome(run, 'prv_c', { action: 'cancel', reason: 'idle', why: 'activity' });
    recordOutcome(run, 'prv_d', { action: 'none' });
    recordOutcome(run, 'prv_e', { action: 'skip', skip: 'keep-label', detail: 'keep' });
    expect(run).toMatchObject({ warned: 1, deleted: 1, cancelled: 1 });
    expect(run.skipped).toEqual({ 'keep-label': { count: 1, ids: ['prv_e'] } });
    expect(run.actions.map((action) => `${action.provisionId}:${action.action}`)).toEqual([
      'prv_a:warn',
      'prv_b:delete',
      'prv_c:cancel',
      'prv_e:skip',
    ]);
  });

  it('counts every skip but lists a bounded number of ids per reason', () => {
    const run = newJanitorRun({ id: 'jnr_1', startedAt: NOW, mode: 'dry-run' });
    for (let i = 0; i < MAX_IDS_PER_REASON + 5; i += 1) recordSkip(run, `prv_${i}`, 'error', 'x');
    expect(run.skipped.error?.count).toBe(MAX_IDS_PER_REASON + 5);
    expect(run.skipped.error?.ids).toHaveLength(MAX_IDS_PER_REASON);
  });
});
