import { randomBytes, randomUUID } from 'node:crypto';

/** Ids shaped like ACK's: `c` + 32 hex for clusters, `T-` + 24 hex for tasks, upper-case UUIDs. */
const newClusterId = (): string => `c${randomBytes(16).toString('hex')}`;
const newTaskId = (): string => `T-${randomBytes(12).toString('hex')}`;
const newRequestId = (): string => randomUUID().toUpperCase();
const newResourceId = (prefix: string): string => `${prefix}-emu${randomBytes(8).toString('hex')}`;

export { newClusterId, newRequestId, newResourceId, newTaskId };
