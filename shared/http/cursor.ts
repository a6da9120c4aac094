import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../domain/errors.js';
import type { ServiceKeyStore } from '../store/service-key.port.js';

/**
 * Opaque page cursors: base64url of `{"k": <list>, "a": <last id of the page>}`, a `.`, and an
 * HMAC-SHA256 (first 16 bytes, base64url) over the first part under the service's `cursor` key
 * (service_keys, the same on every instance). Callers must not build them: a cursor from another
 * list, edited in any byte, or signed under another key is a 400 on `cursor`.
 */
const MAX_CURSOR_LENGTH = 240;
const MAC_BYTES = 16;

/** The signing key's name in service_keys. */
const CURSOR_KEY_NAME = 'cursor';

/** The cursor key, made on first use (a random 32 bytes) and the same for every instance. */
const loadCursorKey = async (deps: { store: ServiceKeyStore; now: Date }): Promise<Buffer> =>
  Buffer.from(
    await deps.store.serviceKey({
      name: CURSOR_KEY_NAME,
      candidate: randomBytes(32).toString('base64url'),
      at: deps.now,
    }),
    'base64url',
  );

const macOf = (key: Buffer, payload: string): Buffer =>
  createHmac('sha256', key).update(payload).digest().subarray(0, MAC_BYTES);

const encodeCursor = (key: Buffer, kind: string, afterId: string): string => {
  const payload = Buffer.from(JSON.stringify({ k: kind, a: afterId }), 'utf8').toString(
    'base64url',
  );
  return `${payload}.${macOf(key, payload).toString('base64url')}`;
};

const badCursor = (): ValidationError =>
  new ValidationError('cursor: cursor is not a cursor this list handed out', [
    { field: 'cursor', message: 'cursor is not a cursor this list handed out' },
  ]);

const decodeCursor = (key: Buffer, kind: string, cursor: string, idPattern: RegExp): string => {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(cursor);
  if (cursor.length > MAX_CURSOR_LENGTH || !match?.[1] || !match[2]) throw badCursor();
  const [, payload, mac] = match;
  const given = Buffer.from(mac, 'base64url');
  const expected = macOf(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw badCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (typeof parsed !== 'object' || parsed === null || !('k' in parsed) || !('a' in parsed)) {
    throw badCursor();
  }
  const { k, a } = parsed;
  if (k !== kind || typeof a !== 'string' || !idPattern.test(a)) throw badCursor();
  return a;
};

export { decodeCursor, encodeCursor, loadCursorKey, MAX_CURSOR_LENGTH };
