import { isAckError } from '../ack/ack-error.js';
import { isDomainError } from '../domain/errors.js';

/**
 * Why a create attempt must come back later, and whether that counts against the give-up budget
 * (`ASKP_WORKER_MAX_ATTEMPTS`). The budget is for failures that can repeat forever (a crash at the
 * same step, a bug): throttling, a 5xx, a timeout, a network fault and waiting for an ambiguous
 * create to settle all pass by themselves, so they back off (honouring ACK's retry-after) and
 * leave the budget as it was. A crash is no cause at all: the process is gone, its claim counts.
 */
type RetryCause =
  | { kind: 'transient'; code: string; retryAfterMs: number | undefined }
  | { kind: 'failure'; code: string };

const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'ACK_THROTTLED',
  'ACK_UNAVAILABLE',
  'ACK_NETWORK',
  'ACK_TIMEOUT',
  'QUEUE_UNAVAILABLE',
  // Our own "come back later": a lease held elsewhere, a lost compare-and-set, a create settling.
  'RETRY_LATER',
]);

const retryCauseOf = (error: unknown): RetryCause => {
  if (!isDomainError(error)) return { kind: 'failure', code: 'UNKNOWN' };
  if (error.retryable && TRANSIENT_CODES.has(error.code)) {
    return { kind: 'transient', code: error.code, retryAfterMs: error.retryAfterMs };
  }
  return { kind: 'failure', code: error.code };
};

/**
 * Whether a failed CreateCluster may still have made a cluster: an answer from ACK refusing the
 * request (throttling, a 4xx) or a connection that never opened proves it did not; a timeout, a
 * reset or a 5xx does not (the retry policy marks those `ambiguous`). Anything we cannot classify
 * is treated as ambiguous.
 */
const mayHaveReachedAck = (error: unknown): boolean => {
  if (isAckError(error)) return error.ambiguous;
  return !isDomainError(error);
};

/** The hold after a transient cause: ACK's retry-after when it gave one, within bounds. */
const backoffMs = (cause: { retryAfterMs: number | undefined }): number =>
  Math.min(60_000, Math.max(1000, cause.retryAfterMs ?? 5000));

export type { RetryCause };
export { backoffMs, mayHaveReachedAck, retryCauseOf };
