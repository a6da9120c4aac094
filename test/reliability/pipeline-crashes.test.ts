import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterApi } from '../../shared/ack/cluster-api.port.js';
import type { Store } from '../../shared/store/store.port.js';
import {
  Harness,
  SimulatedCrash,
  seededRandom,
  VISIBILITY_SECONDS,
  type WorkerFaults,
} from './harness.js';
import { assertPipelineInvariants } from './invariants.js';

/**
 * Kills functions at each step that matters, redelivers, restarts, and checks that every request
 * still ends with exactly one cluster and exactly one signed webhook per transition.
 */
const SEEDS = [1, 2, 3];
const SETTLED = ['running'] as const;

/** The worker dies right after its lease was written. */
const crashAfterClaim = (): WorkerFaults => ({
  store: (store: Store): Store => ({
    ...store,
    updateProvision: async (input) => {
      const result = await store.updateProvision(input);
      if (input.patch.leaseOwner) throw new SimulatedCrash('after claim');
      return result;
    },
  }),
});

/** The worker dies after ACK accepted CreateCluster, before the cluster id was saved. */
const crashAfterCreate = (): WorkerFaults => ({
  clusterApi: (api: ClusterApi): ClusterApi => ({
    ...api,
    createCluster: async (input) => {
      await api.createCluster(input);
      throw new SimulatedCrash('after CreateCluster, before saving');
    },
  }),
});

/** The worker's work is saved but the host dies before deleting the messages. */
const crashBeforeDelete = (): WorkerFaults => ({ skipDelete: true });

/** The poller dies right after committing its first transition of the tick. */
const pollerCrashAfterFirstTransition = (store: Store): Store => {
  let crashed = false;
  return {
    ...store,
    applyTransition: async (input) => {
      const result = await store.applyTransition(input);
      if (!crashed) {
        crashed = true;
        throw new SimulatedCrash('poller mid-tick');
      }
      return result;
    },
  };
};

