import { describe, expect, it } from 'vitest';
import { withTlsDefaults } from '../../shared/store/database-tls.js';

describe('TLS defaults for DATABASE_URL', () => {
  it('asks for verify-full (libpq semantics) when a remote URL names no sslmode', () => {
    const { url, tls } = withTlsDefaults('postgres://askp:pw@pgm-1.pg.rds.aliyuncs.com:5432/askp');
    expect(tls).toBe('default-verify-full');
    const params = new URL(url).searchParams;
    expect(params.get('sslmode')).toBe('verify-full');
    expect(params.get('uselibpqcompat')).toBe('true');
    // Nothing else changes: user, password, host, port and database stay as given.
    expect(url.startsWith('postgres://askp:pw@pgm-1.pg.rds.aliyuncs.com:5432/askp?')).toBe(true);
  });

  it.each([
    'postgres://u@127.0.0.1:5432/test',
    'postgres://u@127.8.9.10/test',
    'postgres://u@localhost/test',
    'postgres://u@[::1]:5432/test',
    'postgres://u@db/test?host=/var/run/postgresql',
  ])('leaves a loopback or Unix-socket URL alone: %s', (url) => {
    expect(withTlsDefaults(url)).toEqual({ url, tls: 'loopback' });
  });

  it.each(['disable', 'prefer', 'require', 'verify-ca', 'verify-full'])(
    'honours sslmode=%s with its libpq meaning',
    (mode) => {
      const { url, tls } = withTlsDefaults(
        `postgres://u@db.internal/askp?sslmode=${mode}&sslrootcert=/code/certs/rds-ca.pem`,
      );
      expect(tls).toBe('explicit');
      const params = new URL(url).searchParams;
      expect(params.get('sslmode')).toBe(mode);
      expect(params.get('sslrootcert')).toBe('/code/certs/rds-ca.pem');
      expect(params.get('uselibpqcompat')).toBe('true');
    },
  );

  it("passes pg's own no-verify and ssl= forms through untouched", () => {
    for (const url of [
      'postgres://u@db.internal/a?sslmode=no-verify',
      'postgres://u@db.internal/a?ssl=true',
    ]) {
      expect(withTlsDefaults(url)).toEqual({ url, tls: 'explicit' });
    }
  });

  it('treats an IPv4-mapped loopback address as remote (it is not spelled as loopback)', () => {
    expect(withTlsDefaults('postgres://u@[::ffff:127.0.0.1]/a').tls).toBe('default-verify-full');
  });
});
