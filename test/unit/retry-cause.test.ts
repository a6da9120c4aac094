import { describe, expect, it } from 'vitest';
import { AckError } from '../../shared/ack/ack-error.js';
import { DomainError, RetryLaterError } from '../../shared/domain/errors.js';
import {
  backoffMs,
  mayHaveReachedAck,
  retryCauseOf,
} from '../../shared/provisioning/retry-cause.js';

const ack = (
  code: ConstructorParameters<typeof AckError>[0],
  fields: Partial<{ retryable: boolean; ambiguous: boolean; retryAfterMs: number }>,
) =>
  new AckError(code, code, {
    action: 'CreateCluster',
    retryable: fields.retryable ?? true,
    ...fields,
  });

describe('retry budgets by cause', () => {
  it('counts throttling, 5xx, timeouts and our own come-back-later as transient, with ACK’s retry-after', () => {
    expect(retryCauseOf(ack('ACK_THROTTLED', { retryAfterMs: 2000 }))).toEqual({
      kind: 'transient',
      code: 'ACK_THROTTLED',
      retryAfterMs: 2000,
    });
    for (const code of ['ACK_UNAVAILABLE', 'ACK_TIMEOUT', 'ACK_NETWORK'] as const) {
      expect(retryCauseOf(ack(code, {})).kind).toBe('transient');
    }
    expect(retryCauseOf(new RetryLaterError('settling')).kind).toBe('transient');
  });

  it('counts a permanent refusal, an unknown error and a crash against the budget', () => {
    expect(retryCauseOf(ack('ACK_QUOTA_EXCEEDED', { retryable: false })).kind).toBe('failure');
    expect(retryCauseOf(new DomainError('INTERNAL', 'bug')).kind).toBe('failure');
    expect(retryCauseOf(new Error('killed')).kind).toBe('failure');
  });

  it('treats only an answered refusal or a connection never opened as proof nothing was created', () => {
    expect(mayHaveReachedAck(ack('ACK_TIMEOUT', { ambiguous: true }))).toBe(true);
    expect(mayHaveReachedAck(ack('ACK_THROTTLED', { ambiguous: false }))).toBe(false);
    expect(mayHaveReachedAck(new Error('unclassified'))).toBe(true);
  });

  it('holds a provision between 1 s and 60 s, ACK’s retry-after when it gave one', () => {
    expect(backoffMs({ retryAfterMs: undefined })).toBe(5000);
    expect(backoffMs({ retryAfterMs: 200 })).toBe(1000);
    expect(backoffMs({ retryAfterMs: 7000 })).toBe(7000);
    expect(backoffMs({ retryAfterMs: 3_600_000 })).toBe(60_000);
  });
});
