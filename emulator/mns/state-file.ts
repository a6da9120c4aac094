import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

const stateSchema = z.object({
  version: z.literal(1),
  sequence: z.number().int(),
  queues: z.array(
    z.object({
      name: z.string(),
      attributes: attributesSchema,
      createTime: z.number(),
      lastModifyTime: z.number(),
      messages: z.array(messageSchema),
    }),
  ),
});

interface PersistedState {
  sequence: number;
  queues: QueueState[];
}

/** Missing file: a fresh start. A corrupt file is an error, not silently an empty queue. */
const loadState = (path: string): PersistedState | undefined => {
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
  return { sequence: parsed.data.sequence, queues: parsed.data.queues };
};

/** Write-then-rename, so a crash mid-write leaves the previous state, never half a file. */
const saveState = (path: string, state: PersistedState): void => {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ version: 1, ...state }));
  renameSync(temporary, path);
};

export type { PersistedState };
export { loadState, saveState };
