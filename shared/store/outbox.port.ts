import type { Job, JobKind } from '../domain/job.js';

interface OutboxEntry {
  id: string;
  provisionId: string;
  kind: JobKind;
  body: Job;
  createdAt: Date;
  sentAt: Date | null;
  attempts: number;
  lastAttemptAt: Date | null;
}

/**
 * The outbox of jobs owed to the worker: entries are written with the provision change that owes
 * them (ProvisionStore), then marked sent; the poller's sweep re-sends what was not.
 */
interface OutboxStore {
  markOutboxSent(input: { id: string; at: Date }): Promise<void>;
  /** `markOutboxSent` for many entries in one statement (the API's marks written behind). */
  markOutboxSentMany(input: { ids: readonly string[]; at: Date }): Promise<void>;
  /** Entries never sent, whose last attempt (or creation) is older than `before`. */
  listUnsentOutbox(input: { before: Date; limit: number }): Promise<OutboxEntry[]>;
  recordOutboxAttempt(input: { id: string; at: Date }): Promise<void>;
}

export type { OutboxEntry, OutboxStore };
