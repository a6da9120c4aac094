import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AckClusterEvent } from '../../shared/ack/cluster-api.port.js';
import {
  adapterFor,
  caught,
  clusterInput,
  newClock,
  REGION,
  startEmulator,
  startHarness,
  tempDir,
} from './ack-harness.js';

/**
 * The emulated lifecycle as events: creation stages appear over createSeconds (the same stages
 * and times DescribeTaskInfo reports), a failed creation stays failed until deleted, deletion takes
 * deleteSeconds, and all of it (with tags, renames and retain options) survives a restart.
 */

const summary = (events: AckClusterEvent[]) =>
  events.map((event) => `${event.type} ${event.reason}: ${event.message}`);

/** `2025-06-01T08:00:10+08:00` → epoch ms. */
const at = (time: string): number => Date.parse(time);

describe('emulated lifecycle events', () => {
  it('emits the creation stages as they happen, newest first, matching the task stages', async () => {
    const { api, clock } = await startHarness({ createSeconds: 30 });
    const { clusterId, taskId } = await api.createCluster(clusterInput({ name: 'evt-1' }));
    const events = async () =>
      (await api.listClusterEvents({ clusterId, regionId: REGION })).events;

    expect(summary(await events())).toEqual([
      'cluster_create Started: Start to CreateNetwork',
      'cluster_create Started: Start to create cluster evt-1',
    ]);
    clock.advanceSeconds(15);
    expect(summary(await events())).toEqual([
      'cluster_create Started: Start to CreateControlPlane',
      'cluster_create Succeeded: Succeeded to CreateNetwork',
      'cluster_create Started: Start to CreateNetwork',
      'cluster_create Started: Start to create cluster evt-1',
    ]);
    clock.advanceSeconds(15);
    const done = await events();
    expect(done).toHaveLength(8);
    expect(done[0]).toMatchObject({
      clusterId,
      type: 'cluster_create',
      source: 'task',
      subject: clusterId,
      level: 'info',
      reason: 'Succeeded',
      message: 'Cluster evt-1 created successfully',
    });
    expect(done[0]?.eventId).toMatch(/^e-[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(new Set(done.map((event) => event.eventId)).size).toBe(8);
    expect(done[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);

    // The task's stages end when the matching events say they did.
    const task = await api.describeTask({ taskId: taskId ?? '', regionId: REGION });
    const stageEnds = task.stages.map((stage) => Date.parse(`${stage.endTime}+08:00`));
    const eventEnds = done
      .filter((event) => event.message.startsWith('Succeeded to '))
      .map((event) => at(event.time))
      .reverse();
    expect(eventEnds).toEqual(stageEnds);
  });

  it('pages events and filters them by task', async () => {
    const { api, clock } = await startHarness({ createSeconds: 30, deleteSeconds: 10 });
    const { clusterId, taskId } = await api.createCluster(clusterInput());
    clock.advanceSeconds(30);
    const deletion = await api.deleteCluster({ clusterId, regionId: REGION });
    clock.advanceSeconds(5);

    const all = await api.listClusterEvents({ clusterId, regionId: REGION });
    const firstPage = await api.listClusterEvents({ clusterId, regionId: REGION, pageSize: 3 });
    const thirdPage = await api.listClusterEvents({
      clusterId,
      regionId: REGION,
      pageSize: 3,
      pageNumber: 3,
    });
    expect(firstPage).toMatchObject({ pageNumber: 1, pageSize: 3, totalCount: all.totalCount });
    expect(firstPage.events).toEqual(all.events.slice(0, 3));
    expect(thirdPage.events).toEqual(all.events.slice(6, 9));

    const createOnly = await api.listClusterEvents({
      clusterId,
      regionId: REGION,
      taskId: taskId ?? 'missing',
    });
    expect(createOnly.totalCount).toBe(8);
    const deleteOnly = await api.listClusterEvents({
      clusterId,
      regionId: REGION,
      taskId: deletion.taskId ?? '',
    });
    expect(summary(deleteOnly.events)).toEqual([
      'cluster_delete Started: Start to DeleteControlPlane',
      'cluster_delete Succeeded: Succeeded to DeleteClusterResources',
      'cluster_delete Started: Start to DeleteClusterResources',
      'cluster_delete Started: Start to delete cluster demo-0001',
    ]);
  });

  it('keeps a failed creation failed, with an error event, until it is deleted', async () => {
    const { api, clock } = await startHarness({
      createSeconds: 30,
      deleteSeconds: 10,
      failNamePattern: /doomed/,
    });
    const { clusterId } = await api.createCluster(clusterInput({ name: 'doomed-7' }));
    clock.advanceSeconds(3600);
    expect((await api.describeCluster({ clusterId, regionId: REGION }))?.state).toBe('failed');
    const [latest] = (await api.listClusterEvents({ clusterId, regionId: REGION })).events;
    expect(latest).toMatchObject({ level: 'error', reason: 'Failed' });
    expect(latest?.message).toContain('Failed to create cluster doomed-7');

    await api.deleteCluster({ clusterId, regionId: REGION });
    clock.advanceSeconds(9);
    expect((await api.describeCluster({ clusterId, regionId: REGION }))?.state).toBe('deleting');
    clock.advanceSeconds(1);
    expect(await api.describeCluster({ clusterId, regionId: REGION })).toBeNull();
    // The cluster is gone; its events stay in the account's history (DescribeEvents).
    expect((await caught(api.listClusterEvents({ clusterId, regionId: REGION }))).code).toBe(
      'ACK_NOT_FOUND',
    );
    const history = await api.listEvents({ regionId: REGION, clusterId, type: 'cluster_delete' });
    expect(history.events[0]).toMatchObject({
      type: 'cluster_delete',
      reason: 'Succeeded',
      message: 'Cluster doomed-7 deleted successfully',
    });
  });

  it('records renames and tags as cluster_modify events', async () => {
    const { api, clock } = await startHarness();
    const { clusterId } = await api.createCluster(clusterInput({ name: 'old-name' }));
    clock.advanceSeconds(20);
    await api.modifyCluster({ clusterId, regionId: REGION, name: 'new-name' });
    await api.tagResources({ regionId: REGION, clusterIds: [clusterId], tags: { env: 'dev' } });
    const modify = await api.listEvents({ regionId: REGION, type: 'cluster_modify' });
    expect(summary(modify.events)).toEqual([
      'cluster_modify Succeeded: Modified cluster: tags: env=dev',
      'cluster_modify Succeeded: Modified cluster: cluster_name: old-name -> new-name',
    ]);
  });
});

describe('tasks', () => {
  it('answers ACK_NOT_FOUND (ErrorTaskNotFound) for a task id ACK does not know', async () => {
    const { api } = await startHarness();
    const error = await caught(
      api.describeTask({ taskId: 'T-000000000000000000000000', regionId: REGION }),
    );
    expect(error).toMatchObject({ code: 'ACK_NOT_FOUND', retryable: false });
    expect(error.ackCode).toBe('ErrorTaskNotFound');
  });
});

describe('emulator restart', () => {
  it('keeps clusters, tasks, tags, renames, protection, retain options and event timing', async () => {
    const stateFile = join(tempDir(), 'ack.json');
    const clock = newClock();
    const options = { stateFile, createSeconds: 30, deleteSeconds: 10 };
    const first = await startEmulator(options, clock);
    const before = adapterFor(first.emulator).api;
    const kept = await before.createCluster(clusterInput({ name: 'kept' }));
    const gone = await before.createCluster(clusterInput({ name: 'gone' }));
    clock.advanceSeconds(15);
    await before.modifyCluster({
      clusterId: kept.clusterId,
      regionId: REGION,
      name: 'kept-renamed',
      deletionProtection: true,
    });
    await before.tagResources({ regionId: REGION, clusterIds: [kept.clusterId], tags: { a: 'b' } });
    await before.deleteCluster({
      clusterId: gone.clusterId,
      regionId: REGION,
      options: { deleteOptions: [{ resourceType: 'ALB', deleteMode: 'delete' }] },
    });
    const eventsBefore = await before.listEvents({ regionId: REGION });
    await first.emulator.close();

    const second = await startEmulator(options, clock);
    const after = adapterFor(second.emulator).api;
    expect(await after.listEvents({ regionId: REGION })).toEqual(eventsBefore);
    clock.advanceSeconds(15);
    expect(
      await after.describeCluster({ clusterId: kept.clusterId, regionId: REGION }),
    ).toMatchObject({
      name: 'kept-renamed',
      state: 'running',
      deletionProtection: true,
      tags: { 'askp.provision-id': 'prv_0001', a: 'b' },
    });
    expect(await after.describeCluster({ clusterId: gone.clusterId, regionId: REGION })).toBeNull();
    const task = await after.describeTask({ taskId: kept.taskId ?? '', regionId: REGION });
    expect(task.state).toBe('success');
    const goneRecord = second.emulator
      .listAllClusters()
      .find((cluster) => cluster.clusterId === gone.clusterId);
    expect(goneRecord?.deleteRequest?.retainedResourceTypes).toEqual([
      'SLS_Data',
      'SLS_ControlPlane',
      'PrivateZone',
    ]);
    // Events that happened while the emulator was down appear with their own times.
    const latest = (await after.listClusterEvents({ clusterId: kept.clusterId, regionId: REGION }))
      .events[0];
    expect(latest?.message).toBe('Cluster kept-renamed created successfully');
  });
});
