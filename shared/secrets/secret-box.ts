import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for the secrets the service must be able to read back (tenants' webhook
 * signing secrets): AES-256-GCM under a 32-byte key from a key provider (key-file.ts locally).
 * A sealed value is `askp-sealed:v1:<base64url of iv(12) | tag(16) | ciphertext>`; a value without
 * that prefix was stored before sealing existed and is returned as it is, so old rows stay
 * readable and are sealed when next written (rotation).
 */
interface SecretBox {
  seal(plain: string): string;
  open(stored: string): string;
}

const PREFIX = 'askp-sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const createSecretBox = (key: Buffer): SecretBox => {
  if (key.length !== 32) throw new Error('the secrets key must be 32 bytes');
  return {
    seal: (plain) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    open: (stored) => {
      if (!stored.startsWith(PREFIX)) return stored;
      const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      // A wrong key or an edited value throws here: never sign with a secret we cannot trust.
      return Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    },
  };
};

/** No key configured: values are stored as they are (see docs/security.md). */
const plainBox: SecretBox = { seal: (plain) => plain, open: (stored) => stored };

const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

export type { SecretBox };
export { createSecretBox, isSealed, plainBox };
