import { DomainError, MethodNotAllowedError } from '../domain/errors.js';
import type { HttpRequest, HttpResponse } from './fc-http-event.js';

/**
 * A small typed router: `{id}` segments become params. Kept in-house because middy's router reads
 * API Gateway event shapes, and ours are Function Compute's.
 */
type RouteHandler<TContext> = (
  request: HttpRequest,
  params: Record<string, string>,
  context: TContext,
) => Promise<HttpResponse>;

interface Route<TContext> {
  method: string;
  path: string;
  handler: RouteHandler<TContext>;
}

interface CompiledRoute<TContext> extends Route<TContext> {
  pattern: RegExp;
  names: string[];
  /** Characters outside `{params}`: of two templates matching a path, the longer one owns it. */
  literalLength: number;
}

const escapeLiteral = (text: string): string => text.replace(/[.*+?^${}()|[\]\\:]/g, '\\$&');

/** `{name}` may fill a segment or part of one (`{id}:revoke`); a param never spans a `/`. */
const compile = <TContext>(route: Route<TContext>): CompiledRoute<TContext> => {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) =>
      segment
        .split(/(\{\w+\})/)
        .map((part) => {
          const match = /^\{(\w+)\}$/.exec(part);
          if (!match?.[1]) return escapeLiteral(part);
          names.push(match[1]);
          return '([^/]+?)';
        })
        .join(''),
    )
    .join('/');
  const literalLength = route.path.replace(/\{\w+\}/g, '').length;
  return { ...route, pattern: new RegExp(`^${source}/?$`), names, literalLength };
};

const createRouter = <TContext>(routes: readonly Route<TContext>[]) => {
  const compiled = routes.map(compile);
  return async (request: HttpRequest, context: TContext): Promise<HttpResponse> => {
    const candidates = compiled
      .map((route) => ({ route, match: route.pattern.exec(request.path) }))
      .filter((entry) => entry.match !== null);
    if (candidates.length === 0) throw new DomainError('NOT_FOUND', `no route for ${request.path}`);
    // `/x/{id}:enable` also matches `/x/{id}` (an id may hold a colon): the most specific
    // template owns the path, so a DELETE of `/x/1:enable` is a 405, not a DELETE of `1:enable`.
    const specific = Math.max(...candidates.map((entry) => entry.route.literalLength));
    const matches = candidates.filter((entry) => entry.route.literalLength === specific);
    const served = new Set(matches.map((entry) => entry.route.method));
    // HEAD is served wherever GET is (RFC 9110 §9.3.2), OPTIONS everywhere a route is.
    if (served.has('GET')) served.add('HEAD');
    served.add('OPTIONS');
    if (request.method === 'OPTIONS') {
      const allow = [...served].join(', ');
      return { statusCode: 204, headers: { allow }, body: '', isBase64Encoded: false };
    }
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const hit = matches.find((entry) => entry.route.method === method);
    if (!hit?.match) {
      throw new MethodNotAllowedError(`${request.method} is not allowed on ${request.path}`, [
        ...served,
      ]);
    }
    const params: Record<string, string> = {};
    for (const [index, name] of hit.route.names.entries()) {
      try {
        params[name] = decodeURIComponent(hit.match[index + 1] ?? '');
      } catch {
        // A malformed percent escape names nothing we have.
        throw new DomainError('NOT_FOUND', `no route for ${request.path}`);
      }
    }
    const response = await hit.route.handler(request, params, context);
    // The GET's status and headers, no body (content-length is the transport's to set).
    return request.method === 'HEAD' ? { ...response, body: '' } : response;
  };
};

export type { Route, RouteHandler };
export { createRouter };
