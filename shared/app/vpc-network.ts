import type { CredentialsSource } from '../cloud/credentials.js';
import type { Config } from '../config.js';
import { lazy } from '../lazy.js';
import type { VpcNetworkApi } from '../vpc/vpc-network.port.js';

/**
 * The VPC API adapter, loaded on first use like the ACK one (its SDK is large): the preflight's
 * check that a caller's VPC and vSwitches exist. It shares ACK's protocol and timeout.
 */
const buildVpcNetworkApi = async (
  config: Config,
  credentials: CredentialsSource,
): Promise<VpcNetworkApi> => {
  const { createVpcNetworkApi } = await import('../vpc/vpc-network-api.js');
  return createVpcNetworkApi({
    credentials,
    ...(config.vpc.endpoint ? { endpoint: config.vpc.endpoint } : {}),
    protocol: config.ack.protocol,
    timeoutMs: config.ack.timeoutMs,
  });
};

/**
 * The port, its adapter (and SDK) loaded on the first call: a worker batch of jobs without a
 * network of their own never loads it.
 */
const lazyVpcNetworkApi = (config: Config, credentials: CredentialsSource): VpcNetworkApi => {
  const api = lazy(() => buildVpcNetworkApi(config, credentials));
  return {
    findVpc: async (query) => (await api()).findVpc(query),
    findVswitch: async (query) => (await api()).findVswitch(query),
  };
};

export { buildVpcNetworkApi, lazyVpcNetworkApi };
