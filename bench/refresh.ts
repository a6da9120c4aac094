import { startAckEmulator } from '../emulator/ack/ack-emulator.js';
import { createAlicloudClusterApi } from '../shared/ack/alicloud-cluster-api.js';
import type { ClusterApi } from '../shared/ack/cluster-api.port.js';
import { createClusterRequestSchema } from '../shared/domain/cluster-spec.js';
import { planTransition } from '../shared/domain/provision.js';
import { createLogger } from '../shared/logger.js';
import { refreshClusters } from '../shared/provisioning/refresh-clusters.js';
import { openDatabase } from '../shared/store/database.js';
import { createKyselyStore } from '../shared/store/kysely-store.js';
import { migrateToLatest } from '../shared/store/migrate.js';
import type { Store } from '../shared/store/store.port.js';

/**
 * The poller's refresh of N in-flight clusters: our way (DescribeClustersV1 pages of 100) against
 * the obvious one (DescribeClusterDetail per cluster), both through the real SDK against the
 * emulator in the same run. Reports wall time and ACK calls; the ratio is what matters.
 */
const KEY = { accessKeyId: 'LTAI5tBench', accessKeySecret: 'bench-secret' };

const REGION = 'cn-hangzhou';

/** An embedded store holding one `provisioning` provision per cluster, as ACK last showed it. */
const storeWith = async (clusterIds: readonly string[]): Promise<Store> => {
  const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
  await migrateToLatest(opened.db);
  const store = createKyselyStore({ db: opened.db, close: () => opened.close() });
  const now = new Date();
  for (const [i, clusterId] of clusterIds.entries()) {
    const id = `prv_bench${String(i).padStart(20, '0')}`;
    const { provision } = await store.createProvision({
      provision: {
        id,
        tenantId: 'ten_bench',
        name: `bench-${i}`,
        region: REGION,
        spec: createClusterRequestSchema.parse({ name: `bench-${i}`, region: REGION }),
        clusterName: `bench-${i}`,
        labels: {},
        expiresAt: null,
        createdAt: now,
      },
      event: {
        type: 'accepted',
        state: 'accepted',
        message: 'accepted',
        source: 'service',
        at: now,
      },
      job: { v: 1, kind: 'create', provisionId: id },
    });
    await store.applyTransition({
      id,
      expectedVersion: provision.version,
      transition: planTransition(provision, 'provisioning', {
        reason: 'bench.created',
        message: `ACK is creating cluster ${clusterId}`,
        now,
        patch: { clusterId, ackState: 'initial' },
      }),
    });
  }
  return store;
};

const benchRefresh = async (count: number): Promise<string[]> => {
  // Creations outlast the bench, so refresh finds every cluster as it last saw it and writes
  // nothing: the steady state of a tick, where the cost is reading ACK.
  const ack = await startAckEmulator({ ...KEY, createSeconds: 3600, askClusterQuota: count + 10 });
  let store: Store | undefined;
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
    store = await storeWith(ids);

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
    await store?.close();
    await ack.close();
  }
};

export { benchRefresh };
