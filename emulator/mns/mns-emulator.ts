import { createServer } from 'node:http';
import { LongPollHub } from './long-poll.js';
import { createRequestListener } from './server.js';
import { MnsStore } from './store.js';
import type { EmulatedMessage } from './types.js';
import { defaultQueueAttributes, validateQueueName } from './validators.js';

interface MnsEmulatorOptions {
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  accessKeyId: string;
  accessKeySecret: string;
  /** The clock emulated STS tokens expire by (default Date.now; emulator/sts/sts-tokens.ts). */
  tokenNow?: () => number;
  /** Created at start (with the default attributes) unless the state file already has them. */
  queues?: string[];
  /** VisibilityTimeout for queues created without one; MNS's default is 30. */
  visibilityTimeoutSeconds?: number;
  /** The clock for enqueue and visibility times (epoch ms). Defaults to Date.now. */
  now?: () => number;
  /** JSON file the state is written to after every change and read back at start. */
  stateFile?: string;
}

interface MnsEmulator {
  /** `http://host:port`, the `endpoint` to give @alicloud/mns. */
  url: string;
  port: number;
  /** Answers held long polls with MessageNotExist, then closes every connection. */
  close(): Promise<void>;
  /** Test helper: every message of a queue in delivery order, with its state. Changes nothing. */
  peekAll(queue: string): EmulatedMessage[];
  /**
   * Test helper: successful requests per operation (`SendMessage`, ...), failures per code
   * (`error:MessageNotExist`, ...), `longPollWaiting` (held now) and `longPollTimeouts`.
   */
  stats(): Record<string, number>;
}

/**
 * Starts an MNS queue emulator speaking the real XML protocol and signature, so the production
 * adapter runs unchanged against it. Structure: server.ts (read, authenticate, route, reply),
 * router.ts, handlers/ (one function per operation), store.ts (+ state-file.ts), errors.ts.
 * @example
 * const mns = await startMnsEmulator({ accessKeyId: 'id', accessKeySecret: 'secret', queues: ['jobs'] });
 * // new MNS('123', { endpoint: mns.url, accessKeyId: 'id', accessKeySecret: 'secret' })
 */
const startMnsEmulator = async (options: MnsEmulatorOptions): Promise<MnsEmulator> => {
  const host = options.host ?? '127.0.0.1';
  const visibility = options.visibilityTimeoutSeconds ?? 30;
  if (!Number.isInteger(visibility) || visibility < 1 || visibility > 43_200) {
    throw new RangeError('visibilityTimeoutSeconds must be an integer from 1 to 43200');
  }
  const defaults = defaultQueueAttributes(visibility);
  const store = new MnsStore({ now: options.now ?? Date.now, stateFile: options.stateFile });
  for (const queue of options.queues ?? []) {
    if (!store.hasQueue(validateQueueName(queue))) store.createQueue(queue, defaults);
  }
  const hub = new LongPollHub((queue, max) => store.receive(queue, max));
  const counters = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  let closing = false;

  const listener = createRequestListener({
    store,
    hub,
    defaults,
    credentials: {
      accessKeyId: options.accessKeyId,
      accessKeySecret: options.accessKeySecret,
      ...(options.tokenNow === undefined ? {} : { tokenNow: options.tokenNow }),
    },
    count: (key) => counters.set(key, (counters.get(key) ?? 0) + 1),
    isClosing: () => closing,
  });
  const server = createServer((request, response) => {
    const handled = listener(request, response).finally(() => inFlight.delete(handled));
    inFlight.add(handled);
  });
  // No idle timeout: httpx (under @alicloud/mns) keeps sockets alive forever, and a server-side
  // timeout races with a request sent on the socket being closed (an ECONNRESET the SDK never
  // retries). close() ends the connections instead.
  server.keepAliveTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('MNS emulator: no port');
  const urlHost = host.includes(':') ? `[${host}]` : host;

  const close = async (): Promise<void> => {
    closing = true;
    hub.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await Promise.allSettled([...inFlight]);
    server.closeAllConnections();
    await closed;
  };

  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close,
    peekAll: (queue) => store.snapshot(queue),
    stats: () => ({
      ...Object.fromEntries(counters),
      longPollWaiting: hub.waiting,
      longPollTimeouts: hub.expired,
    }),
  };
};

export type { EmulatedMessage, MnsEmulator, MnsEmulatorOptions };
export { startMnsEmulator };
