import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The emulators' STS tokens. Function Compute hands a function its role's STS credentials, and
 * they expire; Alibaba's gateways then refuse them (POP APIs: `InvalidSecurityToken.Expired`).
 * To test that a long-lived function instance picks up fresh credentials, the emulators (ACK and
 * its VPC API, MNS, KMS) recognise tokens of one form and refuse them once expired:
 *
 *   emu-sts.<expiry, epoch seconds>.<first 16 hex of HMAC-SHA256(accessKeySecret, expiry)>
 *
 * The HMAC binds the token to the emulator's key pair (as a real token belongs to its STS access
 * key); a forged or foreign one is refused like a token of another key. Any other token is
 * checked as before (the `securityToken` option, exact match). Each emulator reads the expiry
 * against its `tokenNow` clock (default `Date.now`), so a test moves it instead of waiting.
 */
const PREFIX = 'emu-sts';
const TOKEN = /^emu-sts\.(\d{1,12})\.([0-9a-f]{16})$/;

const macOf = (accessKeySecret: string, expiresAtSeconds: string): string =>
  createHmac('sha256', accessKeySecret)
    .update(`${PREFIX}.${expiresAtSeconds}`)
    .digest('hex')
    .slice(0, 16);

/** A token the emulators accept for this key pair until `expiresAt` (for tests and tools). */
const issueSecurityToken = (input: { accessKeySecret: string; expiresAt: Date }): string => {
  const seconds = String(Math.floor(input.expiresAt.getTime() / 1000));
  return `${PREFIX}.${seconds}.${macOf(input.accessKeySecret, seconds)}`;
};

type TokenCheck = 'valid' | 'expired' | 'foreign' | 'not-emulated';

const checkSecurityToken = (
  token: string,
  input: { accessKeySecret: string; now: number },
): TokenCheck => {
  const match = TOKEN.exec(token);
  if (match === null) return token.startsWith(`${PREFIX}.`) ? 'foreign' : 'not-emulated';
  const [, seconds = '', mac = ''] = match;
  const expected = Buffer.from(macOf(input.accessKeySecret, seconds));
  if (!timingSafeEqual(expected, Buffer.from(mac))) return 'foreign';
  return Number(seconds) * 1000 <= input.now ? 'expired' : 'valid';
};

export type { TokenCheck };
export { checkSecurityToken, issueSecurityToken };
