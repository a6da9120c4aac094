import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { DomainError } from '../domain/errors.js';

/**
 * Function Compute 3.0 hands an HTTP-triggered handler the request as JSON in a Buffer
 * (`version: "v1"`, `rawPath`, `headers` with multi-values comma-joined, `queryParameters`,
 * `body` base64 when `isBase64Encoded`, and `requestContext`). Header names arrive as sent, so
 * they are lower-cased here once.
 */
const fcHttpEventSchema = z.object({
  version: z.string().optional(),
  rawPath: z.string().optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  queryParameters: z.record(z.string(), z.string()).optional(),
  requestContext: z.object({
    requestId: z.string().optional(),
    http: z.object({
      method: z.string(),
      path: z.string(),
      sourceIp: z.string().optional(),
    }),
  }),
});

class HttpRequest {
  /**
   * Headers every response to this request carries, error or not (rate-limit state, for one);
   * set by the steps that learn them, added to the response by the middlewares.
   */
  public readonly responseHeaders: Record<string, string> = {};

  /**
   * Who is calling, as far as it is known: the key id as soon as the Authorization header parses
   * (even when the key turns out wrong), the tenant once the key is verified. For the access log
   * and the audit log; never the secret.
   */
  public readonly caller: { keyId?: string; tenantId?: string } = {};

  public constructor(
    public readonly method: string,
    public readonly path: string,
    public readonly headers: Readonly<Record<string, string>>,
    public readonly query: Readonly<Record<string, string>>,
    public readonly body: string,
    public readonly requestId: string,
    public readonly sourceIp: string | undefined,
  ) {}

  public header(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }
}

interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

const toText = (event: unknown): string => {
  if (Buffer.isBuffer(event)) return event.toString('utf8');
  if (typeof event === 'string') return event;
  return JSON.stringify(event);
};

const parseFcHttpEvent = (event: unknown, options: { maxBodyBytes: number }): HttpRequest => {
  let json: unknown;
  try {
    json =
      typeof event === 'object' && event !== null && !Buffer.isBuffer(event)
        ? event
        : JSON.parse(toText(event));
  } catch {
    throw new DomainError('INTERNAL', 'the HTTP trigger event is not JSON');
  }
  const parsed = fcHttpEventSchema.safeParse(json);
  if (!parsed.success)
    throw new DomainError('INTERNAL', 'the HTTP trigger event has an unexpected shape');
  const fc = parsed.data;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(fc.headers ?? {})) headers[name.toLowerCase()] = value;
  const raw = fc.body ?? '';
  const body = fc.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (body.length > options.maxBodyBytes) {
    throw new DomainError(
      'PAYLOAD_TOO_LARGE',
      `the request body is over ${options.maxBodyBytes} bytes`,
      { field: 'body' },
    );
  }
  const requestId = fc.requestContext.requestId || headers['x-fc-request-id'] || randomUUID();
  return new HttpRequest(
    fc.requestContext.http.method.toUpperCase(),
    fc.requestContext.http.path,
    headers,
    fc.queryParameters ?? {},
    body.toString('utf8'),
    requestId,
    fc.requestContext.http.sourceIp,
  );
};

const jsonResponse = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
  isBase64Encoded: false,
});

export type { HttpResponse };
export { HttpRequest, jsonResponse, parseFcHttpEvent };
