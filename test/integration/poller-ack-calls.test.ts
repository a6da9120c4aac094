import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_PAGE_SIZE } from '../../shared/ack/cluster-pages.js';
import { createLogger } from '../../shared/logger.js';
import { refreshClusters } from '../../shared/provisioning/refresh-clusters.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import { type Seeded, seedAckClusters, seedProvisioning } from '../support/in-flight-seed.js';
import { StatementCounter } from '../support/statement-counter.js';

/**
 * What a poller tick costs ACK: N creations in flight in one region are read with
 * DescribeClustersV1 pages, at most ceil(N / page size) calls, never one call per cluster; the
 * stage reads (DescribeTaskInfo) stay within ASKP_POLLER_TASK_READS. Real SDK, ACK emulator.
 */
const IN_FLIGHT = 120;

describe('poller tick against ACK', () => {
  let dir: string;
  let seeded: Seeded;
  let opened: Awaited<ReturnType<typeof openDatabase>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'askp-ack-calls-'));
    seeded = await seedAckClusters(IN_FLIGHT, dir);
    opened = await openDatabase({ databaseUrl: 'pglite://memory' });
    await migrateToLatest(opened.db);
    const store = createKyselyStore({ db: opened.db });
    await seedProvisioning(
      { store, db: opened.db },
      { tenantName: 'calls', clusterIds: seeded.clusterIds },
    );
  }, 60_000);

  afterAll(async () => {
    await seeded.ack.close();
    await opened.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(`reads ${IN_FLIGHT} in-flight clusters with at most ceil(N / ${LIST_PAGE_SIZE}) list calls and no per-cluster reads`, async () => {
    const store = createKyselyStore({ db: opened.db });
    seeded.ack.resetStats();
    const tally = await refreshClusters(
      {
        store,
        clusterApi: seeded.clusterApi,
        clock: { now: () => new Date() },
        logger: createLogger({ level: 'error', write: () => {} }),
      },
      { batch: 1000, taskReads: 7 },
    );
    const calls = seeded.ack.stats();
    expect(tally.examined).toBe(IN_FLIGHT);
    expect(calls.DescribeClustersV1 ?? 0).toBeGreaterThan(0);
    expect(calls.DescribeClustersV1 ?? 0).toBeLessThanOrEqual(
      Math.ceil(IN_FLIGHT / LIST_PAGE_SIZE),
    );
    expect(calls.DescribeClusterDetail ?? 0).toBe(0);
    expect(calls.DescribeTaskInfo ?? 0).toBeLessThanOrEqual(7);
    const total = Object.values(calls).reduce((sum, n) => sum + n, 0);
    expect(total).toBeLessThanOrEqual(Math.ceil(IN_FLIGHT / LIST_PAGE_SIZE) + 7);
  });

  it('stops applying observations when the time budget runs out and leaves the rest for the next tick', async () => {
    const store = createKyselyStore({ db: opened.db });
    // The region check, then 30 observations; every later check finds the budget spent.
    let checks = 0;
    const budget = {
      remainingMs: () => (checks <= 31 ? 60_000 : 0),
      allows: () => {
        checks += 1;
        return checks <= 31;
      },
    };
    const tally = await refreshClusters(
      {
        store,
        clusterApi: seeded.clusterApi,
        clock: { now: () => new Date() },
        logger: createLogger({ level: 'error', write: () => {} }),
      },
      { batch: 1000, taskReads: 0, budget, regionMs: 1 },
    );
    expect(tally.examined).toBe(30);
    expect(tally.left).toBe(IN_FLIGHT - 30);
  });

  it('writes nothing to the database for clusters whose state did not change', async () => {
    const counter = new StatementCounter();
    const store = createKyselyStore({ db: opened.db.withPlugin(counter) });
    const tally = await refreshClusters(
      {
        store,
        clusterApi: seeded.clusterApi,
        clock: { now: () => new Date() },
        logger: createLogger({ level: 'error', write: () => {} }),
      },
      { batch: 1000, taskReads: 0 },
    );
    expect(tally).toMatchObject({ examined: IN_FLIGHT, changed: 0 });
    const writes = ['Insert', 'Update', 'Delete'].map((kind) => counter.byKind.get(kind) ?? 0);
    expect(writes).toEqual([0, 0, 0]);
    expect(counter.raw).toEqual([]);
    // Only the in-flight rows are read: a page of 500 holds these 120, an empty one ends them.
    expect(counter.count).toBe(2);
  });
});
