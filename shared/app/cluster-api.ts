import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { CredentialsSource } from '../cloud/credentials.js';
import type { Config } from '../config.js';
import type { AckCallTally } from '../metrics/ack-call-tally.js';

/** The ACK adapter, loaded on first use: it is the largest dependency by far (~1.5 MB bundled). */
const buildClusterApi = async (
  config: Config,
  ackCalls: AckCallTally,
  credentials: CredentialsSource,
): Promise<ClusterApi> => {
  const { createAlicloudClusterApi } = await import('../ack/alicloud-cluster-api.js');
  return createAlicloudClusterApi({
    credentials,
    ...(config.ack.endpoint ? { endpoint: config.ack.endpoint } : {}),
    protocol: config.ack.protocol,
    timeoutMs: config.ack.timeoutMs,
    // Counted in memory, added to the shared counts at the end of the invocation (or soon after
    // for the API), so /metrics shows the whole service's ACK calls and no call waits for it.
    onCall: (action, code) => ackCalls.count(action, code),
  });
};

export { buildClusterApi };
