import { afterEach, describe, expect, it } from 'vitest';
import type { AckEmulator } from '../../emulator/ack/ack-emulator.js';
import type { ClusterApi } from '../../shared/ack/cluster-api.port.js';
import { systemClock } from '../../shared/clock.js';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { createLogger } from '../../shared/logger.js';
import { acceptProvision } from '../../shared/provisioning/accept-provision.js';
import {
  type AccountFacts,
  cachedAccountFacts,
  liveAccountFacts,
} from '../../shared/provisioning/account-facts.js';
import { runCreateJob } from '../../shared/provisioning/run-create-job.js';
import type { Store } from '../../shared/store/store.port.js';
import {
  acceptDepsFor,
  adapterFor,
  memoryStore,
  startEmulator,
  vpcAdapterFor,
} from './ack-harness.js';

/**
 * The worker's preflight reads the account (service roles, ASK quota and every cluster of the
 * region, creatable versions) through what one instance keeps for a minute, not once per create:
 * ACK calls per create stop growing with the account, and a kept fact never fails a create.
 * The real SDK against the ACK emulator, creates through runCreateJob.
 */
const logger = createLogger({ level: 'error' });
interface Account {
  ack: AckEmulator;
  clusterApi: ClusterApi;
  store: Store;
  /** Accepts a provision and runs its create job, as one worker instance with these facts. */
  create(facts: AccountFacts, name: string): Promise<{ outcome: string; error?: string }>;
}

const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

const account = async (options: { askClusterQuota: number }): Promise<Account> => {
  // The real clock: the version table's creatable dates are read against today.
  const { emulator: ack } = await startEmulator({ now: Date.now, deleteSeconds: 0, ...options });
  const clusterApi = adapterFor(ack).api;
  const vpcNetwork = vpcAdapterFor(ack);
  const store = await memoryStore();
  opened.push(store);
  const create = async (facts: AccountFacts, name: string) => {
    const provision = await acceptProvision(acceptDepsFor(store), {
      tenantId: 't1',
      spec: createClusterRequestSchema.parse({ name, region: 'cn-hangzhou' }),
    });
    const { outcome } = await runCreateJob(
      {
        store,
        clusterApi,
        vpcNetwork,
        accountFacts: facts,
        clock: systemClock,
        logger,
        workerId: 'w1',
        maxAttempts: 1,
        leaseSeconds: 60,
        createSettleSeconds: 600,
      },
      provision.id,
    );
    const error = (await store.getProvision({ id: provision.id }))?.error?.code;
    return { outcome, ...(error ? { error } : {}) };
  };
  return { ack, clusterApi, store, create };
};

/** The account's reads a create's preflight makes, from the emulator's counts. */
const accountReads = (ack: AckEmulator) => {
  const stats = ack.stats();
  return {
    CheckServiceRole: stats.CheckServiceRole ?? 0,
    DescribeUserQuota: stats.DescribeUserQuota ?? 0,
    DescribeClustersV1: stats.DescribeClustersV1 ?? 0,
    DescribeKubernetesVersionMetadata: stats.DescribeKubernetesVersionMetadata ?? 0,
  };
};

describe("the worker's preflight keeps what it read of the account", () => {
  it('asks ACK about an account of 60 clusters once for 10 creates, not once per create', async () => {
    const { ack, clusterApi, create } = await account({ askClusterQuota: 200 });
    const live = liveAccountFacts(clusterApi);
    for (let n = 0; n < 60; n += 1)
      expect((await create(live, `seed-${n}`)).outcome).toBe('created');

    ack.resetStats();
    for (let n = 0; n < 10; n += 1)
      expect((await create(live, `live-${n}`)).outcome).toBe('created');
    const perCreate = accountReads(ack);
    // Every create paged the whole account (2 pages of 50) and asked the rest again.
    expect(perCreate).toEqual({
      CheckServiceRole: 10,
      DescribeUserQuota: 10,
      DescribeClustersV1: 20,
      DescribeKubernetesVersionMetadata: 10,
    });

    ack.resetStats();
    const kept = cachedAccountFacts(clusterApi);
    for (let n = 0; n < 10; n += 1)
      expect((await create(kept, `kept-${n}`)).outcome).toBe('created');
    expect(accountReads(ack)).toEqual({
      CheckServiceRole: 1,
      DescribeUserQuota: 1,
      DescribeClustersV1: 2,
      DescribeKubernetesVersionMetadata: 1,
    });
    expect(ack.stats().CreateCluster).toBe(10);
  });

  it('counts the clusters it created against the quota it keeps, and fails only on a fresh read', async () => {
    const { ack, clusterApi, create } = await account({ askClusterQuota: 3 });
    const kept = cachedAccountFacts(clusterApi);
    for (let n = 0; n < 3; n += 1) expect((await create(kept, `c-${n}`)).outcome).toBe('created');
    // The kept count (0 read, 3 created since) says the account is full: ACK is asked again.
    expect(await create(kept, 'one-too-many')).toEqual({
      outcome: 'failed',
      error: 'PREFLIGHT_FAILED',
    });
    expect(accountReads(ack).DescribeUserQuota).toBe(2);
    expect(ack.stats().CreateCluster).toBe(3);
  });

  it('never fails a create on a kept "full": room made elsewhere is seen before failing', async () => {
    const { ack, clusterApi, create } = await account({ askClusterQuota: 2 });
    const kept = cachedAccountFacts(clusterApi);
    expect((await create(kept, 'first')).outcome).toBe('created');
    expect((await create(kept, 'second')).outcome).toBe('created');
    // Another worker (or the janitor) deletes a cluster: this instance's count still says full.
    const [gone] = ack.listAllClusters();
    if (!gone) throw new Error('no cluster to delete');
    await clusterApi.deleteCluster({ clusterId: gone.clusterId, regionId: 'cn-hangzhou' });
    expect(await create(kept, 'third')).toEqual({ outcome: 'created' });
    expect(ack.stats().CreateCluster).toBe(3);
  });

  it('lets ACK refuse what a kept count let through, as for two workers checking at once', async () => {
    const { ack, clusterApi, create } = await account({ askClusterQuota: 2 });
    const stale = cachedAccountFacts(clusterApi);
    expect((await create(stale, 'read-the-room')).outcome).toBe('created');
    // Another instance fills the account; this one still counts 1 of 2.
    expect((await create(liveAccountFacts(clusterApi), 'elsewhere')).outcome).toBe('created');
    expect(await create(stale, 'too-late')).toEqual({
      outcome: 'failed',
      error: 'ACK_QUOTA_EXCEEDED',
    });
    expect(ack.stats().CreateCluster).toBe(3);
  });
});
