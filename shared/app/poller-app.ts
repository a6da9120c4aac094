import type { ClusterApi } from '../ack/cluster-api.port.js';
import { lazyClusterApi } from '../ack/lazy-cluster-api.js';
import type { CredentialsSource } from '../cloud/credentials.js';
import type { Config } from '../config.js';
import { lazy } from '../lazy.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import { createWebhookSender, type WebhookSender } from '../webhooks/webhook-sender.js';
import { buildClusterApi } from './cluster-api.js';
import { type BaseApp, buildBase, buildQueue, credentialsOf, type SharedParts } from './parts.js';

interface PollerApp extends BaseApp {
  queue: JobQueue;
  clusterApi: ClusterApi;
  webhookSender: WebhookSender;
}

const createPollerApp = async (
  config: Config,
  shared: SharedParts = {},
  given?: CredentialsSource,
): Promise<PollerApp> => {
  const credentials = credentialsOf(config, given);
  const base = await buildBase(config, shared, 'poller', credentials);
  return {
    ...base,
    queue: buildQueue(config, credentials),
    // Loaded on the first ACK call: an invocation with nothing to do never loads the SDK.
    clusterApi: lazyClusterApi(lazy(() => buildClusterApi(config, base.ackCalls, credentials))),
    webhookSender: createWebhookSender({
      timeoutMs: config.webhooks.timeoutMs,
      allowHttp: config.webhooks.allowHttp,
      allowedCidrs: config.webhooks.allowedCidrs,
    }),
  };
};

export type { PollerApp };
export { createPollerApp };
