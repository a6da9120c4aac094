import { afterAll, describe, expect, it } from 'vitest';
import type { ClusterApi } from '../../shared/ack/cluster-api.port.js';
import { followChanges } from '../../shared/changes/follow-changes.js';
import { requestChange } from '../../shared/changes/request-change.js';
import { runChangeJob } from '../../shared/changes/run-change-job.js';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { DomainError } from '../../shared/domain/errors.js';
import { type Provision, planTransition } from '../../shared/domain/provision.js';
import { newId } from '../../shared/ids.js';
import { createLogger } from '../../shared/logger.js';
import { decodeJob } from '../../shared/queue/job-codec.js';
import { createMnsJobQueue } from '../../shared/queue/mns-job-queue.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import type { Store } from '../../shared/store/store.port.js';
import { clusterInput, REGION, startHarness, type TestClock } from './ack-harness.js';
import { ACCOUNT, KEY, QUEUE, startMnsHarness } from './mns-harness.js';

/**
 * The change framework end to end below the API: requestChange (row, change and job in one
 * transaction, the job sent through the real MNS SDK), the worker's runChangeJob (ModifyCluster
 * through the real ACK SDK), and the poller's followChanges (DescribeTaskInfo stage by stage,
 * then `updating → running` with its webhook rows) — on a real store (PGlite). Every way a change
 * can end leaves the provision `running`: success, a task failed mid-way, ACK refusing the call,
 * a change ACK never accepted, a task that never ends.
 */

const TENANT = 'ten_changes';
const logger = createLogger({ level: 'error', write: () => {} });
const FOLLOW = { taskReads: 10, startTimeoutSeconds: 1800, runTimeoutSeconds: 6 * 3600 };

/** One store for the file (each test has its own provision): PGlite's start is the slow part. */
let shared: Promise<Store> | undefined;
const openStore = (): Promise<Store> => {
  shared ??= (async () => {
    const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
    await migrateToLatest(opened.db);
    return createKyselyStore({ db: opened.db, close: opened.close });
  })();
  return shared;
};

afterAll(async () => {
  await (await shared)?.close();
});

