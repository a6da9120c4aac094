import { type DomainError, isDomainError } from '../domain/errors.js';
import { AckError, type AckErrorCode } from './ack-error.js';

/**
 * The one place that turns what @alicloud/cs20151215 throws into `AckError`s (ack-error.ts).
 *
 * openapi-core 1.0.8 parses an error body's Code/Message/RequestId (either casing) and throws:
 * `ThrottlingError` when the code contains "Throttling" (with `retryAfter` from the
 * `x-acs-retry-after` header, in milliseconds as the SDK's own backoff uses it), `ClientError` for
 * other 4xx and `ServerError` for the rest. Transport failures arrive as Node errors (`code`
 * ECONNRESET, ECONNREFUSED, …) or as httpx's `RequestTimeoutError`. We match on shapes and names,
 * not `instanceof`, so two copies of the SDK in one bundle cannot break classification.
 *
 * `ambiguous: true` marks failures after which the request may have been carried out:
 * 5xx answers, resets and timeouts once the request could have reached ACK. A timeout is always
 * ambiguous: httpx's "ConnectTimeout" is a socket idle timer that can also fire while the server
 * works. Only refused connections and DNS failures prove nothing was sent.
 *
 * Messages and fields never carry credentials: the adapter passes a redactor for its secrets,
 * and the SDK's raw error is not attached as `cause` (its request context holds signed headers).
 */

interface AckErrorContext {
  /** The ACK action, e.g. `CreateCluster`. */
  action: string;
  /** Removes secrets from text that came from elsewhere (server messages, Node errors). */
  redact?: (text: string) => string;
}

