import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalStack } from '../../local/stack.js';
import { type ApiCaller, httpApi } from './api-client.js';
import { startFastStack } from './fast-stack.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

/**
 * The set-up most end-to-end files share: a fast local stack in a data directory of its own, a
 * webhook receiver for the clusters' `webhook.url`, and the HTTP client of the stack's API; `stop`
 * takes all three down and removes the directory.
 */
interface E2eStack {
  stack: LocalStack;
  receiver: WebhookReceiver;
  http: ApiCaller;
  dataDir: string;
  stop(): Promise<void>;
}

const startE2eStack = async (
  prefix: string,
  options: { createSeconds?: number } = {},
): Promise<E2eStack> => {
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  const receiver = await startWebhookReceiver();
  const stack = await startFastStack(dataDir, options);
  return {
    stack,
    receiver,
    http: httpApi(stack.apiUrl),
    dataDir,
    stop: async () => {
      await stack.stop();
      await receiver.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

export type { E2eStack };
export { startE2eStack };
