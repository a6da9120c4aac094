import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { CredentialsSource } from '../cloud/credentials.js';
import type { Config } from '../config.js';
import type { ServiceMetricsStore } from '../store/service-metrics.port.js';

/** The ACK adapter, loaded on first use: it is the largest dependency by far (~1.5 MB bundled). */
const buildClusterApi = async (
  config: Config,
  metrics: Pick<ServiceMetricsStore, 'countAckCall'>,
  credentials: CredentialsSource,
): Promise<ClusterApi> => {
  const { createAlicloudClusterApi } = await import('../ack/alicloud-cluster-api.js');
  return createAlicloudClusterApi({
    credentials,
    ...(config.ack.endpoint ? { endpoint: config.ack.endpoint } : {}),
    protocol: config.ack.protocol,
    timeoutMs: config.ack.timeoutMs,
    // Every instance adds to the same counts, so /metrics shows the whole service's ACK calls.
    onCall: (action, code) => metrics.countAckCall({ action, code }),
  });
};

export { buildClusterApi };
