import { startAckEmulator } from '../emulator/ack/ack-emulator.js';
import { createAlicloudClusterApi } from '../shared/ack/alicloud-cluster-api.js';
import type { ClusterApi } from '../shared/ack/cluster-api.port.js';
import { createLogger } from '../shared/logger.js';
import { refreshClusters } from '../shared/provisioning/refresh-clusters.js';
import type { Store } from '../shared/store/store.port.js';

/**
 * The poller's refresh of N in-flight clusters: our way (DescribeClustersV1 pages of 100) against
 * the obvious one (DescribeClusterDetail per cluster), both through the real SDK against the
 * emulator in the same run. Reports wall time and ACK calls; the ratio is what matters.
 */
const KEY = { accessKeyId: 'LTAI5tBench', accessKeySecret: 'bench-secret' };

const benchRefresh = async (count: number): Promise<string[]> => {
  const ack = await startAckEmulator({ ...KEY, createSeconds: 0, askClusterQuota: count + 10 });
  try {
    const api: ClusterApi = createAlicloudClusterApi({
      credentials: KEY,
      endpoint: ack.endpoint,
      protocol: 'http',
    });
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const created = await api.createCluster({
        name: `bench-${i}`,
        regionId: 'cn-hangzhou',
        serviceCidr: '172.21.0.0/20',
        endpointPublicAccess: false,
        snatEntry: true,
        clusterSpec: 'ack.standard',
        addons: [],
        tags: {},
        deletionProtection: false,
      });
      ids.push(created.clusterId);
    }
    const provisions = ids.map((clusterId, i) => ({
      id: `prv_bench${String(i).padStart(20, '0')}`,
      region: 'cn-hangzhou',
      clusterId,
      state: 'provisioning' as const,
      ackState: 'initial',
    }));
    // Only the calls refresh makes are answered; the rest of the store is not reached here.
    const store = {
      listProvisions: async (query: { afterId?: string }) => (query.afterId ? [] : provisions),
      updateProvision: async () => null,
      applyTransition: async () => null,
    } as unknown as Store;

    ack.resetStats();
    const naiveStart = performance.now();
    for (const clusterId of ids) await api.describeCluster({ clusterId, regionId: 'cn-hangzhou' });
    const naiveMs = performance.now() - naiveStart;
    const naiveCalls = Object.values(ack.stats()).reduce((a, b) => a + b, 0);

    ack.resetStats();
    const oursStart = performance.now();
    await refreshClusters(
      {
        store,
        clusterApi: api,
        clock: { now: () => new Date() },
        logger: createLogger({ level: 'error' }),
      },
      // The state refresh alone, as the baseline does; stage reads add at most taskReads calls.
      { batch: count, taskReads: 0 },
    );
    const oursMs = performance.now() - oursStart;
    const ourCalls = Object.values(ack.stats()).reduce((a, b) => a + b, 0);
    return [
      `poller refresh of ${count} in-flight clusters (baseline: one DescribeClusterDetail each)`,
      `  baseline ${naiveMs.toFixed(0).padStart(6)} ms  ${naiveCalls} ACK calls`,
      `  ours     ${oursMs.toFixed(0).padStart(6)} ms  ${ourCalls} ACK calls  ${(oursMs / naiveMs).toFixed(2)}x time, ${(ourCalls / naiveCalls).toFixed(2)}x calls`,
    ];
  } finally {
    await ack.close();
  }
};

export { benchRefresh };
