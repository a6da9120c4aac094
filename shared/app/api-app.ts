import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { Config } from '../config.js';
import type { BlockedAddresses } from '../http/auth-throttle.js';
import { loadCursorKey } from '../http/cursor.js';
import { lazy } from '../lazy.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import { createWebhookSender, type WebhookSender } from '../webhooks/webhook-sender.js';
import { buildClusterApi } from './cluster-api.js';
import { type BaseApp, buildBase, buildQueue, type SharedParts } from './parts.js';

interface ApiApp extends BaseApp {
  queue: JobQueue;
  /**
   * ACK, for the few routes that read it (kubeconfig, preflight, options, PATCH of what ACK
   * holds). Loaded on first use: the API function never loads the ACK SDK at start-up.
   */
  clusterApi: () => Promise<ClusterApi>;
  /** Source addresses this instance answers 429 without a database lookup (auth-throttle.ts). */
  blockedAddresses: BlockedAddresses;
  /** For `:ping`, the one webhook the API sends itself (same SSRF guard as the poller's). */
  webhookSender: WebhookSender;
  /** The key page cursors are signed with (service_keys), read once per instance. */
  cursorKey: () => Promise<Buffer>;
}

const createApiApp = async (config: Config, shared: SharedParts = {}): Promise<ApiApp> => {
  const base = await buildBase(config, shared, 'api');
  return {
    ...base,
    queue: buildQueue(config),
    clusterApi: lazy(() => buildClusterApi(config, base.store)),
    blockedAddresses: new Map(),
    webhookSender: createWebhookSender({
      timeoutMs: config.webhooks.timeoutMs,
      allowHttp: config.webhooks.allowHttp,
      allowedCidrs: config.webhooks.allowedCidrs,
    }),
    cursorKey: lazy(() => loadCursorKey({ store: base.store, now: base.clock.now() })),
  };
};

export type { ApiApp };
export { createApiApp };
