import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as z from 'zod';
import type { QueueState } from './types.js';

/** On-disk shape of the emulator's state: every queue with its messages, plus the sequence. */
const attributesSchema = z.object({
  delaySeconds: z.number().int(),
  maximumMessageSize: z.number().int(),
  messageRetentionPeriod: z.number().int(),
  visibilityTimeout: z.number().int(),
  pollingWaitSeconds: z.number().int(),
  loggingEnabled: z.boolean(),
});

const messageSchema = z.object({
  messageId: z.string(),
  body: z.string(),
  bodyMd5: z.string(),
  priority: z.number().int(),
  enqueueTime: z.number(),
  nextVisibleTime: z.number(),
  firstDequeueTime: z.number().nullable(),
  dequeueCount: z.number().int(),
  receiptHandle: z.string().nullable(),
  sequence: z.number().int(),
});

const queueSchema = z.object({
  name: z.string(),
  attributes: attributesSchema,
  createTime: z.number(),
  lastModifyTime: z.number(),
  messages: z.array(messageSchema),
});

const stateSchema = z.object({
  version: z.literal(1),
  sequence: z.number().int(),
  /** The last journal entry this snapshot already holds (absent: none). */
  journaled: z.number().int().optional(),
  queues: z.array(queueSchema),
});

/** One journal line: the whole of the one queue that changed (or its deletion), numbered. */
const entrySchema = z.union([
  z.object({ n: z.number().int(), sequence: z.number().int(), queue: queueSchema }),
  z.object({ n: z.number().int(), sequence: z.number().int(), deleted: z.string() }),
]);

interface PersistedState {
  sequence: number;
  queues: QueueState[];
}

type Change = { queue: QueueState } | { deleted: string };

/** Journal entries between two snapshots; a snapshot costs a write of every queue. */
const COMPACT_EVERY = 1000;

/** Missing file: a fresh start. A corrupt file is an error, not silently an empty queue. */
const readSnapshot = (path: string) => {
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`MNS emulator state file ${path} is not readable JSON`, { cause: error });
  }
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`MNS emulator state file ${path} is not valid: ${parsed.error.message}`);
  }
  return parsed.data;
};

/**
 * The journal's entries, in order. Each is one `appendFileSync` (one write(2)), so `kill -9`
 * leaves whole lines; only a last line with no newline can be cut short (the process died inside
 * the write, before the request it belongs to was answered) and is dropped. Any other bad line
 * is an error, as a corrupt snapshot is.
 */
const readJournal = (path: string) => {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  // The piece after the last newline: empty, or a line cut short.
  return text
    .split('\n')
    .slice(0, -1)
    .map((line, index) => {
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (error) {
        throw new Error(`MNS emulator journal ${path} line ${index + 1} is not readable JSON`, {
          cause: error,
        });
      }
      const parsed = entrySchema.safeParse(raw);
      if (!parsed.success) {
        throw new Error(`MNS emulator journal ${path} line ${index + 1} is not valid`);
      }
      return parsed.data;
    });
};

/**
 * The emulator's state on disk: a snapshot (`path`, written whole, write-then-rename) and a
 * journal beside it (`path.journal`) that gets one line per change, holding only the queue that
 * changed. A change costs one append instead of a rewrite and rename of every queue, and is as
 * durable against `kill -9` as the rename was: both are in the kernel once the call returns (and
 * neither survives a power loss, which nothing here asks of an emulator). Every COMPACT_EVERY
 * entries the state is written as a new snapshot that names the last entry it holds, then the
 * journal is emptied; a crash between the two replays nothing twice (entries at or below the
 * snapshot's number are skipped).
 */
class StateFile {
  private readonly journal: string;
  private entries = 0;
  private last = 0;

  public constructor(private readonly path: string) {
    this.journal = `${path}.journal`;
  }

  /** The snapshot with the journal replayed over it; undefined when neither exists. */
  public load(): PersistedState | undefined {
    const snapshot = readSnapshot(this.path);
    const journal = readJournal(this.journal);
    if (snapshot === undefined && journal.length === 0) return undefined;
    const queues = new Map((snapshot?.queues ?? []).map((queue) => [queue.name, queue]));
    let sequence = snapshot?.sequence ?? 0;
    this.last = snapshot?.journaled ?? 0;
    for (const entry of journal) {
      if (entry.n <= this.last) continue;
      if ('queue' in entry) queues.set(entry.queue.name, entry.queue);
      else queues.delete(entry.deleted);
      sequence = entry.sequence;
      this.last = entry.n;
    }
    const state = { sequence, queues: [...queues.values()] };
    // Folded into a new snapshot at once: a cut-short last line must not run into the next one.
    if (existsSync(this.journal)) this.compact(state);
    return state;
  }

  /** Records one change; `state` is the whole state after it, for the compaction. */
  public record(change: Change, state: () => PersistedState): void {
    this.last += 1;
    const { sequence } = state();
    // One write(2) per change: kill -9 can only leave the last line short (dropped on load).
    appendFileSync(this.journal, `${JSON.stringify({ n: this.last, sequence, ...change })}\n`);
    this.entries += 1;
    if (this.entries >= COMPACT_EVERY) this.compact(state());
  }

  private compact(state: PersistedState): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ version: 1, journaled: this.last, ...state }));
    renameSync(temporary, this.path);
    writeFileSync(this.journal, '');
    this.entries = 0;
  }
}

export type { Change, PersistedState };
export { COMPACT_EVERY, StateFile };
