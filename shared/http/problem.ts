import type { ErrorCode } from '../domain/errors.js';

/**
 * The one place that maps domain error codes to HTTP: RFC 9457 problem details with a stable
 * `type` per code. Codes that are not the caller's fault become a plain 500/503 whose detail
 * never carries internals.
 */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  ACK_THROTTLED: 503,
  ACK_UNAVAILABLE: 503,
  ACK_NETWORK: 503,
  ACK_TIMEOUT: 503,
  QUEUE_UNAVAILABLE: 503,
};

const TYPE_BASE = 'https://ask-provisioner.dev/problems/';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  field?: string;
  errors?: { field: string; message: string }[];
}

const statusFor = (code: ErrorCode): number => STATUS_BY_CODE[code] ?? 500;

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
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const titleFor = (status: number): string => TITLES[status] ?? 'Error';

export type { Problem };
export { statusFor, titleFor, typeFor };
