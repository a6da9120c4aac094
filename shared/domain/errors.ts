/**
 * Domain errors carry a stable `code` and no HTTP status: one total map at the edge turns codes
 * into statuses (shared/http/problem.ts). `retryable` tells a caller whether the same call may
 * succeed later (throttling, a 5xx, a network fault) or never will (validation, quota, missing
 * role). A failure family with something more to say has its own class with typed fields (below,
 * and AckError, KubeError, QueueError next to their ports); a plain `DomainError` says only its
 * code, message and, when it concerns one, the request `field`.
 */
const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NETWORK_NOT_ALLOWED',
  'TENANT_QUOTA_EXCEEDED',
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_TRANSITION',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'METHOD_NOT_ALLOWED',
  'RATE_LIMITED',
  'IDEMPOTENCY_KEY_MISMATCH',
  'IDEMPOTENCY_IN_FLIGHT',
  'DELETION_PROTECTED',
  'PREFLIGHT_FAILED',
  'RETRY_LATER',
  'CONFIG_INVALID',
  'SCHEMA_OUTDATED',
  'ACK_THROTTLED',
  'ACK_UNAVAILABLE',
  'ACK_NETWORK',
  'ACK_TIMEOUT',
  'ACK_NOT_FOUND',
  'ACK_INVALID_REQUEST',
  'ACK_QUOTA_EXCEEDED',
  'ACK_PERMISSION_DENIED',
  'ACK_AUTH_FAILED',
  'ACK_CONFLICT',
  'ACK_UNKNOWN',
  'QUEUE_UNAVAILABLE',
  'QUEUE_MESSAGE_INVALID',
  'KUBE_UNAUTHORIZED',
  'KUBE_UNAVAILABLE',
  'ECI_UNAVAILABLE',
  'INTERNAL',
] as const;

type ErrorCode = (typeof ERROR_CODES)[number];

interface DomainErrorOptions {
  retryable?: boolean;
  /** The request field or variable the error is about, e.g. `network.vpcId`. */
  field?: string;
  /** When the remote side (or we) said how long to wait before a retry. */
  retryAfterMs?: number;
  cause?: unknown;
}

class DomainError extends Error {
  public readonly code: ErrorCode;
  public readonly retryable: boolean;
  public readonly field: string | undefined;
  public readonly retryAfterMs: number | undefined;

  public constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.field = options.field;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** One problem with one field of a request: the body's `errors[]` entries. */
interface FieldError {
  field: string;
  message: string;
}

/** VALIDATION_FAILED with every problem found; the first one's field is also `field`. */
class ValidationError extends DomainError {
  public readonly errors: readonly FieldError[];

  public constructor(
    message: string,
    errors: readonly FieldError[],
    options: { cause?: unknown } = {},
  ) {
    super('VALIDATION_FAILED', message, {
      ...(errors[0] === undefined ? {} : { field: errors[0].field }),
      cause: options.cause,
    });
    this.name = 'ValidationError';
    this.errors = errors;
  }
}

/**
 * "Not now, come back later": a job that lost a race or found a lease, a batch with records to
 * redeliver. Always retryable; `retryAfterMs` is the delay when one is known. Internal only: a
 * caller-facing "busy, retry" is a CONFLICT with `retryAfterMs` (HTTP 409 + Retry-After).
 */
class RetryLaterError extends DomainError {
  public constructor(message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super('RETRY_LATER', message, { ...options, retryable: true });
    this.name = 'RetryLaterError';
  }
}

/** A provision state change the state machine does not allow. */
class InvalidTransitionError extends DomainError {
  public readonly from: string;
  public readonly to: string;

  public constructor(from: string, to: string) {
    super('INVALID_TRANSITION', `a provision cannot go from ${from} to ${to}`);
    this.name = 'InvalidTransitionError';
    this.from = from;
    this.to = to;
  }
}

/** The path exists, the method does not: `allowedMethods` becomes the `Allow` header. */
class MethodNotAllowedError extends DomainError {
  public readonly allowedMethods: readonly string[];

  public constructor(message: string, allowedMethods: readonly string[]) {
    super('METHOD_NOT_ALLOWED', message);
    this.name = 'MethodNotAllowedError';
    this.allowedMethods = allowedMethods;
  }
}

const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

export type { DomainErrorOptions, ErrorCode, FieldError };
export {
  DomainError,
  ERROR_CODES,
  InvalidTransitionError,
  isDomainError,
  MethodNotAllowedError,
  RetryLaterError,
  ValidationError,
};
