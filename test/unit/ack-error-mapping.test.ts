import { ClientError, ServerError, ThrottlingError } from '@alicloud/openapi-core';
import { describe, expect, it } from 'vitest';
import { AckError } from '../../shared/ack/ack-error.js';
import { createRedactor, mapAckError } from '../../shared/ack/ack-error-mapping.js';
import {
  fullJitterDelayMs,
  type RetrySettings,
  withAckRetry,
} from '../../shared/ack/retry-policy.js';
import { DomainError, type ErrorCode } from '../../shared/domain/errors.js';

const answer = (status: number, code: string, message = 'ACK said no') => {
  const map = {
    statusCode: status,
    code,
    message: `code: ${status}, ${message} request id: REQ-1`,
    requestId: 'REQ-1',
    data: { code, message, requestId: 'REQ-1' },
  };
  return status >= 500 ? new ServerError(map) : new ClientError(map);
};

const nodeError = (code: string, message: string): Error =>
  Object.assign(new Error(message), { code });

/** httpx (the SDK's HTTP client) reports timeouts as plain errors with this name. */
const httpxTimeout = (message: string): Error =>
  Object.assign(new Error(message), { name: 'RequestTimeoutError' });

const map = (error: unknown, action = 'DescribeClusterDetail') => mapAckError(error, { action });

