import { hostname } from 'node:os';
import type { ClusterApi } from '../ack/cluster-api.port.js';
import { lazyClusterApi } from '../ack/lazy-cluster-api.js';
import type { CredentialsSource } from '../cloud/credentials.js';
import type { Config } from '../config.js';
import { newId } from '../ids.js';
import { lazy } from '../lazy.js';
import { type AccountFacts, cachedAccountFacts } from '../provisioning/account-facts.js';
import type { VpcNetworkApi } from '../vpc/vpc-network.port.js';
import { buildClusterApi } from './cluster-api.js';
import { type BaseApp, buildBase, credentialsOf, type SharedParts } from './parts.js';
import { lazyVpcNetworkApi } from './vpc-network.js';

interface WorkerApp extends BaseApp {
  clusterApi: ClusterApi;
  /** The create job's preflight checks a caller's VPC and vSwitches through it. */
  vpcNetwork: VpcNetworkApi;
  /** What the create job's preflight reads of the account, kept a minute per instance. */
  accountFacts: AccountFacts;
  /** Names this instance in leases, so a worker recognises its own claim. */
  workerId: string;
}

const createWorkerApp = async (
  config: Config,
  shared: SharedParts = {},
  given?: CredentialsSource,
): Promise<WorkerApp> => {
  const credentials = credentialsOf(config, given);
  const base = await buildBase(config, shared, 'worker', credentials);
  // Loaded on the first ACK call: an invocation with nothing to do never loads the SDK.
  const clusterApi = lazyClusterApi(
    lazy(() => buildClusterApi(config, base.ackCalls, credentials)),
  );
  return {
    ...base,
    clusterApi,
    accountFacts: cachedAccountFacts(clusterApi),
    vpcNetwork: lazyVpcNetworkApi(config, credentials),
    workerId: `${hostname()}:${process.pid}:${newId('wkr')}`,
  };
};

export type { WorkerApp };
export { createWorkerApp };
