import { describe, expect, it } from 'vitest';
import type { ClusterApi } from '../../shared/ack/cluster-api.port.js';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { planTransition } from '../../shared/domain/provision.js';
import { newId } from '../../shared/ids.js';
import { createLogger } from '../../shared/logger.js';
import { provisionView } from '../../shared/provisioning/provision-view.js';
import { refreshClusters } from '../../shared/provisioning/refresh-clusters.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import type { Store } from '../../shared/store/store.port.js';
import { clusterInput, REGION, startHarness, type TestClock } from './ack-harness.js';

/**
 * The poller follows ACK's create task: each stage status lands in the timeline once, as
 * `ack.stage` with ACK's time, the progress is what GET shows, and the number of
 * DescribeTaskInfo calls per tick never exceeds the budget. Real SDK against the ACK emulator,
 * real store on PGlite.
 */

const openStore = async (): Promise<Store> => {
  const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
  await migrateToLatest(opened.db);
  return createKyselyStore({ db: opened.db, close: opened.close });
};

/** A provision the worker has handed to ACK: provisioning, with the cluster and task ids. */
const provisioning = async (store: Store, api: ClusterApi, clock: TestClock, name: string) => {
  const id = newId('prv');
  const now = new Date(clock.now());
  const { provision } = await store.createProvision({
    provision: {
      id,
      tenantId: 'ten_progress',
      name,
      region: REGION,
      spec: createClusterRequestSchema.parse({ name, region: REGION }),
      clusterName: `${name}-${id.slice(-10)}`,
      labels: {},
      expiresAt: null,
      createdAt: now,
    },
    event: {
      type: 'provision.accepted',
      state: 'accepted',
      message: 'accepted',
      source: 'service',
      at: now,
    },
    job: { v: 1, kind: 'create', provisionId: id },
  });
  const created = await api.createCluster(
    clusterInput({ name, tags: { 'askp.provision-id': id } }),
  );
  const moved = await store.applyTransition({
    id,
    expectedVersion: provision.version,
    transition: planTransition(provision, 'provisioning', {
      reason: 'worker.cluster_created',
      message: 'created',
      now,
      patch: { clusterId: created.clusterId, taskId: created.taskId, ackState: 'initial' },
    }),
  });
  if (!moved) throw new Error('the transition to provisioning lost its compare-and-set');
  return moved;
};

/** Counts the port's DescribeTaskInfo calls, passing everything through to the real adapter. */
const counting = (api: ClusterApi) => {
  const counter = { taskCalls: 0 };
  const wrapped: ClusterApi = {
    ...api,
    describeTask: (input) => {
      counter.taskCalls += 1;
      return api.describeTask(input);
    },
  };
  return { api: wrapped, counter };
};

const stageLines = async (store: Store, provisionId: string) =>
  (await store.listEvents({ provisionId, limit: 100 }))
    .filter((event) => event.type === 'ack.stage' || event.type.startsWith('ack.'))
    .map((event) => `${event.type} ${event.message}`);

describe('creation progress from the create task', () => {
  it('records every stage status once, in order, and shows the progress while provisioning', async () => {
    const { api: real, clock } = await startHarness({ createSeconds: 30 });
    const { api } = counting(real);
    const store = await openStore();
    const logger = createLogger({ level: 'error' });
    const deps = { store, clusterApi: api, clock: { now: () => new Date(clock.now()) }, logger };
    const provision = await provisioning(store, real, clock, 'stages');

    clock.advanceSeconds(12); // CreateNetwork done, CreateControlPlane under way
    await refreshClusters(deps, { batch: 100, taskReads: 10 });
    await refreshClusters(deps, { batch: 100, taskReads: 10 }); // nothing new: nothing written
    expect(await stageLines(store, provision.id)).toEqual([
      'ack.stage stage CreateNetwork succeeded',
      'ack.stage stage CreateControlPlane started',
    ]);
    const mid = await store.getProvision({ id: provision.id });
    const progress = await store.getCreationProgress({ provisionIds: [provision.id] });
    expect(mid && provisionView(mid, progress.get(provision.id)).progress).toEqual({
      stage: 'CreateControlPlane',
      completedStages: 1,
      totalStages: 3,
    });

    clock.advanceSeconds(30); // done: the last read comes before the transition to running
    await refreshClusters(deps, { batch: 100, taskReads: 10 });
    const events = await store.listEvents({ provisionId: provision.id, limit: 100 });
    expect(events.map((event) => `${event.type} ${event.message}`).slice(2)).toEqual([
      'ack.stage stage CreateNetwork succeeded',
      'ack.stage stage CreateControlPlane started',
      'ack.stage stage CreateControlPlane succeeded',
      'ack.stage stage InstallAddons succeeded',
      'ack.running ACK reports running',
    ]);
    // ACK's stage times, not the poller's: the first stage ended a third of the way in.
    const first = events.find((event) => event.message === 'stage CreateNetwork succeeded');
    expect(first?.at.getTime()).toBe(Date.parse('2025-06-01T00:00:10Z'));
    const running = await store.getProvision({ id: provision.id });
    expect(running?.state).toBe('running');
    expect(running && provisionView(running).progress).toBeNull();
  });

  it('records the failing stage with its reason, reusing the task read for the failure', async () => {
    const { api: real, clock } = await startHarness({
      createSeconds: 30,
      failNamePattern: /^doomed/,
    });
    const { api, counter } = counting(real);
    const store = await openStore();
    const deps = {
      store,
      clusterApi: api,
      clock: { now: () => new Date(clock.now()) },
      logger: createLogger({ level: 'error' }),
    };
    const provision = await provisioning(store, real, clock, 'doomed');
    clock.advanceSeconds(60);
    await refreshClusters(deps, { batch: 100, taskReads: 10 });
    const lines = await stageLines(store, provision.id);
    expect(lines[0]).toBe('ack.stage stage CreateNetwork succeeded');
    expect(lines[1]).toBe('ack.stage stage CreateControlPlane failed');
    // ACK's reason is the operator's (logged); the tenant's timeline has our words.
    expect(lines.at(-1)).toMatch(/^ack\.failed creation failed: ACK could not create the cluster/);
    expect(lines.join('\n')).not.toContain('Emulated failure');
    expect(counter.taskCalls).toBe(1);
  });

  it('asks ACK about at most taskReads tasks a tick, the longest unread first', async () => {
    const { api: real, clock } = await startHarness({ createSeconds: 300 });
    const { api, counter } = counting(real);
    const store = await openStore();
    const deps = {
      store,
      clusterApi: api,
      clock: { now: () => new Date(clock.now()) },
      logger: createLogger({ level: 'error' }),
    };
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1)
      ids.push((await provisioning(store, real, clock, `many-${index}`)).id);
    clock.advanceSeconds(1);
    const first = await refreshClusters(deps, { batch: 100, taskReads: 2 });
    expect(first.taskCalls).toBe(2);
    clock.advanceSeconds(1);
    await refreshClusters(deps, { batch: 100, taskReads: 2 });
    clock.advanceSeconds(1);
    await refreshClusters(deps, { batch: 100, taskReads: 2 });
    expect(counter.taskCalls).toBe(6);
    // Three ticks of two reads cover all five creations: none is starved.
    const read = await store.getCreationProgress({ provisionIds: ids });
    expect(read.size).toBe(5);
    const none = await refreshClusters(deps, { batch: 100, taskReads: 0 });
    expect(none.taskCalls).toBe(0);
  });
});
