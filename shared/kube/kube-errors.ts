import { DomainError, isDomainError } from '../domain/errors.js';
import { KubeError } from './kube-error.js';

/**
 * The one place that turns what @kubernetes/client-node 1.4 throws into KubeErrors (kube-error.ts).
 *
 * It throws `ApiException` (numeric `code` = HTTP status, `body`, response `headers`) when
 * the API server answered, node-fetch's `FetchError` (`code` = the Node or OpenSSL error code)
 * when the connection failed, and `AbortError` when our deadline aborted the request. We match on
 * shapes, not `instanceof`, so two copies of the SDK in one bundle cannot break classification.
 *
 * Nothing from the raw error goes into the message or `cause`: a kubeconfig parse error quotes
 * the YAML around the fault (which may be the token), and an ApiException's message repeats
 * whole response bodies. Only the status, the Status `reason` and the error code are kept.
 */

interface FailureContext {
  /** True when our own deadline fired (the request was aborted by us). */
  timedOut: boolean;
  timeoutMs: number;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Certificate and handshake failures: the same kubeconfig will fail the same way again. */
const TLS_CODE = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/;

const field = (source: unknown, key: string): unknown =>
  typeof source === 'object' && source !== null ? Reflect.get(source, key) : undefined;

const stringField = (source: unknown, key: string): string | undefined => {
  const value = field(source, key);
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** Retry-After in seconds (the API server never sends the HTTP-date form). */
const retryAfterMs = (headers: unknown): number | undefined => {
  const raw = stringField(headers, 'retry-after') ?? stringField(headers, 'Retry-After');
  const seconds = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
};

/**
 * The Status `reason` (e.g. NotFound). client-node 1.4 hands the body over unparsed (a string)
 * for most statuses and drops it for 401, so both forms are read; nothing else of it is kept.
 */
const statusReason = (body: unknown): string | undefined => {
  if (typeof body !== 'string') return stringField(body, 'reason');
  if (body.length > 64 * 1024) return undefined;
  try {
    return stringField(JSON.parse(body), 'reason');
  } catch {
    return undefined;
  }
};

const classifyAnswer = (status: number, error: unknown): KubeError => {
  const reason = statusReason(field(error, 'body'));
  const label = reason === undefined ? `HTTP ${status}` : `${status} ${reason}`;
  if (status === 401 || status === 403) {
    return new KubeError(
      'KUBE_UNAUTHORIZED',
      `the cluster's API server refused the kubeconfig's credentials (${label})`,
      { failure: 'answer', retryable: false, status, statusReason: reason },
    );
  }
  // 429 and 5xx: the server is there but busy or failing. 410: a `continue` token went stale
  // between pages; a fresh listing works.
  const retryable = status === 429 || status === 410 || status >= 500;
  return new KubeError('KUBE_UNAVAILABLE', `the cluster's API server answered ${label}`, {
    failure: 'answer',
    retryable,
    status,
    statusReason: reason,
    retryAfterMs: retryable ? retryAfterMs(field(error, 'headers')) : undefined,
  });
};

const classifyKubeError = (error: unknown, context: FailureContext): DomainError => {
  if (isDomainError(error)) return error;
  const name = stringField(error, 'name');
  if (context.timedOut || name === 'AbortError') {
    return new KubeError(
      'KUBE_UNAVAILABLE',
      `the cluster's API server did not answer within ${context.timeoutMs} ms`,
      { failure: 'timeout', retryable: true, timeoutMs: context.timeoutMs },
    );
  }
  const status = field(error, 'code');
  if (typeof status === 'number' && Number.isInteger(status)) return classifyAnswer(status, error);
  const code = typeof status === 'string' ? status : undefined;
  if (code !== undefined && TLS_CODE.test(code)) {
    return new KubeError(
      'KUBE_UNAVAILABLE',
      `the TLS connection to the cluster's API server failed (${code})`,
      { failure: 'tls', retryable: false, networkCode: code },
    );
  }
  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new KubeError(
      'KUBE_UNAVAILABLE',
      `the cluster's API server could not be reached (${code})`,
      { failure: 'network', retryable: true, networkCode: code },
    );
  }
  return new KubeError(
    'KUBE_UNAVAILABLE',
    `reading the cluster's pods failed unexpectedly (${name ?? 'unknown error'})`,
    { failure: 'unknown', retryable: false, networkCode: code },
  );
};

/** The kubeconfig cannot be used; what is wrong is named, its content never quoted. */
const invalidKubeconfig = (problem: string): DomainError =>
  new DomainError('VALIDATION_FAILED', `the kubeconfig ${problem}`, {
    retryable: false,
    field: 'kubeconfig',
  });

export type { FailureContext };
export { classifyKubeError, invalidKubeconfig };