/** A provision whose cluster is running in the emulator, with a webhook URL to fan out to. */
const runningProvision = async (
  store: Store,
  api: ClusterApi,
  clock: TestClock,
): Promise<Provision> => {
  const id = newId('prv');
  const now = new Date(clock.now());
  const name = `chg-${id.slice(-6)}`;
  const spec = createClusterRequestSchema.parse({
    name,
    region: REGION,
    webhook: { url: 'https://hooks.example.com/changes' },
  });
  const { provision } = await store.createProvision({
    provision: {
      id,
      tenantId: TENANT,
      name,
      region: REGION,
      spec,
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
    clusterInput({ name, endpointPublicAccess: false, tags: { 'askp.provision-id': id } }),
  );
  const moving = await store.applyTransition({
    id,
    expectedVersion: provision.version,
    transition: planTransition(provision, 'provisioning', {
      reason: 'worker.cluster_created',
      message: 'created',
      now,
      patch: { clusterId: created.clusterId, taskId: created.taskId },
    }),
  });
  if (!moving) throw new Error('lost the compare-and-set to provisioning');
  clock.advanceSeconds(25);
  const running = await store.applyTransition({
    id,
    expectedVersion: moving.version,
    transition: planTransition(moving, 'running', {
      reason: 'ack.running',
      message: 'running',
      now: new Date(clock.now()),
      patch: { ackState: 'running' },
    }),
  });
  if (!running) throw new Error('lost the compare-and-set to running');
  return running;
};

const setUp = async () => {
  const ack = await startHarness();
  const mns = await startMnsHarness({}, ack.clock);
  const store = await openStore();
  const queue = createMnsJobQueue({
    endpoint: mns.emulator.url,
    accountId: ACCOUNT,
    queueName: QUEUE,
    credentials: KEY,
  });
  const clock = { now: () => new Date(ack.clock.now()) };
  const deps = { store, queue, clock, logger, clusterApi: ack.api };
  const provision = await runningProvision(store, ack.api, ack.clock);
  const openEndpoint = () =>
    requestChange(deps, {
      tenantId: TENANT,
      id: provision.id,
      plan: () => ({ kind: 'endpoint-access', params: { enabled: true } }),
    });
  return { ...ack, store, queue, deps, provision, openEndpoint };
};

const typesOf = async (store: Store, provisionId: string) =>
  (await store.listEvents({ provisionId, limit: 100 })).map((event) => event.type);

describe('changes after creation, below the API', () => {
  it('goes running → updating → running: the job sent, ACK task followed stage by stage, cluster.updated written with the transition', async () => {
    const { store, queue, deps, provision, openEndpoint, clock, api } = await setUp();
    const { provision: updating, change, started } = await openEndpoint();
    expect(started).toBe(true);
    expect(updating.state).toBe('updating');
    const [message] = await queue.receive({ max: 1, waitSeconds: 0 });
    expect(decodeJob(message?.body ?? '')).toEqual({
      v: 1,
      kind: 'change',
      provisionId: provision.id,
    });

    // The same change again answers the open one; another kind meanwhile is a 409.
    expect((await openEndpoint()).change.id).toBe(change.id);
    const other = await requestChange(deps, {
      tenantId: TENANT,
      id: provision.id,
      plan: () => ({ kind: 'endpoint-access', params: { enabled: false } }),
    }).catch((error: unknown) => error);
    expect(other).toBeInstanceOf(DomainError);
    expect(other).toMatchObject({ code: 'CONFLICT', retryAfterMs: 5000 });

    expect(await runChangeJob(deps, provision.id)).toMatchObject({ outcome: 'started' });
    // A redelivered job finds the change started and does nothing.
    expect(await runChangeJob(deps, provision.id)).toMatchObject({ outcome: 'skipped' });

    clock.advanceSeconds(1);
    expect(await followChanges(deps, FOLLOW)).toMatchObject({ followed: 1, succeeded: 0 });
    expect((await store.getProvision({ id: provision.id }))?.state).toBe('updating');
    clock.advanceSeconds(4);
    expect(await followChanges(deps, FOLLOW)).toMatchObject({ succeeded: 1 });

    const after = await store.getProvision({ id: provision.id });
    expect(after).toMatchObject({ state: 'running', spec: { endpointPublicAccess: true } });
    expect(after?.endpoints?.internet).toMatch(/^https:\/\//);
    const cluster = await api.describeCluster({
      clusterId: provision.clusterId ?? '',
      regionId: REGION,
    });
    expect(after?.endpoints).toEqual(cluster?.endpoints);
    const [done] = await store.listChanges({ provisionId: provision.id, limit: 5 });
    expect(done).toMatchObject({ id: change.id, state: 'succeeded', error: null });
    const types = await typesOf(store, provision.id);
    expect(types.filter((type) => type === 'ack.stage').length).toBeGreaterThanOrEqual(3);
    expect(types.at(-1)).toBe('change.succeeded');
    const deliveries = await store.listDeliveries({ provisionId: provision.id });
    expect(deliveries.map((delivery) => delivery.eventType)).toContain('cluster.updated');
    // Nothing left to follow.
    expect(await followChanges(deps, FOLLOW)).toMatchObject({ followed: 0 });
  });

  it('returns to running with ACK_CHANGE_FAILED and cluster.update_failed when the task fails mid-way', async () => {
    const { store, deps, provision, openEndpoint, clock, emulator } = await setUp();
    emulator.injectFault({ kind: 'fail-task', message: 'EIP quota exhausted' });
    await openEndpoint();
    await runChangeJob(deps, provision.id);
    clock.advanceSeconds(5);
    expect(await followChanges(deps, FOLLOW)).toMatchObject({ failed: 1 });
    const after = await store.getProvision({ id: provision.id });
    expect(after).toMatchObject({ state: 'running', spec: { endpointPublicAccess: false } });
    const [failed] = await store.listChanges({ provisionId: provision.id, limit: 5 });
    expect(failed?.state).toBe('failed');
    expect(failed?.error?.code).toBe('ACK_CHANGE_FAILED');
    expect(failed?.error?.message).not.toContain('EIP quota exhausted');
    const deliveries = await store.listDeliveries({ provisionId: provision.id });
    const hook = deliveries.find((delivery) => delivery.eventType === 'cluster.update_failed');
    expect(JSON.parse(hook?.payload ?? '{}')).toMatchObject({
      data: { state: 'running', change: { id: failed?.id, error: { code: 'ACK_CHANGE_FAILED' } } },
    });
  });

  it('ends the change at once, nothing changed, when ACK refuses the call', async () => {
    const { store, deps, provision, openEndpoint, emulator } = await setUp();
    emulator.injectFault({
      kind: 'error',
      action: 'ModifyCluster',
      status: 400,
      code: 'ErrorClusterState',
      message: 'Cluster is in an unexpected state',
    });
    await openEndpoint();
    expect(await runChangeJob(deps, provision.id)).toMatchObject({ outcome: 'refused' });
    expect((await store.getProvision({ id: provision.id }))?.state).toBe('running');
    const [refused] = await store.listChanges({ provisionId: provision.id, limit: 5 });
    expect(refused?.error).toEqual({
      code: 'ACK_CHANGE_REFUSED',
      message: 'ACK refused to start it (ErrorClusterState); nothing was changed',
    });
  });

  it('gives the cluster back when ACK never accepts the change (retryable failures for 30 minutes)', async () => {
    const { store, deps, provision, openEndpoint, emulator, clock } = await setUp();
    emulator.injectFault({ kind: 'unavailable', action: 'ModifyCluster', times: 100 });
    await openEndpoint();
    await expect(runChangeJob(deps, provision.id)).rejects.toMatchObject({ retryable: true });
    clock.advanceSeconds(29 * 60);
    expect(await followChanges(deps, FOLLOW)).toMatchObject({ failed: 0 });
    expect((await store.getProvision({ id: provision.id }))?.state).toBe('updating');
    clock.advanceSeconds(2 * 60);
    expect(await followChanges(deps, FOLLOW)).toMatchObject({ failed: 1 });
    expect((await store.getProvision({ id: provision.id }))?.state).toBe('running');
    const [never] = await store.listChanges({ provisionId: provision.id, limit: 5 });
    expect(never?.error?.code).toBe('CHANGE_NOT_STARTED');
    // A late redelivery of the job finds nothing to start.
    emulator.clearFaults();
    expect(await runChangeJob(deps, provision.id)).toMatchObject({ outcome: 'skipped' });
  });

  it('gives the cluster back when a task runs past the longest a change may take', async () => {
    const { store, deps, provision, openEndpoint, clock } = await setUp();
    await openEndpoint();
    await runChangeJob(deps, provision.id);
    const short = { ...FOLLOW, runTimeoutSeconds: 2 };
    clock.advanceSeconds(3);
    // Still running in ACK at 3 s of 4: past this (short) limit, so it is given back.
    expect(await followChanges(deps, short)).toMatchObject({ failed: 1 });
    const [late] = await store.listChanges({ provisionId: provision.id, limit: 5 });
    expect(late?.error?.code).toBe('CHANGE_TIMED_OUT');
    expect((await store.getProvision({ id: provision.id }))?.state).toBe('running');
  });

  it('answers NOT_FOUND for another tenant’s cluster, starting nothing', async () => {
    const { deps, provision, store } = await setUp();
    const plan = () => ({ kind: 'endpoint-access' as const, params: { enabled: true } });
    await expect(
      requestChange(deps, { tenantId: 'ten_other', id: provision.id, plan }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await store.listChanges({ provisionId: provision.id, limit: 5 })).toEqual([]);
    expect((await store.getProvision({ id: provision.id }))?.state).toBe('running');
  });
});

describe('addon changes below the API: a redelivered job never asks ACK twice', () => {
  const METRICS = { name: 'metrics-server', version: 'v0.3.9.7-aliyun' };
  const install = (deps: Awaited<ReturnType<typeof setUp>>['deps'], provision: Provision) =>
    requestChange(deps, {
      tenantId: TENANT,
      id: provision.id,
      plan: () => ({ kind: 'addon-install', params: METRICS }),
    });
  const installTasks = async (api: ClusterApi, provision: Provision) =>
    (await api.listClusterTasks({ clusterId: provision.clusterId ?? '', regionId: REGION })).filter(
      (task) => task.taskType === 'addon_install',
    );

  it('adopts the task a first call whose answer was lost started, and follows it to cluster.updated', async () => {
    const { store, deps, provision, clock, emulator, api } = await setUp();
    emulator.injectFault({ kind: 'reset-after', action: 'InstallClusterAddons' });
    await install(deps, provision);
    // ACK started the task, the worker never heard: the job comes back.
    await expect(runChangeJob(deps, provision.id)).rejects.toMatchObject({ retryable: true });
    clock.advanceSeconds(1);
    const [first] = await installTasks(api, provision);
    expect(await runChangeJob(deps, provision.id)).toEqual({
      outcome: 'started',
      detail: first?.taskId,
    });
    expect(await installTasks(api, provision)).toHaveLength(1);
    clock.advanceSeconds(5);
    expect(await followChanges(deps, FOLLOW)).toMatchObject({ succeeded: 1 });
    const [done] = await store.listChanges({ provisionId: provision.id, limit: 5 });
    expect(done).toMatchObject({
      kind: 'addon-install',
      state: 'succeeded',
      ackTaskId: first?.taskId,
    });
    const installed = await api.listInstalledAddons({
      clusterId: provision.clusterId ?? '',
      regionId: REGION,
    });
    expect(installed.map((addon) => addon.name)).toContain('metrics-server');
  });

  it('ends the change as done when the lost first call’s task has already succeeded', async () => {
    const { store, deps, provision, clock, emulator, api } = await setUp();
    emulator.injectFault({ kind: 'reset-after', action: 'InstallClusterAddons' });
    await install(deps, provision);
    await expect(runChangeJob(deps, provision.id)).rejects.toMatchObject({ retryable: true });
    clock.advanceSeconds(10);
    expect(await runChangeJob(deps, provision.id)).toMatchObject({ outcome: 'done' });
    expect(await installTasks(api, provision)).toHaveLength(1);
    expect((await store.getProvision({ id: provision.id }))?.state).toBe('running');
    const deliveries = await store.listDeliveries({ provisionId: provision.id });
    expect(deliveries.map((delivery) => delivery.eventType)).toContain('cluster.updated');
  });
});
