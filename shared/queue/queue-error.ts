import { DomainError } from '../domain/errors.js';

/**
 * QUEUE_UNAVAILABLE: an MNS call failed in a way we do not handle; always retryable. The SDK's
 * error stays as `cause` (its message holds the URL, no headers).
 */
class QueueError extends DomainError {
  declare public readonly code: 'QUEUE_UNAVAILABLE';
  /** The MNS operation, e.g. `SendMessage`. */
  public readonly operation: string;
  public readonly queue: string;
  /** The MNS error code when the SDK named one (e.g. `QueueNotExist`), else null. */
  public readonly mnsCode: string | null;

  public constructor(
    message: string,
    fields: { operation: string; queue: string; mnsCode: string | null; cause?: unknown },
  ) {
    super('QUEUE_UNAVAILABLE', message, { retryable: true, cause: fields.cause });
    this.name = 'QueueError';
    this.operation = fields.operation;
    this.queue = fields.queue;
    this.mnsCode = fields.mnsCode;
  }
}

export { QueueError };
