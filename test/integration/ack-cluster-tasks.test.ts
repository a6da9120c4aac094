import { describe, expect, it } from 'vitest';
import { caught, clusterInput, REGION, startHarness } from './ack-harness.js';

/**
 * DescribeClusterTasks through the real SDK against the emulator: the worker reads it to give a
 * cluster it adopts (its CreateCluster answer lost) the creation task, so stages and a failure
 * reason stay ACK's own.
 */
describe('ACK adapter: DescribeClusterTasks', () => {
  it('lists a cluster’s tasks with the create task and its state, and the delete task after', async () => {
    const { api, clock } = await startHarness({ createSeconds: 20, deleteSeconds: 5 });
    const created = await api.createCluster(clusterInput());
    const running = await api.listClusterTasks({ clusterId: created.clusterId, regionId: REGION });
    expect(running).toEqual([
      expect.objectContaining({
        taskId: created.taskId,
        taskType: 'cluster_create',
        state: 'running',
      }),
    ]);
    clock.advanceSeconds(30);
    const deleted = await api.deleteCluster({ clusterId: created.clusterId, regionId: REGION });
    const tasks = await api.listClusterTasks({ clusterId: created.clusterId, regionId: REGION });
    expect(tasks.map((task) => [task.taskId, task.taskType])).toEqual([
      [created.taskId, 'cluster_create'],
      [deleted.taskId, 'cluster_delete'],
    ]);
    expect(tasks[0]?.state).toBe('success');
    expect(tasks[0]?.created).toMatch(/\+08:00$/);
  });

  it('answers ACK_NOT_FOUND for a cluster ACK does not know', async () => {
    const { api } = await startHarness();
    const error = await caught(
      api.listClusterTasks({ clusterId: 'c00000000000000000000000000000000', regionId: REGION }),
    );
    expect(error.code).toBe('ACK_NOT_FOUND');
  });
});
