import { DomainError } from '../domain/errors.js';

/**
 * The Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header): an RFC 8941 sf-string,
 * `Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324"`. Leniently, a bare token without
 * quotes is taken as the same key. At most 255 characters, printable ASCII; one header only.
 */
const MAX_KEY_LENGTH = 255;

/** sf-string: DQUOTE *( unescaped / "\" ( DQUOTE / "\" ) ) DQUOTE, unescaped = %x20-21 / %x23-5B / %x5D-7E. */
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;
/** The lenient form: visible ASCII without quotes, backslashes, commas or semicolons. */
const BARE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+$/;

const invalid = (why: string): DomainError =>
  new DomainError(
    'VALIDATION_FAILED',
    `Idempotency-Key ${why}; send one quoted string of up to ${MAX_KEY_LENGTH} characters, e.g. Idempotency-Key: "<uuid>"`,
    { field: 'Idempotency-Key' },
  );

/** The key, `undefined` when the header is absent; throws VALIDATION_FAILED when malformed. */
const parseIdempotencyKey = (header: string | undefined): string | undefined => {
  if (header === undefined) return undefined;
  const text = header.trim();
  const quoted = SF_STRING.exec(text);
  let key: string;
  if (quoted) {
    key = (quoted[1] ?? '').replace(/\\(["\\])/g, '$1');
  } else if (BARE.test(text)) {
    key = text;
  } else {
    throw invalid('is not a structured-field string');
  }
  if (key.length === 0) throw invalid('is empty');
  if (key.length > MAX_KEY_LENGTH) throw invalid(`is longer than ${MAX_KEY_LENGTH} characters`);
  return key;
};

export { MAX_KEY_LENGTH, parseIdempotencyKey };
