import { kubeErrors } from './errors.js';

/**
 * `limit` and `continue` on list calls. The token is opaque to clients (base64url JSON of the last
 * key returned), and the next page starts after that key. A real API server also pins the page
 * to the first page's etcd revision; the emulator lists the current objects instead, so an object
 * created between two pages may show up on the second.
 */

interface Page<T> {
  items: T[];
  continueToken: string | undefined;
  remainingItemCount: number | undefined;
}

const encodeContinue = (lastKey: string): string =>
  Buffer.from(JSON.stringify({ v: 1, after: lastKey })).toString('base64url');

const decodeContinue = (token: string): string => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null) {
      const after: unknown = Reflect.get(parsed, 'after');
      if (typeof after === 'string') return after;
    }
  } catch {
    // Reported below, like any other malformed token.
  }
  throw kubeErrors.badRequest('continue key is not valid: the token was not issued by this server');
};

const parseLimit = (raw: string | null): number | undefined => {
  if (raw === null || raw === '') return undefined;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 0) {
    throw kubeErrors.badRequest(`invalid value for limit: ${raw}`);
  }
  // limit=0 means "no limit", as on a real API server.
  return limit === 0 ? undefined : limit;
};

/** `items` must be sorted by `keyOf`. */
const paginate = <T>(items: T[], keyOf: (item: T) => string, query: URLSearchParams): Page<T> => {
  const limit = parseLimit(query.get('limit'));
  const token = query.get('continue');
  const after = token === null || token === '' ? undefined : decodeContinue(token);
  const rest = after === undefined ? items : items.filter((item) => keyOf(item) > after);
  if (limit === undefined || rest.length <= limit) {
    return { items: rest, continueToken: undefined, remainingItemCount: undefined };
  }
  const page = rest.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page,
    continueToken: last === undefined ? undefined : encodeContinue(keyOf(last)),
    remainingItemCount: rest.length - page.length,
  };
};

export type { Page };
export { paginate };
