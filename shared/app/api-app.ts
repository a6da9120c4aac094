import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { CredentialsSource } from '../cloud/credentials.js';
import type { Config } from '../config.js';
import { type ApiKeyCache, createApiKeyCache } from '../http/api-key-cache.js';
import type { BlockedAddresses } from '../http/auth-throttle.js';
import { loadCursorKey } from '../http/cursor.js';
import { createRateLimiter, type RateLimiter } from '../http/rate-limiter.js';
import { lazy } from '../lazy.js';
import { type AckCatalog, createAckCatalog } from '../provisioning/ack-catalog.js';
import { createOutboxMarks, type OutboxMarks } from '../provisioning/outbox-marks.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import {
  createTenantCreateSettingsCache,
  type TenantCreateSettingsCache,
} from '../tenancy/tenant-create-settings.js';
import type { VpcNetworkApi } from '../vpc/vpc-network.port.js';
import { createWebhookSender, type WebhookSender } from '../webhooks/webhook-sender.js';
import { buildClusterApi } from './cluster-api.js';
import { type BaseApp, buildBase, buildQueue, credentialsOf, type SharedParts } from './parts.js';
import { buildVpcNetworkApi } from './vpc-network.js';

interface ApiApp extends BaseApp {
  queue: JobQueue;
  /**
   * ACK, for the few routes that read it (kubeconfig, preflight, options, PATCH of what ACK
   * holds). Loaded on first use: the API function never loads the ACK SDK at start-up.
   */
  clusterApi: () => Promise<ClusterApi>;
  /** The VPC API, for the preflight route's network check; loaded on first use. */
  vpcNetwork: () => Promise<VpcNetworkApi>;
  /** What ACK offers (versions, addons), cached per instance; creates are checked against it. */
  ackCatalog: AckCatalog;
  /** Source addresses this instance answers 429 without a database lookup (auth-throttle.ts). */
  blockedAddresses: BlockedAddresses;
  /** Keys this instance read, trusted for `ASKP_API_KEY_CACHE_SECONDS` (api-key-cache.ts). */
  apiKeyCache: ApiKeyCache;
  /** Per-key token buckets, spent here and written behind (rate-limiter.ts). */
  rateLimiter: RateLimiter;
  /** For `:ping`, the one webhook the API sends itself (same SSRF guard as the poller's). */
  webhookSender: WebhookSender;
  /** The key page cursors are signed with (service_keys), read once per instance. */
  cursorKey: () => Promise<Buffer>;
  /** Outbox entries whose job this instance sent, marked behind the answer (outbox-marks.ts). */
  outboxMarks: OutboxMarks;
  /** Tenants' defaults and quotas as creates read them, kept as long as keys are. */
  tenantCreateSettings: TenantCreateSettingsCache;
}

const createApiApp = async (
  config: Config,
  shared: SharedParts = {},
  given?: CredentialsSource,
): Promise<ApiApp> => {
  const credentials = credentialsOf(config, given);
  const base = await buildBase(config, shared, 'api', credentials);
  const clusterApi = lazy(() => buildClusterApi(config, base.ackCalls, credentials));
  return {
    ...base,
    queue: buildQueue(config, credentials),
    clusterApi,
    vpcNetwork: lazy(() => buildVpcNetworkApi(config, credentials)),
    ackCatalog: createAckCatalog(clusterApi),
    blockedAddresses: new Map(),
    apiKeyCache: createApiKeyCache({ ttlMs: config.apiKeys.cacheSeconds * 1000 }),
    rateLimiter: createRateLimiter({
      store: base.store,
      clock: base.clock,
      logger: base.logger,
      ...config.rateLimit,
    }),
    webhookSender: createWebhookSender({
      timeoutMs: config.webhooks.timeoutMs,
      allowHttp: config.webhooks.allowHttp,
      allowedCidrs: config.webhooks.allowedCidrs,
    }),
    cursorKey: lazy(() => loadCursorKey({ store: base.store, now: base.clock.now() })),
    outboxMarks: createOutboxMarks(base),
    tenantCreateSettings: createTenantCreateSettingsCache({
      store: base.store,
      clock: base.clock,
      ttlMs: config.apiKeys.cacheSeconds * 1000,
    }),
  };
};

export type { ApiApp };
export { createApiApp };
