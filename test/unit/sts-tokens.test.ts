import { describe, expect, it } from 'vitest';
import { checkSecurityToken, issueSecurityToken } from '../../emulator/sts/sts-tokens.js';
import { createCredentialsSource } from '../../shared/cloud/credentials.js';

describe("the emulators' STS tokens", () => {
  const secret = 'sts-unit-secret';
  const now = Date.parse('2026-06-01T00:00:00Z');
  const token = issueSecurityToken({ accessKeySecret: secret, expiresAt: new Date(now + 60_000) });

  it('are valid until their expiry and expired from then on', () => {
    expect(checkSecurityToken(token, { accessKeySecret: secret, now })).toBe('valid');
    expect(checkSecurityToken(token, { accessKeySecret: secret, now: now + 60_000 })).toBe(
      'expired',
    );
  });

  it('belong to the key pair that issued them; any other token is not the emulators’', () => {
    expect(checkSecurityToken(token, { accessKeySecret: 'another', now })).toBe('foreign');
    expect(checkSecurityToken('emu-sts.garbage', { accessKeySecret: secret, now })).toBe('foreign');
    expect(checkSecurityToken('CAIS-real-looking', { accessKeySecret: secret, now })).toBe(
      'not-emulated',
    );
  });
});

describe('a function instance’s credentials source', () => {
  const start = { accessKeyId: 'AK-env', accessKeySecret: 'env-secret', securityToken: 'T0' };

  it('starts from the environment and follows each invocation’s credentials', () => {
    const source = createCredentialsSource(() => start);
    expect(source.current()).toEqual(start);
    const next = { accessKeyId: 'AK-2', accessKeySecret: 's2', securityToken: 'T2' };
    expect(source.update(next)).toBe(true);
    expect(source.current()).toEqual(next);
    expect(source.update({ ...next })).toBe(false);
  });

  it('ignores what a context without a role carries ({}), keeping the last credentials', () => {
    const source = createCredentialsSource(() => start);
    expect(source.update({})).toBe(false);
    expect(source.update(undefined)).toBe(false);
    expect(source.update({ accessKeyId: 'x' })).toBe(false);
    expect(source.current()).toEqual(start);
  });

  it('drops an empty security token (a plain key pair)', () => {
    const source = createCredentialsSource(() => start);
    source.update({ accessKeyId: 'AK', accessKeySecret: 'S', securityToken: '' });
    expect(source.current()).toEqual({ accessKeyId: 'AK', accessKeySecret: 'S' });
  });
});
