import * as z from 'zod';
import type { Clock } from '../clock.js';
import type { ErrorCode } from '../domain/errors.js';
import type { Store } from '../store/store.port.js';
import type { Scope } from './api-key.js';
import type { ApiKeyCache } from './api-key-cache.js';
import {
  type AuditDoc,
  type AuditScribe,
  appendAudit,
  createAuditScribe,
  isNoAudit,
  type NoAudit,
} from './audit-trail.js';
import type { AuthThrottleConfig, BlockedAddresses } from './auth-throttle.js';
import { withAuthThrottle } from './auth-throttle.js';
import { authenticate, type Principal, requireScope } from './authenticate.js';
import type { HttpRequest, HttpResponse } from './fc-http-event.js';
import { parseJsonBody } from './json-body.js';
import { parseQuery, type QuerySchema } from './query.js';
import { enforceRateLimit } from './rate-limit.js';
import type { RateLimiter } from './rate-limiter.js';
import type { Route } from './router.js';

/**
 * An endpoint is a route plus the contract that describes it: the scope it needs, its query and
 * body schemas, its responses and the errors it can answer with. The same declaration validates
 * the request here and becomes the endpoint's operation in the OpenAPI document, so the two
 * cannot drift. Order for an authenticated endpoint: API key (401) → rate limit (429) → scope
 * (403) → query (400) → the handler, which parses the body when it is ready to (415/400).
 */

/** The body schema of an endpoint that takes none (a body sent anyway is ignored). */
const NO_BODY = z.undefined();

const takesNoBody = (schema: z.ZodType): boolean => schema === NO_BODY;

/** Response headers the document describes; every response also carries x-request-id. */
type ResponseHeaderName = 'Location' | 'Idempotent-Replayed';
/** Request headers an operation reads besides Authorization. */
type RequestHeaderName = 'Idempotency-Key';

interface ResponseDoc {
  description: string;
  /** The JSON body, and its name under components/schemas. */
  schema: z.ZodType;
  name: string;
  headers?: readonly ResponseHeaderName[];
  /** The body's media type; `application/json` unless told. */
  mediaType?: string;
}

interface EndpointDoc {
  /** Unique, camelCase; generated clients name their methods after it. */
  operationId: string;
  summary: string;
  description: string;
  tag: 'clusters' | 'webhooks' | 'admin' | 'service';
  /** The scope the API key needs; `null` for a public endpoint (no key, no rate limit). */
  scope: Scope | null;
  query: QuerySchema;
  body: z.ZodType;
  /** The body's name under components/schemas (when it takes one). */
  bodyName?: string;
  /** Media types of the body; `application/json` unless told. */
  bodyMediaTypes?: readonly string[];
  requestHeaders?: readonly RequestHeaderName[];
  /** The success responses by status. */
  responses: Readonly<Record<number, ResponseDoc>>;
  /** Errors the handler itself can answer with; the ones every endpoint shares are implied. */
  errors: readonly ErrorCode[];
}

interface ApiRoute<TContext> extends Route<TContext> {
  doc: EndpointDoc;
  /**
   * What the audit trail records of a 2xx (audit-trail.ts); every route but a GET must say, and
   * a non-GET that changes nothing says why (test/unit/audit-routes.test.ts holds them to it).
   */
  audit?: AuditDoc | NoAudit;
}

interface EndpointContext {
  store: Store;
  clock: Clock;
  config: { rateLimit: { perSecond: number; burst: number }; authThrottle: AuthThrottleConfig };
  blockedAddresses: BlockedAddresses;
  apiKeyCache: ApiKeyCache;
  rateLimiter: RateLimiter;
}

interface PublicInput<TContext, TQuery> {
  request: HttpRequest;
  params: Readonly<Record<string, string>>;
  app: TContext;
  query: TQuery;
}

interface EndpointInput<TContext, TQuery, TBody> extends PublicInput<TContext, TQuery> {
  principal: Principal;
  /** Parses the body against the declared schema; call it when the body is needed. */
  body: () => TBody;
  /** This request's audit record, for a handler that writes it in its own transaction. */
  audit: AuditScribe;
}

type DocOf<TQuery, TBody> = Omit<EndpointDoc, 'query' | 'body' | 'scope'> & {
  query: TQuery;
  body: TBody;
};

const defineEndpoint = <
  TContext extends EndpointContext,
  TQuery extends QuerySchema,
  TBody extends z.ZodType,
>(spec: {
  method: string;
  path: string;
  doc: DocOf<TQuery, TBody> & { scope: Scope };
  audit?: AuditDoc | NoAudit;
  handle: (
    input: EndpointInput<TContext, z.output<TQuery>, z.output<TBody>>,
  ) => Promise<HttpResponse>;
}): ApiRoute<TContext> => {
  const { doc } = spec;
  const audit = spec.audit === undefined || isNoAudit(spec.audit) ? undefined : spec.audit;
  return {
    method: spec.method,
    path: spec.path,
    doc,
    ...(spec.audit === undefined ? {} : { audit: spec.audit }),
    handler: async (request, params, app) => {
      const principal = await withAuthThrottle(app, request, () => authenticate(app, request));
      await enforceRateLimit(app, principal, request);
      requireScope(principal, doc.scope);
      const query = parseQuery(request, doc.query);
      const body = (): z.output<TBody> =>
        takesNoBody(doc.body) ? doc.body.parse(undefined) : parseJsonBody(request, doc.body);
      const scribe = createAuditScribe(app, audit?.action, request, principal);
      const response = await spec.handle({
        request,
        params,
        app,
        principal,
        query,
        body,
        audit: scribe,
      });
      // The change is made: a failure to record it is a 500, so the caller retries the
      // (idempotent) request and the retry is recorded.
      if (audit) await appendAudit(app, { doc: audit, scribe, params, principal, response });
      return response;
    },
  };
};

const definePublicEndpoint = <TContext, TQuery extends QuerySchema>(spec: {
  method: string;
  path: string;
  doc: Omit<DocOf<TQuery, typeof NO_BODY>, 'body'> & { scope: null };
  handle: (input: PublicInput<TContext, z.output<TQuery>>) => Promise<HttpResponse>;
}): ApiRoute<TContext> => {
  const doc: EndpointDoc = { ...spec.doc, body: NO_BODY };
  return {
    method: spec.method,
    path: spec.path,
    doc,
    handler: async (request, params, app) =>
      spec.handle({ request, params, app, query: parseQuery(request, spec.doc.query) }),
  };
};

export type {
  ApiRoute,
  EndpointContext,
  EndpointDoc,
  EndpointInput,
  RequestHeaderName,
  ResponseDoc,
  ResponseHeaderName,
};
export { defineEndpoint, definePublicEndpoint, NO_BODY, takesNoBody };
