/**
 * Domain errors carry a stable `code` and no HTTP status: one middleware at the edge maps codes to
 * statuses (shared/http/problem.ts). `retryable` tells a caller whether the same call may succeed
 * later (throttling, a 5xx, a network fault) or never will (validation, quota, missing role).
 */
const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
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
  'INTERNAL',
] as const;

type ErrorCode = (typeof ERROR_CODES)[number];

interface DomainErrorOptions {
  retryable?: boolean;
  /** The request field or variable the error is about, e.g. `network.vpcId`. */
  field?: string;
  /** When the remote side said how long to wait before a retry. */
  retryAfterMs?: number;
  /** Extra, non-secret details that are safe to show the caller. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

class DomainError extends Error {
  public readonly code: ErrorCode;
  public readonly retryable: boolean;
  public readonly field: string | undefined;
  public readonly retryAfterMs: number | undefined;
  public readonly details: Record<string, unknown> | undefined;

  public constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.field = options.field;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }
}

const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

export type { DomainErrorOptions, ErrorCode };
export { DomainError, ERROR_CODES, isDomainError };
