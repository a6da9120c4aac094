import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { Config } from '../config.js';

/** The ACK adapter, loaded on first use: it is the largest dependency by far (~1.5 MB bundled). */
const buildClusterApi = async (config: Config): Promise<ClusterApi> => {
  const { createAlicloudClusterApi } = await import('../ack/alicloud-cluster-api.js');
  return createAlicloudClusterApi({
    credentials: config.credentials,
    ...(config.ack.endpoint ? { endpoint: config.ack.endpoint } : {}),
    protocol: config.ack.protocol,
    timeoutMs: config.ack.timeoutMs,
  });
};

export { buildClusterApi };