interface ErrorShape {
  name: string | undefined;
  code: string | undefined;
  statusCode: number | undefined;
  message: string;
  serverMessage: string | undefined;
  requestId: string | undefined;
  retryAfter: number | undefined;
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const NETWORK_CODES = new Set([
  ...NOT_SENT_CODES,
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

const AUTH_PATTERN =
  /^(SignatureDoesNotMatch|IncompleteSignature|SignatureNonceUsed|InvalidAccessKeyId|InvalidSecurityToken|InvalidCredentials)/;
// EntityNotExist.Role and EntityNotExist.<Aliyun…Role> (e.g. AliyunECIContainerGroupRole, seen in
// terraform-provider-alicloud#2565) both say a service role was never authorised.
const PERMISSION_PATTERN =
  /^(Forbidden|NoPermission|EntityNotExist\.(Role|Aliyun\w*Role)|ErrManagedAddonRoleNotAttach|ErrorCheckAcl)/;
// ErrorTaskNotFound is the emulator's code for an unknown task id (UNVERIFIED against ACK).
const NOT_FOUND_CODES = new Set(['ErrorClusterNotFound', 'ErrorTaskNotFound']);
const UNAVAILABLE_CODES = new Set(['ServiceUnavailable', 'InternalError']);
const SDK_ERROR_NAMES = new Set([
  'ClientError',
  'ServerError',
  'ThrottlingError',
  'AlibabaCloudError',
  'ResponseError',
]);

const stringField = (source: object, key: string): string | undefined => {
  const value: unknown = Reflect.get(source, key);
  return typeof value === 'string' && value !== '' && value !== 'undefined' ? value : undefined;
};

const numberField = (source: object, key: string): number | undefined => {
  const value: unknown = Reflect.get(source, key);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

const shapeOf = (error: unknown): ErrorShape => {
  if (typeof error !== 'object' || error === null) {
    return {
      name: undefined,
      code: undefined,
      statusCode: undefined,
      message: String(error),
      serverMessage: undefined,
      requestId: undefined,
      retryAfter: undefined,
    };
  }
  const data: unknown = Reflect.get(error, 'data');
  const body = typeof data === 'object' && data !== null ? data : {};
  return {
    name: stringField(error, 'name'),
    code: stringField(error, 'code'),
    statusCode: numberField(error, 'statusCode'),
    message: stringField(error, 'message') ?? '',
    serverMessage: stringField(body, 'message') ?? stringField(body, 'Message'),
    requestId:
      stringField(error, 'requestId') ??
      stringField(body, 'requestId') ??
      stringField(body, 'RequestId'),
    retryAfter: numberField(error, 'retryAfter'),
  };
};

interface Classification {
  code: AckErrorCode;
  retryable: boolean;
  ambiguous: boolean;
}

const classifyTransport = (shape: ErrorShape): Classification | undefined => {
  const code = shape.code ?? '';
  if (shape.name === 'RequestTimeoutError' || TIMEOUT_CODES.has(code)) {
    return { code: 'ACK_TIMEOUT', retryable: true, ambiguous: true };
  }
  if (NETWORK_CODES.has(code) || /socket hang up/i.test(shape.message)) {
    return { code: 'ACK_NETWORK', retryable: true, ambiguous: !NOT_SENT_CODES.has(code) };
  }
  return undefined;
};

const classifyAnswer = (ackCode: string, status: number | undefined): Classification => {
  const refused = (code: AckErrorCode): Classification => ({
    code,
    retryable: false,
    ambiguous: false,
  });
  if (ackCode.includes('Throttling'))
    return { code: 'ACK_THROTTLED', retryable: true, ambiguous: false };
  if (AUTH_PATTERN.test(ackCode)) return refused('ACK_AUTH_FAILED');
  if (NOT_FOUND_CODES.has(ackCode)) return refused('ACK_NOT_FOUND');
  if (PERMISSION_PATTERN.test(ackCode)) return refused('ACK_PERMISSION_DENIED');
  if (/Quota/i.test(ackCode)) return refused('ACK_QUOTA_EXCEEDED');
  if (ackCode.includes('DeletionProtection') || ackCode === 'ErrorClusterState') {
    return refused('ACK_CONFLICT');
  }
  // DeleteCluster while something still depends on the cluster's resources: Terraform retries it
  // for the whole delete timeout (resource_alicloud_cs_kubernetes.go), so it goes away by itself.
  if (ackCode.startsWith('DependencyViolation')) {
    return { code: 'ACK_CONFLICT', retryable: true, ambiguous: false };
  }
  if (UNAVAILABLE_CODES.has(ackCode) || (status !== undefined && status >= 500)) {
    return { code: 'ACK_UNAVAILABLE', retryable: true, ambiguous: true };
  }
  // An unknown 403 is a permission problem far more often than a malformed request.
  if (status === 403) return refused('ACK_PERMISSION_DENIED');
  if (status !== undefined && status >= 400) return refused('ACK_INVALID_REQUEST');
  return { code: 'ACK_UNKNOWN', retryable: false, ambiguous: true };
};

/** ACK (or the SDK in its name) answered: the code is ACK's, not a Node error code. */
const isAckAnswer = (shape: ErrorShape): boolean =>
  shape.statusCode !== undefined ||
  (shape.name !== undefined && SDK_ERROR_NAMES.has(shape.name) && shape.code !== undefined);

const classify = (shape: ErrorShape): Classification => {
  if (isAckAnswer(shape)) {
    const answer = classifyAnswer(shape.code ?? '', shape.statusCode);
    // An SDK error without a status was raised before sending (e.g. ParameterMissing).
    if (shape.statusCode === undefined && answer.code === 'ACK_UNKNOWN') {
      return { code: 'ACK_INVALID_REQUEST', retryable: false, ambiguous: false };
    }
    return answer;
  }
  // Anything else failed in transport, or in reading an answer: ACK may have acted on it.
  return classifyTransport(shape) ?? { code: 'ACK_UNKNOWN', retryable: false, ambiguous: true };
};

const mapAckError = (error: unknown, context: AckErrorContext): DomainError => {
  if (isDomainError(error)) return error;
  const redact = context.redact ?? ((text: string) => text);
  const shape = shapeOf(error);
  const classification = classify(shape);
  const label = shape.code ?? shape.name ?? 'Error';
  const status = shape.statusCode === undefined ? '' : ` (HTTP ${shape.statusCode})`;
  const detail = shape.serverMessage ?? shape.message;
  const code = shape.code === undefined ? undefined : redact(shape.code);
  const answered = isAckAnswer(shape);
  const retryAfterMs =
    classification.code === 'ACK_THROTTLED' &&
    shape.retryAfter !== undefined &&
    shape.retryAfter >= 0
      ? shape.retryAfter
      : undefined;
  return new AckError(
    classification.code,
    redact(`ACK ${context.action} failed: ${label}${status}: ${detail}`),
    {
      action: context.action,
      retryable: classification.retryable,
      ackCode: answered ? code : undefined,
      networkCode: answered ? undefined : code,
      requestId: shape.requestId === undefined ? undefined : redact(shape.requestId),
      statusCode: shape.statusCode,
      ambiguous: classification.ambiguous,
      retryAfterMs,
    },
  );
};

/** Replaces every occurrence of the given secrets (4+ characters) with `[REDACTED]`. */
const createRedactor =
  (secrets: (string | undefined)[]) =>
  (text: string): string =>
    secrets
      .filter((secret): secret is string => secret !== undefined && secret.length >= 4)
      .reduce((result, secret) => result.split(secret).join('[REDACTED]'), text);

export type { AckErrorContext };
export { createRedactor, mapAckError };
