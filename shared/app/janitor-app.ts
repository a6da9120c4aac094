import { hostname } from 'node:os';
import type { ClusterApi } from '../ack/cluster-api.port.js';
import { lazyClusterApi } from '../ack/lazy-cluster-api.js';
import type { CredentialsSource } from '../cloud/credentials.js';
import type { Config } from '../config.js';
import type { ContainerGroupLister } from '../eci/container-groups.port.js';
import { newId } from '../ids.js';
import type { WorkloadInspector } from '../kube/workload-inspector.port.js';
import { lazy } from '../lazy.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import { buildClusterApi } from './cluster-api.js';
import { type BaseApp, buildBase, buildQueue, credentialsOf, type SharedParts } from './parts.js';

interface JanitorApp extends BaseApp {
  clusterApi: ClusterApi;
  queue: JobQueue;
  /** Loaded on first use: @kubernetes/client-node is only needed for the idle policy. */
  inspector: () => Promise<WorkloadInspector>;
  /** Loaded on first use: ECI's view of a cluster's pods, for idle checks without a network path. */
  containerGroups: () => Promise<ContainerGroupLister>;
  /** Names this instance in the janitor lease. */
  janitorId: string;
}

const buildInspector = async (): Promise<WorkloadInspector> => {
  const { createClientNodeInspector } = await import('../kube/client-node-inspector.js');
  return createClientNodeInspector();
};

const buildContainerGroups = async (
  config: Config,
  credentials: CredentialsSource,
): Promise<ContainerGroupLister> => {
  const { createAlicloudContainerGroups } = await import('../eci/alicloud-container-groups.js');
  return createAlicloudContainerGroups({
    credentials,
    endpoint: config.eci.endpoint,
    protocol: config.eci.protocol,
    timeoutMs: config.ack.timeoutMs,
  });
};

const createJanitorApp = async (
  config: Config,
  shared: SharedParts = {},
  given?: CredentialsSource,
): Promise<JanitorApp> => {
  const credentials = credentialsOf(config, given);
  const base = await buildBase(config, shared, 'janitor', credentials);
  return {
    ...base,
    // Loaded on the first ACK call: an invocation with nothing to do never loads the SDK.
    clusterApi: lazyClusterApi(lazy(() => buildClusterApi(config, base.ackCalls, credentials))),
    queue: buildQueue(config, credentials),
    inspector: lazy(buildInspector),
    containerGroups: lazy(() => buildContainerGroups(config, credentials)),
    janitorId: `${hostname()}:${process.pid}:${newId('jan')}`,
  };
};

export type { JanitorApp };
export { createJanitorApp };
