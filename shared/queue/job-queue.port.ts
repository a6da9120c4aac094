import type { Job } from '../domain/job.js';

/**
 * The JobQueue port. Producers only `send`; in Function Compute the MNS queue trigger consumes.
 * `receive`/`delete` exist for the local function host, which plays the trigger's part, and for
 * tests. Errors are `DomainError`s: `QUEUE_UNAVAILABLE` (retryable) or `QUEUE_MESSAGE_INVALID`.
 */
interface SentJob {
  messageId: string;
}

interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  /** The body exactly as queued (base64 JSON for our jobs; decode with job-codec.ts). */
  body: string;
  dequeueCount: number;
  enqueueTime: Date;
  firstDequeueTime: Date | null;
}

interface JobQueue {
  send(job: Job): Promise<SentJob>;
  /** Up to `max` (1–16) visible messages, waiting up to `waitSeconds` (0–30) when empty. */
  receive(input: { max: number; waitSeconds: number }): Promise<ReceivedMessage[]>;
  /** Deleting with a stale receipt handle is not an error: the message will simply come back. */
  delete(receiptHandle: string): Promise<void>;
}

export type { JobQueue, ReceivedMessage, SentJob };
