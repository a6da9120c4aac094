import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRecord } from '../store/store.port.js';

/**
 * API keys look like `askp_<id>_<secret>`: the id is looked up, only the SHA-256 of the secret is
 * stored, and the comparison is constant-time. The secret has 32 random bytes, so a fast hash is
 * enough (no password stretching is needed for high-entropy secrets).
 */
const KEY_PATTERN = /^askp_([0-9a-z]{8,32})_([A-Za-z0-9_-]{32,128})$/;

const SCOPES = ['clusters:read', 'clusters:write', 'kubeconfig:read', 'admin'] as const;
type Scope = (typeof SCOPES)[number];

const hashSecret = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('hex');

const parseApiKey = (text: string): { id: string; secret: string } | undefined => {
  const match = KEY_PATTERN.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  return { id: match[1], secret: match[2] };
};

const generateApiKey = (): { id: string; secret: string; key: string } => {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, key: `askp_${id}_${secret}` };
};

const secretMatches = (record: ApiKeyRecord, secret: string): boolean => {
  const expected = Buffer.from(record.secretHash, 'hex');
  const actual = Buffer.from(hashSecret(secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
};

const hasScope = (scopes: readonly string[], scope: Scope): boolean =>
  scopes.includes('admin') || scopes.includes(scope);

export type { Scope };
export { generateApiKey, hashSecret, hasScope, parseApiKey, SCOPES, secretMatches };
