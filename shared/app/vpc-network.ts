import type { CredentialsSource } from '../cloud/credentials.js';
import type { Config } from '../config.js';
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
 * A VpcNetworkApi built on its first call: the worker checks a network only for a create that
 * names one, so an invocation without such a job never loads the VPC SDK (docs/performance.md).
 */
const lazyVpcNetworkApi = (load: () => Promise<VpcNetworkApi>): VpcNetworkApi => ({
  findVpc: async (query) => (await load()).findVpc(query),
  findVswitch: async (query) => (await load()).findVswitch(query),
});

export { buildVpcNetworkApi, lazyVpcNetworkApi };