describe('reliability: crashes at every step of the pipeline', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await Harness.start();
  });

  afterAll(async () => {
    await harness?.close();
  });

  const submit = async (seed: number, count: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const tenant = harness.tenants[(seed + i) % harness.tenants.length];
      if (!tenant) throw new Error('no tenant');
      const response = await harness.api(tenant, 'POST', '/v1/clusters', {
        name: `rel-${seed}-${i}`,
        region: i % 2 === 0 ? 'cn-hangzhou' : 'cn-beijing',
        webhook: { url: harness.receiver.url },
      });
      expect(response.statusCode).toBe(202);
      ids.push((JSON.parse(response.body) as { id: string }).id);
    }
    return ids;
  };

  /**
   * First worker run crashes as told (the kill switch stops every later call of that invocation);
   * later runs are healthy. The batch comes back after the visibility timeout.
   */
  const runWithCrash = async (faults: WorkerFaults) => {
    const first = await harness.runWorker(faults);
    if (!faults.skipDelete) expect(first).toBe('failed');
    harness.advance((VISIBILITY_SECONDS + 1) * 1000);
  };

  const tagged = (ids: readonly string[]): string[] =>
    ids.filter((id) =>
      harness.ack
        .listAllClusters()
        .some((c) => c.tags.some((t) => t.key === 'askp.provision-id' && t.value === id)),
    );

  it.each(SEEDS)(
    'worker killed after the claim: the redelivered job creates exactly one cluster (seed %i)',
    async (seed) => {
      await submit(seed, 2 + (seed % 3));
      await runWithCrash(crashAfterClaim());
      await harness.settle({ settled: SETTLED });
      await assertPipelineInvariants(harness, SETTLED);
    },
  );

  it.each(SEEDS)(
    'worker killed after CreateCluster before saving: the retry adopts the cluster (seed %i)',
    async (seed) => {
      const before = harness.ack.listAllClusters().length;
      const ids = await submit(seed, 2 + (seed % 3));
      await runWithCrash(crashAfterCreate());
      // Every job of the crashed batch whose CreateCluster reached ACK before the process died.
      const createdBeforeCrash = tagged(ids);
      expect(createdBeforeCrash.length).toBeGreaterThan(0);
      await harness.settle({ settled: SETTLED });
      await assertPipelineInvariants(harness, SETTLED);
      expect(harness.ack.listAllClusters().length - before).toBe(ids.length);
      // Each of them found its cluster by name and tag instead of creating another.
      for (const id of createdBeforeCrash) {
        const events = await harness.store.listEvents({ provisionId: id, limit: 100 });
        expect(
          events.map((e) => e.type),
          `${id} adopted its cluster`,
        ).toContain('worker.cluster_adopted');
      }
    },
  );

  it.each(SEEDS)(
    'worker host killed after saving, before deleting the message: the redelivery is a no-op (seed %i)',
    async (seed) => {
      const before = harness.ack.listAllClusters().length;
      const ids = await submit(seed, 2);
      expect(await harness.runWorker(crashBeforeDelete())).toBe('ok');
      harness.advance(31_000);
      await harness.settle({ settled: SETTLED });
      await assertPipelineInvariants(harness, SETTLED);
      expect(harness.ack.listAllClusters().length - before).toBe(ids.length);
    },
  );

  it.each(SEEDS)(
    'poller killed mid-tick: the next tick finishes the job without a second webhook (seed %i)',
    async (seed) => {
      await submit(seed, 3);
      while ((await harness.runWorker()) !== 'empty') {
        // every job taken
      }
      harness.advance(25_000);
      await expect(
        harness.runPoller({ store: pollerCrashAfterFirstTransition }),
      ).rejects.toBeInstanceOf(SimulatedCrash);
      await harness.settle({ settled: SETTLED });
      await assertPipelineInvariants(harness, SETTLED);
    },
  );

  it.each(SEEDS)('duplicated and reordered messages change nothing (seed %i)', async (seed) => {
    const before = harness.ack.listAllClusters().length;
    const ids = await submit(seed, 3);
    const random = seededRandom(seed);
    // Every job again, twice, in a shuffled order, plus stray delete jobs for live provisions.
    const extra = [...ids, ...ids].sort(() => random() - 0.5);
    for (const provisionId of extra)
      await harness.queue.send({ v: 1, kind: 'create', provisionId });
    for (const provisionId of ids) await harness.queue.send({ v: 1, kind: 'delete', provisionId });
    await harness.settle({ settled: SETTLED });
    await assertPipelineInvariants(harness, SETTLED);
    expect(harness.ack.listAllClusters().length - before).toBe(ids.length);
  });

  it.each(SEEDS)(
    'a throttling storm (half of all ACK calls refused) still converges (seed %i)',
    async (seed) => {
      const before = harness.ack.listAllClusters().length;
      const ids = await submit(seed, 4);
      harness.ack.resetStats();
      // At the wire: ACK's own Throttling.User answer for about half of all calls, drawn from a
      // seeded PRNG, so the adapter's backoff, the worker's retries and the poller all meet it.
      const storm = harness.ack.injectFault({ kind: 'throttle', rate: 0.5, retryAfterMs: 200 });
      for (let round = 0; round < 60; round += 1) {
        while ((await harness.runWorker()) !== 'empty') {
          // drain
        }
        await harness.runPoller();
        const states = (await harness.provisions())
          .filter((p) => ids.includes(p.id))
          .map((p) => p.state);
        if (states.every((s) => s === 'running')) break;
        harness.advance(31_000);
      }
      const fired = harness.ack.listFaults().find((fault) => fault.id === storm.id)?.fired ?? 0;
      const served = Object.values(harness.ack.stats()).reduce((sum, n) => sum + n, 0);
      // Half of the calls that reached ACK during the storm were refused (give or take the draw):
      // the emulator counts every request it received, refused or served, so the ratio is
      // fired / requests.
      expect(fired).toBeGreaterThan(10);
      expect(fired / served).toBeGreaterThan(0.3);
      expect(fired / served).toBeLessThan(0.7);
      // Throttling alone never fails a provision: it backs off outside the give-up budget.
      for (const provision of (await harness.provisions()).filter((p) => ids.includes(p.id))) {
        expect(provision.state, `${provision.id} survived the storm`).not.toBe('failed');
      }
      harness.ack.clearFaults();
      await harness.settle({ settled: SETTLED });
      await assertPipelineInvariants(harness, SETTLED);
      expect(harness.ack.listAllClusters().length - before).toBe(ids.length);
    },
  );
});
