import type { HttpRequest, HttpResponse } from './fc-http-event.js';

/**
 * CORS (the Fetch standard's protocol) for the origins the operator lists in ASKP_CORS_ORIGINS;
 * none by default, so a browser page elsewhere cannot read a reply. The API authenticates with a
 * bearer header, never cookies, so credentials are not allowed and `*` is safe to offer. A
 * preflight (OPTIONS with Access-Control-Request-Method) is answered by the router's OPTIONS
 * reply plus the headers below; the headers a page may read include the ones our contract uses.
 */
const ALLOWED_HEADERS = 'authorization, content-type, idempotency-key';

const EXPOSED_HEADERS = [
  'x-request-id',
  'location',
  'retry-after',
  'idempotent-replayed',
  'ratelimit',
  'ratelimit-policy',
  'www-authenticate',
  'allow',
].join(', ');

/** How long a browser may cache a preflight's answer, in seconds. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

const allowedOrigin = (origins: readonly string[], origin: string | undefined): string | null => {
  if (origin === undefined || origins.length === 0) return null;
  if (origins.includes('*')) return '*';
  return origins.includes(origin) ? origin : null;
};

/** The CORS headers one response gets (none for an origin not listed). */
const corsHeaders = (
  origins: readonly string[],
  request: HttpRequest,
  response: HttpResponse,
): Record<string, string> => {
  const allowed = allowedOrigin(origins, request.header('origin'));
  // The answer depends on Origin whenever any origin is configured: caches must key on it.
  const vary: Record<string, string> =
    origins.length > 0 && !origins.includes('*') ? { vary: 'Origin' } : {};
  if (allowed === null) return vary;
  const headers: Record<string, string> = {
    ...vary,
    'access-control-allow-origin': allowed,
    'access-control-expose-headers': EXPOSED_HEADERS,
  };
  const preflight =
    request.method === 'OPTIONS' && request.header('access-control-request-method') !== undefined;
  if (preflight) {
    headers['access-control-allow-methods'] = response.headers.allow ?? '';
    headers['access-control-allow-headers'] = ALLOWED_HEADERS;
    headers['access-control-max-age'] = String(PREFLIGHT_MAX_AGE_SECONDS);
  }
  return headers;
};

export { corsHeaders };
