import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { DomainError, type ErrorCode } from '../../shared/domain/errors.js';
import { classifyKubeError, invalidKubeconfig } from '../../shared/kube/kube-errors.js';

const context = { timedOut: false, timeoutMs: 5_000 };

const statusBody = (code: number, reason: string) =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code });

/** What node-fetch 2 throws for a failed connection: name FetchError, code from Node/OpenSSL. */
const fetchError = (code: string, message = `request failed, reason: ${code}`) =>
  Object.assign(new Error(message), { name: 'FetchError', type: 'system', code, errno: code });

describe('classifyKubeError', () => {
  it.each<[string, unknown, ErrorCode, boolean]>([
    [
      '401 (body dropped by the SDK)',
      new ApiException(401, 'Unauthorized', undefined, {}),
      'KUBE_UNAUTHORIZED',
      false,
    ],
    [
      '403 Forbidden',
      new ApiException(403, 'x', statusBody(403, 'Forbidden'), {}),
      'KUBE_UNAUTHORIZED',
      false,
    ],
    [
      '500',
      new ApiException(500, 'x', statusBody(500, 'InternalError'), {}),
      'KUBE_UNAVAILABLE',
      true,
    ],
    [
      '503',
      new ApiException(503, 'x', statusBody(503, 'ServiceUnavailable'), {}),
      'KUBE_UNAVAILABLE',
      true,
    ],
    [
      '429',
      new ApiException(429, 'x', statusBody(429, 'TooManyRequests'), {}),
      'KUBE_UNAVAILABLE',
      true,
    ],
    [
      '410 stale continue',
      new ApiException(410, 'x', statusBody(410, 'Expired'), {}),
      'KUBE_UNAVAILABLE',
      true,
    ],
    [
      '404 (not a Kubernetes API)',
      new ApiException(404, 'x', statusBody(404, 'NotFound'), {}),
      'KUBE_UNAVAILABLE',
      false,
    ],
    ['400', new ApiException(400, 'x', 'not json', {}), 'KUBE_UNAVAILABLE', false],
    ['connection refused', fetchError('ECONNREFUSED'), 'KUBE_UNAVAILABLE', true],
    ['connection reset', fetchError('ECONNRESET'), 'KUBE_UNAVAILABLE', true],
    ['DNS failure', fetchError('ENOTFOUND'), 'KUBE_UNAVAILABLE', true],
    [
      'untrusted certificate',
      fetchError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
      'KUBE_UNAVAILABLE',
      false,
    ],
    [
      'self-signed certificate',
      fetchError('DEPTH_ZERO_SELF_SIGNED_CERT'),
      'KUBE_UNAVAILABLE',
      false,
    ],
    ['wrong host name', fetchError('ERR_TLS_CERT_ALTNAME_INVALID'), 'KUBE_UNAVAILABLE', false],
    ['an unknown error', new TypeError('boom'), 'KUBE_UNAVAILABLE', false],
  ])('%s → %s, retryable %s', (_label, error, code, retryable) => {
    const mapped = classifyKubeError(error, context);
    expect(mapped.code).toBe(code);
    expect(mapped.retryable).toBe(retryable);
  });

  it('keeps the Status reason from the text body the SDK passes', () => {
    const mapped = classifyKubeError(
      new ApiException(503, 'x', statusBody(503, 'ServiceUnavailable'), {}),
      context,
    );
    expect(mapped).toMatchObject({
      failure: 'answer',
      status: 503,
      statusReason: 'ServiceUnavailable',
    });
  });

  it('honours Retry-After (seconds) on 429 and 5xx', () => {
    const mapped = classifyKubeError(
      new ApiException(429, 'x', statusBody(429, 'TooManyRequests'), { 'retry-after': '3' }),
      context,
    );
    expect(mapped.retryAfterMs).toBe(3000);
  });

  it('our own deadline is a retryable timeout, whatever the SDK threw', () => {
    const mapped = classifyKubeError(new Error('The operation was aborted'), {
      timedOut: true,
      timeoutMs: 250,
    });
    expect(mapped).toMatchObject({ code: 'KUBE_UNAVAILABLE', retryable: true });
    expect(mapped).toMatchObject({ failure: 'timeout', timeoutMs: 250 });
  });

  it('an AbortError is a timeout too', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(classifyKubeError(abort, context)).toMatchObject({ failure: 'timeout' });
  });

  it('passes DomainErrors through unchanged', () => {
    const original = new DomainError('KUBE_UNAVAILABLE', 'paging', { retryable: false });
    expect(classifyKubeError(original, context)).toBe(original);
  });

  it('never copies the raw message, body or headers, and sets no cause', () => {
    const secret = 'eyJhbGciOiJSUzI1NiIsImtpZCI6InNlY3JldA';
    const errors = [
      new ApiException(500, secret, JSON.stringify({ reason: 'InternalError', message: secret }), {
        'x-echo': secret,
      }),
      fetchError('ECONNRESET', `request to https://h/?token=${secret} failed`),
      new Error(`unexpected ${secret}`),
    ];
    for (const error of errors) {
      const mapped = classifyKubeError(error, context);
      expect(mapped.cause).toBeUndefined();
      expect(JSON.stringify({ ...mapped, message: mapped.message })).not.toContain(secret);
    }
  });
});

describe('invalidKubeconfig', () => {
  it('is a non-retryable VALIDATION_FAILED on the kubeconfig field', () => {
    expect(invalidKubeconfig('names no current cluster')).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'kubeconfig',
      retryable: false,
      message: 'the kubeconfig names no current cluster',
    });
  });
});
