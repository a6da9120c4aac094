import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterNameFor } from '../../shared/domain/cluster-name.js';
import { CLUSTER_NAME_PATTERN } from '../../shared/domain/cluster-spec.js';
import { newId } from '../../shared/ids.js';

const validNameArb = fc.stringMatching(CLUSTER_NAME_PATTERN);
/** Provision ids as shared/ids.ts makes them: `prv_` + 26 lower-case base32 characters. */
const provisionIdArb = fc
  .stringMatching(/^[0-9abcdefghjkmnpqrstvwxyz]{26}$/)
  .map((body) => `prv_${body}`);

describe('clusterNameFor', () => {
  it('is the name, a dash and the last ten characters of the provision id', () => {
    expect(clusterNameFor({ name: 'demo', provisionId: 'prv_01hzzzzzzzabcdefghjk' })).toBe(
      'demo-abcdefghjk',
    );
    expect(clusterNameFor({ name: 'demo', provisionId: 'prv_0123456789abcdefghjkmnpqrs' })).toBe(
      'demo-ghjkmnpqrs',
    );
  });

  it('is deterministic: the same provision always gets the same name', () => {
    fc.assert(
      fc.property(validNameArb, provisionIdArb, (name, provisionId) => {
        expect(clusterNameFor({ name, provisionId })).toBe(clusterNameFor({ name, provisionId }));
      }),
    );
  });

  it('gives a valid ACK cluster name of at most 63 characters for any valid name', () => {
    fc.assert(
      fc.property(validNameArb, provisionIdArb, (name, provisionId) => {
        const clusterName = clusterNameFor({ name, provisionId });
        expect(clusterName.length).toBeLessThanOrEqual(63);
        expect(clusterName).toMatch(CLUSTER_NAME_PATTERN);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the caller’s name recognisable: the name (or its start) comes first', () => {
    fc.assert(
      fc.property(validNameArb, provisionIdArb, (name, provisionId) => {
        const clusterName = clusterNameFor({ name, provisionId });
        const base = clusterName.slice(0, clusterName.lastIndexOf('-'));
        expect(name.startsWith(base)).toBe(true);
        expect(base.length).toBeGreaterThan(0);
      }),
    );
  });

  it('never leaves the base ending in "-" (no "--" before the suffix)', () => {
    fc.assert(
      fc.property(validNameArb, provisionIdArb, (name, provisionId) => {
        const clusterName = clusterNameFor({ name, provisionId });
        const suffix = provisionId.slice(-10);
        expect(clusterName.endsWith(`-${suffix}`)).toBe(true);
        expect(clusterName.slice(0, -suffix.length - 1).endsWith('-')).toBe(false);
      }),
    );
    expect(clusterNameFor({ name: 'demo---', provisionId: 'prv_0123456789abcdefghjkmnpqrs' })).toBe(
      'demo-ghjkmnpqrs',
    );
    const truncatedAtDash = `${'a'.repeat(51)}-${'b'.repeat(11)}`;
    expect(truncatedAtDash).toMatch(CLUSTER_NAME_PATTERN);
    expect(
      clusterNameFor({ name: truncatedAtDash, provisionId: 'prv_0123456789abcdefghjkmnpqrs' }),
    ).toBe(`${'a'.repeat(51)}-ghjkmnpqrs`);
  });

  it('cuts a 63-character name so that the whole fits in 63', () => {
    const name = 'x'.repeat(63);
    const clusterName = clusterNameFor({ name, provisionId: 'prv_0123456789abcdefghjkmnpqrs' });
    expect(clusterName).toBe(`${'x'.repeat(52)}-ghjkmnpqrs`);
    expect(clusterName).toHaveLength(63);
  });

  it('gives different provisions with the same name different cluster names', () => {
    const ids = Array.from({ length: 500 }, () => newId('prv'));
    const names = new Set(ids.map((provisionId) => clusterNameFor({ name: 'same', provisionId })));
    expect(names.size).toBe(ids.length);
  });

  it('gives different names to provisions created in the same millisecond', () => {
    const now = Date.UTC(2026, 0, 1);
    const ids = Array.from({ length: 200 }, () => newId('prv', now));
    const names = new Set(ids.map((provisionId) => clusterNameFor({ name: 'ci', provisionId })));
    expect(names.size).toBe(ids.length);
  });

  it('gives distinct provision ids distinct names (property over id suffixes)', () => {
    fc.assert(
      fc.property(validNameArb, provisionIdArb, provisionIdArb, (name, a, b) => {
        fc.pre(a.slice(-10) !== b.slice(-10));
        expect(clusterNameFor({ name, provisionId: a })).not.toBe(
          clusterNameFor({ name, provisionId: b }),
        );
      }),
    );
  });
});
