import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { Config } from '../config.js';
import { lazy } from '../lazy.js';
import { type AckCatalog, createAckCatalog } from '../provisioning/ack-catalog.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import { buildClusterApi } from './cluster-api.js';
import { type BaseApp, buildBase, buildQueue, type SharedParts } from './parts.js';

interface ApiApp extends BaseApp {
  queue: JobQueue;
  /**
   * ACK, for the few routes that read it (kubeconfig, preflight, options, PATCH of what ACK
   * holds). Loaded on first use: the API function never loads the ACK SDK at start-up.
   */
  clusterApi: () => Promise<ClusterApi>;
  /** What ACK offers (versions, addons), cached per instance; creates are checked against it. */
  ackCatalog: AckCatalog;
}

const createApiApp = async (config: Config, shared: SharedParts = {}): Promise<ApiApp> => {
  const clusterApi = lazy(() => buildClusterApi(config));
  return {
    ...(await buildBase(config, shared, 'api')),
    queue: buildQueue(config),
    clusterApi,
    ackCatalog: createAckCatalog(clusterApi),
  };
};

export type { ApiApp };
export { createApiApp };
