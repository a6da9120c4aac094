import { DomainError, type ErrorCode } from '../domain/errors.js';

/** The codes an ACK call fails with (see ack-error-mapping.ts for which is which). */
type AckErrorCode = Extract<ErrorCode, `ACK_${string}`>;

interface AckErrorFields {
  /** The ACK action, e.g. `CreateCluster`. */
  action: string;
  retryable: boolean;
  /** ACK's own error code when ACK answered, e.g. `ErrorClusterNotFound`. */
  ackCode?: string;
  /** The Node or transport error code when ACK was not reached or did not answer, e.g. `ECONNRESET`. */
  networkCode?: string;
  requestId?: string;
  /** The HTTP status ACK answered with. */
  statusCode?: number;
  /**
   * True when ACK may have carried the request out (a 5xx, a reset or a timeout after sending):
   * a create must look for the cluster before trying again.
   */
  ambiguous?: boolean;
  /** How many calls our retry policy made before giving up (set by retry-policy.ts). */
  attempts?: number;
  retryAfterMs?: number;
}

/**
 * An ACK call failed. Messages and fields never carry credentials: the mapper redacts server text,
 * and the SDK's raw error is not kept as `cause` (its request context holds signed headers).
 */
class AckError extends DomainError {
  declare public readonly code: AckErrorCode;
  public readonly action: string;
  public readonly ackCode: string | undefined;
  public readonly networkCode: string | undefined;
  public readonly requestId: string | undefined;
  public readonly statusCode: number | undefined;
  public readonly ambiguous: boolean;
  public readonly attempts: number | undefined;

  public constructor(code: AckErrorCode, message: string, fields: AckErrorFields) {
    super(code, message, { retryable: fields.retryable, retryAfterMs: fields.retryAfterMs });
    this.name = 'AckError';
    this.action = fields.action;
    this.ackCode = fields.ackCode;
    this.networkCode = fields.networkCode;
    this.requestId = fields.requestId;
    this.statusCode = fields.statusCode;
    this.ambiguous = fields.ambiguous ?? false;
    this.attempts = fields.attempts;
  }

  /** The same failure, after `attempts` calls; `retryable` may be overridden (see retry-policy). */
  public afterAttempts(attempts: number, retryable = this.retryable): AckError {
    return new AckError(this.code, this.message, {
      action: this.action,
      retryable,
      ackCode: this.ackCode,
      networkCode: this.networkCode,
      requestId: this.requestId,
      statusCode: this.statusCode,
      retryAfterMs: this.retryAfterMs,
      ambiguous: this.ambiguous,
      attempts,
    });
  }
}

const isAckError = (error: unknown): error is AckError => error instanceof AckError;

export type { AckErrorCode, AckErrorFields };
export { AckError, isAckError };
