import { isIP } from 'node:net';

/**
 * TLS to PostgreSQL is on by default for every host but loopback: a `postgres://` URL to any other
 * host without `sslmode` gets `sslmode=verify-full` (encrypted, the certificate checked against
 * the trusted CAs and the host name). An explicit `sslmode` is honoured with libpq's meaning
 * (`disable`, `prefer`, `require`, `verify-ca`, `verify-full`; PostgreSQL docs, "SSL Support"),
 * which `pg` applies only when asked (`uselibpqcompat=true`, pg-connection-string); `sslrootcert`
 * names a CA file such as ApsaraDB RDS's (docs/deploy.md). `pg`'s own `no-verify` passes as is.
 */
const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain']);

const isLoopback = (host: string): boolean => {
  const bare = host.replace(/^\[|\]$/g, '');
  if (LOOPBACK_NAMES.has(bare.toLowerCase())) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1';
  return false;
};

type TlsPolicy = 'loopback' | 'default-verify-full' | 'explicit';

/** The connection string `pg` gets, and why. Never changes anything but the query string. */
const withTlsDefaults = (connectionString: string): { url: string; tls: TlsPolicy } => {
  const url = new URL(connectionString);
  // A Unix socket (`?host=/var/run/postgresql`) or a loopback address never leaves the machine.
  const socketHost = url.searchParams.get('host');
  if (socketHost?.startsWith('/') || (url.hostname !== '' && isLoopback(url.hostname))) {
    return { url: connectionString, tls: 'loopback' };
  }
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode === 'no-verify' || url.searchParams.has('ssl')) {
    return { url: connectionString, tls: 'explicit' };
  }
  if (!url.searchParams.has('uselibpqcompat')) url.searchParams.set('uselibpqcompat', 'true');
  if (sslmode === null) {
    url.searchParams.set('sslmode', 'verify-full');
    return { url: url.toString(), tls: 'default-verify-full' };
  }
  return { url: url.toString(), tls: 'explicit' };
};

export type { TlsPolicy };
export { isLoopback, withTlsDefaults };
