import * as z from 'zod';
import { isAckError } from '../ack/ack-error.js';
import { tenantFacingAckError } from '../ack/tenant-facing-ack-error.js';
import type { ErrorCode } from '../domain/errors.js';
import { isDomainError, ValidationError } from '../domain/errors.js';

/**
 * The one place that maps domain error codes to HTTP: RFC 9457 problem details with a stable
 * `type` per code. Codes that are not the caller's fault become a plain 500/503 whose detail
 * never carries internals. The map is total: a new code does not compile until it has a status.
 */
const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  // A tenant named a network the operator did not register for it (PUT …/networks).
  NETWORK_NOT_ALLOWED: 403,
  // A create would take the tenant past its quota (PUT …/quota); nothing was written.
  TENANT_QUOTA_EXCEEDED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  DELETION_PROTECTED: 409,
  IDEMPOTENCY_IN_FLIGHT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_MISMATCH: 422,
  RATE_LIMITED: 429,
  ACK_THROTTLED: 503,
  ACK_UNAVAILABLE: 503,
  ACK_NETWORK: 503,
  ACK_TIMEOUT: 503,
  QUEUE_UNAVAILABLE: 503,
  // The database's schema is behind this release: an operator runs `askp admin migrate`.
  SCHEMA_OUTDATED: 503,
  // ACK refused for a reason the caller can act on (protection, cluster state, quota).
  ACK_CONFLICT: 409,
  ACK_QUOTA_EXCEEDED: 409,
  // ACK or the cluster answered in a way that is ours to fix, not the caller's: a bad gateway.
  ACK_INVALID_REQUEST: 502,
  ACK_PERMISSION_DENIED: 502,
  ACK_AUTH_FAILED: 502,
  ACK_NOT_FOUND: 502,
  ACK_UNKNOWN: 502,
  // Internal signals and our own faults: they never reach a caller as anything but a 500/503.
  PREFLIGHT_FAILED: 400,
  RETRY_LATER: 503,
  CONFIG_INVALID: 500,
  QUEUE_MESSAGE_INVALID: 500,
  KUBE_UNAUTHORIZED: 500,
  KUBE_UNAVAILABLE: 500,
  ECI_UNAVAILABLE: 500,
  INTERNAL: 500,
};

const TYPE_BASE = 'https://ask-provisioner.dev/problems/';

/** The body of every error response (`application/problem+json`). */
const problemSchema = z
  .object({
    type: z.string().describe('stable per code: https://ask-provisioner.dev/problems/<code>'),
    title: z.string().describe('the HTTP status text'),
    status: z.number().int(),
    detail: z.string().describe('what went wrong, for a human'),
    instance: z.string().optional().describe('the request path'),
    code: z.string().describe('the error code, e.g. VALIDATION_FAILED'),
    field: z
      .string()
      .optional()
      .describe('the body field, query parameter or header at fault, e.g. network.vpcId'),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('every validation problem, the first of which is `field`'),
  })
  .strict();

type Problem = z.output<typeof problemSchema>;

const statusFor = (code: ErrorCode): number => STATUS_BY_CODE[code];

const typeFor = (code: string): string => `${TYPE_BASE}${code.toLowerCase().replaceAll('_', '-')}`;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

const titleFor = (status: number): string => TITLES[status] ?? 'Error';

/** The problem an error becomes. Anything but a domain error is a bare 500. */
const problemFor = (error: unknown, instance: string): Problem => {
  if (isDomainError(error)) {
    const status = statusFor(error.code);
    const exposed = status < 500 || error.retryable;
    // ACK's own words never reach a caller: they can tell what exists in the operator's account.
    const ack = isAckError(error) ? tenantFacingAckError(error) : undefined;
    const field = ack ? ack.field : error.field;
    return {
      type: typeFor(error.code),
      title: titleFor(status),
      status,
      detail: exposed
        ? (ack?.message ?? error.message)
        : 'the service failed to handle the request',
      instance,
      code: exposed ? error.code : 'INTERNAL',
      ...(field && exposed ? { field } : {}),
      ...(error instanceof ValidationError && exposed
        ? { errors: error.errors.map(({ field, message }) => ({ field, message })) }
        : {}),
    };
  }
  return {
    type: typeFor('INTERNAL'),
    title: titleFor(500),
    status: 500,
    detail: 'the service failed to handle the request',
    instance,
    code: 'INTERNAL',
  };
};

export type { Problem };
export { problemFor, problemSchema, STATUS_BY_CODE, statusFor, titleFor, typeFor };
