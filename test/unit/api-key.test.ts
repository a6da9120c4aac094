import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateApiKey,
  hashSecret,
  hasScope,
  parseApiKey,
  SCOPES,
  secretMatches,
} from '../../shared/http/api-key.js';
import type { ApiKeyRecord } from '../../shared/store/store.port.js';

const recordFor = (secret: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  id: 'abcdef0123456789',
  tenantId: 'ten_1',
  secretHash: hashSecret(secret),
  scopes: ['clusters:read'],
  expiresAt: null,
  revokedAt: null,
  createdAt: new Date('2026-01-01T00:00:00.000Z'),
  name: null,
  lastUsedAt: null,
  ...overrides,
});

const VALID_SECRET = 'A'.repeat(32);

describe('generateApiKey', () => {
  it('makes askp_<id>_<secret> keys that parse back to the same id and secret', () => {
    for (let i = 0; i < 200; i += 1) {
      const generated = generateApiKey();
      expect(generated.key).toBe(`askp_${generated.id}_${generated.secret}`);
      expect(parseApiKey(generated.key)).toEqual({ id: generated.id, secret: generated.secret });
    }
  });

  it('uses a 16-hex-character id and a 43-character base64url secret (32 bytes)', () => {
    const { id, secret } = generateApiKey();
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
  });

  it('never repeats a key', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey().key));
    expect(keys.size).toBe(200);
  });

  it('makes keys whose secret matches the record stored for it', () => {
    const { secret } = generateApiKey();
    expect(secretMatches(recordFor(secret), secret)).toBe(true);
  });
});

describe('parseApiKey', () => {
  it('splits at the first "_" after the id, so secrets may contain "_"', () => {
    expect(parseApiKey(`askp_abcd1234_${'_'.repeat(32)}`)).toEqual({
      id: 'abcd1234',
      secret: '_'.repeat(32),
    });
    expect(parseApiKey(`askp_abcd1234_a_b-${'c'.repeat(30)}`)).toEqual({
      id: 'abcd1234',
      secret: `a_b-${'c'.repeat(30)}`,
    });
  });

  it.each([
    ['empty', ''],
    ['no prefix', `abcd1234_${VALID_SECRET}`],
    ['a wrong prefix', `ask_abcd1234_${VALID_SECRET}`],
    ['an upper-case prefix', `ASKP_abcd1234_${VALID_SECRET}`],
    ['a 7-character id', `askp_abcd123_${VALID_SECRET}`],
    ['a 33-character id', `askp_${'a'.repeat(33)}_${VALID_SECRET}`],
    ['an upper-case id', `askp_ABCD1234_${VALID_SECRET}`],
    ['a 31-character secret', `askp_abcd1234_${'A'.repeat(31)}`],
    ['a 129-character secret', `askp_abcd1234_${'A'.repeat(129)}`],
    ['base64 padding in the secret', `askp_abcd1234_${'A'.repeat(32)}=`],
    ['a "+" in the secret', `askp_abcd1234_${'A'.repeat(32)}+`],
    ['a leading space', ` askp_abcd1234_${VALID_SECRET}`],
    ['a trailing newline', `askp_abcd1234_${VALID_SECRET}\n`],
    ['a Bearer prefix', `Bearer askp_abcd1234_${VALID_SECRET}`],
    ['no secret', 'askp_abcd1234_'],
    ['no separator', `askp_abcd1234${VALID_SECRET}`],
  ])('rejects a key with %s', (_why, key) => {
    expect(parseApiKey(key)).toBeUndefined();
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseApiKey(text);
        if (parsed) expect(`askp_${parsed.id}_${parsed.secret}`).toBe(text);
      }),
    );
  });
});

describe('hashSecret and secretMatches', () => {
  it('stores the hex SHA-256 of the secret', () => {
    expect(hashSecret('s3cret')).toBe(createHash('sha256').update('s3cret').digest('hex'));
    expect(hashSecret('s3cret')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches the right secret', () => {
    expect(secretMatches(recordFor(VALID_SECRET), VALID_SECRET)).toBe(true);
  });

  it('does not match a wrong secret, however close', () => {
    const record = recordFor(VALID_SECRET);
    expect(secretMatches(record, `${'A'.repeat(31)}B`)).toBe(false);
    expect(secretMatches(record, 'A'.repeat(31))).toBe(false);
    expect(secretMatches(record, '')).toBe(false);
    expect(secretMatches(record, VALID_SECRET.toLowerCase())).toBe(false);
  });

  it('returns false rather than throwing on a corrupt stored hash', () => {
    for (const secretHash of ['', 'zz', 'abcd', hashSecret(VALID_SECRET).slice(0, 62)]) {
      expect(secretMatches(recordFor(VALID_SECRET, { secretHash }), VALID_SECRET), secretHash).toBe(
        false,
      );
    }
  });

  it('matches exactly when the secrets are equal (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (stored, given) => {
        expect(secretMatches(recordFor(stored), given)).toBe(stored === given);
      }),
    );
  });
});

describe('hasScope', () => {
  it('grants every scope to admin', () => {
    for (const scope of SCOPES) expect(hasScope(['admin'], scope)).toBe(true);
  });

  it('grants exactly the listed scopes otherwise', () => {
    const scopes = ['clusters:read'];
    expect(hasScope(scopes, 'clusters:read')).toBe(true);
    expect(hasScope(scopes, 'clusters:write')).toBe(false);
    expect(hasScope(scopes, 'kubeconfig:read')).toBe(false);
    expect(hasScope(scopes, 'admin')).toBe(false);
  });

  it('does not let write imply read, or read imply kubeconfig access', () => {
    expect(hasScope(['clusters:write'], 'clusters:read')).toBe(false);
    expect(hasScope(['clusters:read', 'clusters:write'], 'kubeconfig:read')).toBe(false);
  });

  it('grants nothing to an empty scope list, and matches scope names exactly', () => {
    for (const scope of SCOPES) expect(hasScope([], scope)).toBe(false);
    expect(hasScope(['Admin', 'clusters:*', 'clusters'], 'clusters:read')).toBe(false);
  });
});
