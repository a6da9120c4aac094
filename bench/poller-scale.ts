import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIST_PAGE_SIZE } from '../shared/ack/cluster-pages.js';
import { createLogger } from '../shared/logger.js';
import { refreshClusters } from '../shared/provisioning/refresh-clusters.js';
import { openDatabase } from '../shared/store/database.js';
import { createKyselyStore } from '../shared/store/kysely-store.js';
import { migrateToLatest } from '../shared/store/migrate.js';
import { seedAckClusters, seedProvisioning } from '../test/support/in-flight-seed.js';
import { round, scratchSchema } from './support.js';

/**
 * The poller's refresh at scale: N creations in flight (PostgreSQL; ACK emulator through the real
 * SDK, both on loopback), one tick our way (DescribeClustersV1 pages of LIST_PAGE_SIZE until every
 * cluster was seen) against one DescribeClusterDetail per cluster, in the same run. Wall time and
 * this process's CPU (the emulator runs in it too, so the CPU covers both ends of every call).
 */
const POLLER_TIMEOUT_SECONDS = 60;
const RESERVE_SECONDS = 10;

interface ScaleRow {
  inFlight: number;
  ours: { ackCalls: number; wallMs: number; cpuMs: number };
  perCluster: { ackCalls: number; wallMs: number; cpuMs: number };
  maxListCalls: number;
}

const ratio = (ours: number, baseline: number): string =>
  baseline > 0 ? `${(ours / baseline).toFixed(2)}x` : '-';

const measure = async (run: () => Promise<unknown>) => {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return {
    wallMs: round(performance.now() - started, 1),
    cpuMs: round((used.user + used.system) / 1000, 1),
  };
};

const benchPollerScale = async (
  sizes: readonly number[],
): Promise<{ lines: string[]; result: { rows: ScaleRow[]; headroom: string } }> => {
  const rows: ScaleRow[] = [];
  const logger = createLogger({ level: 'error', write: () => {} });
  for (const count of sizes) {
    const dir = await mkdtemp(join(tmpdir(), 'askp-bench-poller-'));
    const scratch = await scratchSchema();
    const seeded = await seedAckClusters(count, dir);
    const opened = await openDatabase({ databaseUrl: scratch.url });
    try {
      await migrateToLatest(opened.db);
      const store = createKyselyStore({ db: opened.db });
      await seedProvisioning(
        { store, db: opened.db },
        { tenantName: 'bench', clusterIds: seeded.clusterIds },
      );
      const calls = () => Object.values(seeded.ack.stats()).reduce((a, b) => a + b, 0);
      seeded.ack.resetStats();
      const ours = await measure(() =>
        refreshClusters(
          { store, clusterApi: seeded.clusterApi, clock: { now: () => new Date() }, logger },
          // The state refresh, as the baseline does; stage reads add at most ASKP_POLLER_TASK_READS.
          { batch: count, taskReads: 0 },
        ),
      );
      const ourCalls = calls();
      seeded.ack.resetStats();
      const perCluster = await measure(async () => {
        for (const clusterId of seeded.clusterIds)
          await seeded.clusterApi.describeCluster({ clusterId, regionId: seeded.region });
      });
      rows.push({
        inFlight: count,
        ours: { ackCalls: ourCalls, ...ours },
        perCluster: { ackCalls: calls(), ...perCluster },
        maxListCalls: Math.ceil(count / LIST_PAGE_SIZE),
      });
    } finally {
      await opened.close();
      await seeded.ack.close();
      await scratch.drop();
      await rm(dir, { recursive: true, force: true });
    }
  }
  const largest = rows.at(-1);
  const budgetMs = (POLLER_TIMEOUT_SECONDS - RESERVE_SECONDS) * 1000;
  const headroom = largest
    ? `${largest.inFlight} in flight: ${(largest.ours.wallMs / 1000).toFixed(1)} s of a ${POLLER_TIMEOUT_SECONDS} s timeout (${budgetMs / 1000} s after the ${RESERVE_SECONDS} s reserve): ${((1 - largest.ours.wallMs / budgetMs) * 100).toFixed(0)}% of the budget left`
    : 'no sizes measured';
  const lines = [
    `poller tick at scale (one region; ours: DescribeClustersV1 pages of ${LIST_PAGE_SIZE}; baseline: one DescribeClusterDetail per cluster)`,
    '  in flight   ours: calls (max)     wall      cpu   per cluster: calls     wall      cpu   ours/per cluster: calls  wall   cpu',
    ...rows.map(
      (r) =>
        `  ${String(r.inFlight).padStart(9)}   ${String(r.ours.ackCalls).padStart(5)} (${String(r.maxListCalls).padStart(3)}) ${r.ours.wallMs.toFixed(0).padStart(8)} ms ${r.ours.cpuMs.toFixed(0).padStart(6)} ms   ${String(r.perCluster.ackCalls).padStart(11)} ${r.perCluster.wallMs.toFixed(0).padStart(8)} ms ${r.perCluster.cpuMs.toFixed(0).padStart(6)} ms   ${ratio(r.ours.ackCalls, r.perCluster.ackCalls).padStart(22)} ${ratio(r.ours.wallMs, r.perCluster.wallMs).padStart(5)} ${ratio(r.ours.cpuMs, r.perCluster.cpuMs).padStart(5)}`,
    ),
    `  headroom: ${headroom}`,
  ];
  return { lines, result: { rows, headroom } };
};

export { benchPollerScale };
