import { randomBytes } from 'node:crypto';

/**
 * Time-ordered ids: 10 base32 characters of milliseconds, then 16 of randomness (ULID-like, in
 * lower case so they are valid in ACK tag values and URLs). Sorting ids sorts by creation time,
 * which the list endpoint's cursor relies on.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

const encodeTime = (ms: number): string => {
  let value = ms;
  let out = '';
  for (let i = 0; i < 10; i += 1) {
    out = `${ALPHABET[value % 32] ?? '0'}${out}`;
    value = Math.floor(value / 32);
  }
  return out;
};

const encodeRandom = (length: number): string => {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % 32] ?? '0';
  return out;
};

const newId = (prefix: string, now: number = Date.now()): string =>
  `${prefix}_${encodeTime(now)}${encodeRandom(16)}`;

export { newId };