describe('mapAckError', () => {
  it.each<[string, unknown, ErrorCode, boolean]>([
    ['ErrorClusterNotFound', answer(404, 'ErrorClusterNotFound'), 'ACK_NOT_FOUND', false],
    ['QuotaExceeded.Cluster', answer(400, 'QuotaExceeded.Cluster'), 'ACK_QUOTA_EXCEEDED', false],
    ['an SLB quota', answer(400, 'QuotaExceeded.SLBInstancesQuota'), 'ACK_QUOTA_EXCEEDED', false],
    ['a code naming a quota', answer(400, 'ErrAskClusterQuotaExceed'), 'ACK_QUOTA_EXCEEDED', false],
    ['Forbidden.RAM', answer(403, 'Forbidden.RAM'), 'ACK_PERMISSION_DENIED', false],
    ['NoPermission', answer(403, 'NoPermission'), 'ACK_PERMISSION_DENIED', false],
    [
      'a missing service role',
      answer(400, 'EntityNotExist.Role.AliyunCSDefaultRole'),
      'ACK_PERMISSION_DENIED',
      false,
    ],
    [
      'a managed addon role not attached',
      answer(400, 'ErrManagedAddonRoleNotAttach'),
      'ACK_PERMISSION_DENIED',
      false,
    ],
    ['ErrorCheckAcl', answer(403, 'ErrorCheckAcl'), 'ACK_PERMISSION_DENIED', false],
    ['EntityNotExist.Role', answer(400, 'EntityNotExist.Role'), 'ACK_PERMISSION_DENIED', false],
    [
      'the ECI role missing for a serverless cluster',
      answer(400, 'EntityNotExist.AliyunECIContainerGroupRole'),
      'ACK_PERMISSION_DENIED',
      false,
    ],
    [
      'an STS token that does not match the key',
      answer(400, 'InvalidSecurityToken.MismatchWithAccessKey'),
      'ACK_AUTH_FAILED',
      false,
    ],
    ['IncompleteSignature', answer(400, 'IncompleteSignature'), 'ACK_AUTH_FAILED', false],
    ['a replayed nonce', answer(400, 'SignatureNonceUsed'), 'ACK_AUTH_FAILED', false],
    ['an unknown task', answer(404, 'ErrorTaskNotFound'), 'ACK_NOT_FOUND', false],
    [
      'an unknown API path (InvalidAction.NotFound)',
      answer(404, 'InvalidAction.NotFound'),
      'ACK_INVALID_REQUEST',
      false,
    ],
    [
      'a delete blocked by dependent resources (retried, as Terraform does)',
      answer(400, 'DependencyViolation.Resource'),
      'ACK_CONFLICT',
      true,
    ],
    ['throttling answered with 429', answer(429, 'Throttling.User'), 'ACK_THROTTLED', true],
    ['an unknown 403', answer(403, 'SomethingElse'), 'ACK_PERMISSION_DENIED', false],
    ['SignatureDoesNotMatch', answer(400, 'SignatureDoesNotMatch'), 'ACK_AUTH_FAILED', false],
    [
      'an unknown access key (a 404 that is not a missing cluster)',
      answer(404, 'InvalidAccessKeyId.NotFound'),
      'ACK_AUTH_FAILED',
      false,
    ],
    ['deletion protection', answer(400, 'ErrorClusterDeletionProtection'), 'ACK_CONFLICT', false],
    ['ErrorClusterState', answer(400, 'ErrorClusterState'), 'ACK_CONFLICT', false],
    ['InvalidParameter', answer(400, 'InvalidParameter'), 'ACK_INVALID_REQUEST', false],
    [
      'a VPC that does not exist',
      answer(400, 'InvalidVpcId.NotFound'),
      'ACK_INVALID_REQUEST',
      false,
    ],
    ['a 503', answer(503, 'ServiceUnavailable'), 'ACK_UNAVAILABLE', true],
    ['a 500 InternalError', answer(500, 'InternalError'), 'ACK_UNAVAILABLE', true],
    ['InternalError sent with a 4xx', answer(400, 'InternalError'), 'ACK_UNAVAILABLE', true],
    ['ECONNRESET', nodeError('ECONNRESET', 'read ECONNRESET'), 'ACK_NETWORK', true],
    ['socket hang up', nodeError('ECONNRESET', 'socket hang up'), 'ACK_NETWORK', true],
    ['ECONNREFUSED', nodeError('ECONNREFUSED', 'connect ECONNREFUSED'), 'ACK_NETWORK', true],
    ['ENOTFOUND', nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND'), 'ACK_NETWORK', true],
    [
      'an httpx read timeout',
      httpxTimeout('ReadTimeout(15000). GET /x failed.'),
      'ACK_TIMEOUT',
      true,
    ],
    [
      'an httpx connect timeout',
      httpxTimeout('ConnectTimeout: Connect x failed.'),
      'ACK_TIMEOUT',
      true,
    ],
    ['ETIMEDOUT', nodeError('ETIMEDOUT', 'connect ETIMEDOUT'), 'ACK_TIMEOUT', true],
    ['an unreadable success body', new SyntaxError('Unexpected token <'), 'ACK_UNKNOWN', false],
    ['a thrown string', 'boom', 'ACK_UNKNOWN', false],
  ])('classifies %s', (_label, error, code, retryable) => {
    const mapped = map(error);
    expect(mapped).toBeInstanceOf(AckError);
    expect(mapped.code).toBe(code);
    expect(mapped.retryable).toBe(retryable);
    expect(mapped).toMatchObject({ action: 'DescribeClusterDetail' });
  });

  it('classifies throttling by code whatever the status, and keeps retryAfter as retryAfterMs', () => {
    const throttled = new ThrottlingError({
      statusCode: 400,
      code: 'Throttling.User',
      message: 'code: 400, Request was denied due to user flow control. request id: REQ-9',
      retryAfter: 1200,
      requestId: 'REQ-9',
      data: { code: 'Throttling.User', message: 'Request was denied due to user flow control.' },
    });
    const mapped = map(throttled);
    expect(mapped.code).toBe('ACK_THROTTLED');
    expect(mapped.retryable).toBe(true);
    expect(mapped.retryAfterMs).toBe(1200);
    expect(mapped).toMatchObject({
      ackCode: 'Throttling.User',
      requestId: 'REQ-9',
      ambiguous: false,
    });
  });

  it("keeps ACK's code, request id and status as fields and the server's message in the message", () => {
    const mapped = map(answer(400, 'InvalidParameter', 'name is invalid'), 'CreateCluster');
    expect(mapped).toMatchObject({
      action: 'CreateCluster',
      ackCode: 'InvalidParameter',
      networkCode: undefined,
      requestId: 'REQ-1',
      statusCode: 400,
      ambiguous: false,
    });
    expect(mapped.message).toBe(
      'ACK CreateCluster failed: InvalidParameter (HTTP 400): name is invalid',
    );
  });

  it('marks failures after which ACK may have acted as ambiguous, and refusals as not', () => {
    const ambiguous = (error: unknown): boolean => {
      const mapped = map(error);
      return mapped instanceof AckError && mapped.ambiguous;
    };
    expect(ambiguous(answer(503, 'ServiceUnavailable'))).toBe(true);
    expect(ambiguous(nodeError('ECONNRESET', 'socket hang up'))).toBe(true);
    expect(ambiguous(httpxTimeout('ConnectTimeout: Connect x failed.'))).toBe(true);
    expect(ambiguous(new SyntaxError('Unexpected end of JSON input'))).toBe(true);
    expect(ambiguous(nodeError('ECONNREFUSED', 'connect ECONNREFUSED'))).toBe(false);
    expect(ambiguous(answer(400, 'InvalidParameter'))).toBe(false);
  });

  it("keeps a Node error code apart from ACK's codes", () => {
    const mapped = map(nodeError('ECONNRESET', 'socket hang up'));
    expect(mapped).toMatchObject({
      networkCode: 'ECONNRESET',
      ambiguous: true,
      ackCode: undefined,
    });
  });

  it('treats an SDK error raised before sending (no status) as an invalid request', () => {
    const local = new ClientError({
      code: 'ParameterMissing',
      message: "'params' can not be unset",
    });
    expect(map(local).code).toBe('ACK_INVALID_REQUEST');
    const noCredentials = new ClientError({ code: 'InvalidCredentials', message: 'set them' });
    expect(map(noCredentials).code).toBe('ACK_AUTH_FAILED');
  });

  it('passes DomainErrors through unchanged', () => {
    const original = new DomainError('ACK_CONFLICT', 'already mapped');
    expect(map(original)).toBe(original);
  });

  it('removes credentials from messages and fields', () => {
    const secret = 'very-secret-value-123';
    const leaky = answer(400, 'SignatureDoesNotMatch', `server string to sign used ${secret}`);
    const mapped = mapAckError(leaky, {
      action: 'DescribeClustersV1',
      redact: createRedactor([secret, undefined, 'LTAI-key-id']),
    });
    expect(JSON.stringify({ ...mapped, message: mapped.message })).not.toContain(secret);
    expect(mapped.message).toContain('[REDACTED]');
    expect(mapped.cause).toBeUndefined();
  });
});

describe('full jitter backoff', () => {
  const settings = { baseDelayMs: 200, maxDelayMs: 10_000 };

  it('stays within [0, min(maxDelay, base * 2^n)) for every retry', () => {
    for (const retryIndex of [0, 1, 2, 3, 4, 5, 6, 10, 30]) {
      const ceiling = Math.min(10_000, 200 * 2 ** retryIndex);
      expect(fullJitterDelayMs(retryIndex, { ...settings, random: () => 0 })).toBe(0);
      const top = fullJitterDelayMs(retryIndex, { ...settings, random: () => 0.999_999 });
      expect(top).toBeLessThan(ceiling);
      expect(top).toBeGreaterThanOrEqual(ceiling - 1);
    }
  });

  it('caps the ceiling at maxDelayMs', () => {
    expect(fullJitterDelayMs(20, { ...settings, random: () => 0.5 })).toBe(5_000);
  });
});

describe('withAckRetry', () => {
  const harness = (overrides: Partial<RetrySettings> = {}) => {
    const sleeps: number[] = [];
    const settings: RetrySettings = {
      maxAttempts: 4,
      baseDelayMs: 100,
      maxDelayMs: 10_000,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 1 / 2,
      ...overrides,
    };
    return { sleeps, settings };
  };

  /** A call that fails with the given errors in turn, then succeeds. */
  const flaky = (failures: unknown[]) => {
    let calls = 0;
    return {
      calls: () => calls,
      call: async () => {
        calls += 1;
        const failure = failures[calls - 1];
        if (failure !== undefined) throw failure;
        return 'ok';
      },
    };
  };

  const mapError = (error: unknown) => mapAckError(error, { action: 'Test' });

  it('returns at once when the call succeeds', async () => {
    const { settings, sleeps } = harness();
    const op = flaky([]);
    await expect(
      withAckRetry({ idempotent: true, call: op.call, mapError }, settings),
    ).resolves.toBe('ok');
    expect(op.calls()).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('retries retryable failures with growing jittered delays, then succeeds', async () => {
    const { settings, sleeps } = harness();
    const op = flaky([
      answer(503, 'ServiceUnavailable'),
      nodeError('ECONNRESET', 'x'),
      answer(502, 'BadGateway'),
    ]);
    await expect(
      withAckRetry({ idempotent: true, call: op.call, mapError }, settings),
    ).resolves.toBe('ok');
    expect(op.calls()).toBe(4);
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('does not retry errors that will not go away', async () => {
    const { settings, sleeps } = harness();
    const op = flaky([answer(400, 'QuotaExceeded.Cluster')]);
    const error = await withAckRetry({ idempotent: true, call: op.call, mapError }, settings).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ code: 'ACK_QUOTA_EXCEEDED', attempts: 1 });
    expect(op.calls()).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('honours retryAfter instead of its own backoff', async () => {
    const { settings, sleeps } = harness();
    const throttled = new ThrottlingError({
      statusCode: 400,
      code: 'Throttling',
      retryAfter: 2500,
    });
    const op = flaky([throttled]);
    await withAckRetry({ idempotent: true, call: op.call, mapError }, settings);
    expect(sleeps).toEqual([2500]);
  });

  it('retries a non-idempotent call on throttling but never after an ambiguous failure', async () => {
    const { settings, sleeps } = harness();
    const throttledThenOk = flaky([
      new ThrottlingError({ statusCode: 400, code: 'Throttling.User' }),
    ]);
    await expect(
      withAckRetry({ idempotent: false, call: throttledThenOk.call, mapError }, settings),
    ).resolves.toBe('ok');
    expect(throttledThenOk.calls()).toBe(2);

    for (const ambiguous of [
      answer(503, 'ServiceUnavailable'),
      nodeError('ECONNRESET', 'socket hang up'),
      httpxTimeout('ReadTimeout(15000)'),
      new SyntaxError('Unexpected end of JSON input'),
    ]) {
      const op = flaky([ambiguous]);
      const error = await withAckRetry(
        { idempotent: false, call: op.call, mapError },
        settings,
      ).catch((thrown: unknown) => thrown);
      expect(op.calls()).toBe(1);
      expect(error).toBeInstanceOf(AckError);
      expect(error).toMatchObject({ retryable: true, ambiguous: true, attempts: 1 });
    }
    expect(sleeps).toEqual([50]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const { settings } = harness({ maxAttempts: 2 });
    const op = flaky([answer(503, 'A'), answer(503, 'B'), answer(503, 'C')]);
    const error = await withAckRetry({ idempotent: true, call: op.call, mapError }, settings).catch(
      (thrown: unknown) => thrown,
    );
    expect(op.calls()).toBe(2);
    expect(error).toMatchObject({
      code: 'ACK_UNAVAILABLE',
      ackCode: 'B',
      attempts: 2,
    });
  });
});
