import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import type { LocalStack } from '../../local/stack.js';
import { type ApiCall, type ApiCaller, type ApiReply, httpApi, jsonOf } from './api-client.js';
import { startFastStack } from './fast-stack.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

/**
 * The set-up most end-to-end files share: a fast local stack in a data directory of its own, a
 * webhook receiver for the clusters' `webhook.url`, and the HTTP client of the stack's API; `stop`
 * takes all three down and removes the directory. `api` calls with the stack's admin key;
 * `registerNetwork` registers a named network for every tenant, as a managed cluster's must be.
 */
interface E2eStack {
  stack: LocalStack;
  receiver: WebhookReceiver;
  http: ApiCaller;
  dataDir: string;
  api(call: Omit<ApiCall, 'key'>): Promise<ApiReply>;
  registerNetwork(network: { region: string; vpcId: string; vswitchIds: string[] }): Promise<void>;
  stop(): Promise<void>;
}

const tenantList = z.looseObject({ items: z.array(z.looseObject({ id: z.string() })) });

const startE2eStack = async (
  prefix: string,
  options: { createSeconds?: number } = {},
): Promise<E2eStack> => {
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  const receiver = await startWebhookReceiver();
  const stack = await startFastStack(dataDir, options);
  const http = httpApi(stack.apiUrl);
  const api = (call: Omit<ApiCall, 'key'>) => http({ ...call, key: stack.apiKey });
  return {
    stack,
    receiver,
    http,
    dataDir,
    api,
    // An admin's PUT …/networks for each tenant the stack has.
    registerNetwork: async (network) => {
      const tenants = jsonOf(await api({ method: 'GET', path: '/v1/admin/tenants' }), tenantList);
      for (const tenant of tenants.items) {
        const registered = await api({
          method: 'PUT',
          path: `/v1/admin/tenants/${tenant.id}/networks`,
          json: { networks: [network] },
        });
        if (registered.status !== 200)
          throw new Error(`registering a network: ${registered.status} ${registered.body}`);
      }
    },
    stop: async () => {
      await stack.stop();
      await receiver.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

export type { E2eStack };
export { startE2eStack };
