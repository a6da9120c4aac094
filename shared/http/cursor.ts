import { DomainError } from '../domain/errors.js';

/**
 * Opaque page cursors: base64url of `{"k": <list>, "a": <last id of the page>}`. Callers must not
 * build them; a cursor from another list, or one that was tampered with, is a 400 on `cursor`.
 */
const MAX_CURSOR_LENGTH = 200;

const encodeCursor = (kind: string, afterId: string): string =>
  Buffer.from(JSON.stringify({ k: kind, a: afterId }), 'utf8').toString('base64url');

const badCursor = (): DomainError =>
  new DomainError('VALIDATION_FAILED', 'cursor is not a cursor this list handed out', {
    field: 'cursor',
  });

const decodeCursor = (kind: string, cursor: string, idPattern: RegExp): string => {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
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

export { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH };
