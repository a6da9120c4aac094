import { DomainError } from '../domain/errors.js';

interface EciErrorFields {
  /** The ECI action, e.g. DescribeContainerGroups. */
  action: string;
  retryable: boolean;
  /** ECI's own error code (`Code` of the answer), when it answered one. */
  eciCode?: string;
  statusCode?: number;
  requestId?: string;
  /** The Node error code of a request that got no answer (ECONNREFUSED, ETIMEDOUT, …). */
  networkCode?: string;
  cause?: unknown;
}

/**
 * ECI could not be read: an error answer, no answer, or an answer that is not what the SDK
 * models. The janitor turns it into "activity unknown", never into "idle".
 */
class EciError extends DomainError {
  declare public readonly code: 'ECI_UNAVAILABLE';
  public readonly action: string;
  public readonly eciCode: string | undefined;
  public readonly statusCode: number | undefined;
  public readonly requestId: string | undefined;
  public readonly networkCode: string | undefined;

  public constructor(message: string, fields: EciErrorFields) {
    super('ECI_UNAVAILABLE', message, { retryable: fields.retryable, cause: fields.cause });
    this.name = 'EciError';
    this.action = fields.action;
    this.eciCode = fields.eciCode;
    this.statusCode = fields.statusCode;
    this.requestId = fields.requestId;
    this.networkCode = fields.networkCode;
  }
}

export type { EciErrorFields };
export { EciError };
