import { ackErrors } from './errors.js';
import type { HandlerContext } from './handlers/handler.js';
import { newTaskId } from './ids.js';
import { clusterStateAt, windowsOf } from './lifecycle.js';
import type { ClusterStore } from './store.js';
import type { StoredCluster, StoredEffect, StoredTask, StoredTaskType } from './types.js';

/**
 * Change tasks: what ModifyCluster (API server EIP), UpgradeCluster and the addon operations
 * start. Each runs its stages over `changeMs`; when it succeeds its effect is applied to the
 * cluster (once, the first time anything looks after `endsAt`: `settleChangeTasks`, called by the
 * router before every request), so a cluster shows the change only once the task reports
 * success. A `fail-task` fault dooms a task when it starts: it fails at the end of its first
 * stage and applies nothing. While a change task runs the cluster takes no other change task
 * (ErrorClusterState, UNVERIFIED code: ACK documents that an upgrading cluster refuses other
 * operations, not the code it answers with).
 */

const FAILING_CHANGE_STAGE = 0;

const changeWindows = (task: StoredTask) =>
  windowsOf(task.stages ?? [], task.createdAt, task.endsAt ?? task.createdAt);

/** When a doomed task stops: the end of its first stage. */
const changeEndsAt = (task: StoredTask): number =>
  task.failure === undefined
    ? (task.endsAt ?? task.createdAt)
    : (changeWindows(task)[FAILING_CHANGE_STAGE]?.end ?? task.createdAt);

const isChangeTask = (task: StoredTask): boolean => task.stages !== undefined;

/** The change task of a cluster still under way at `now`, if any. */
const runningChangeTask = (
  store: ClusterStore,
  clusterId: string,
  now: number,
): StoredTask | undefined =>
  store.tasksOf(clusterId).find((task) => isChangeTask(task) && now < changeEndsAt(task));

/**
 * What ACK refuses a change to a cluster for, task or not: a cluster being deleted, one not
 * running, one busy with another change task (ErrorClusterState).
 */
const refuseUnlessReadyForChange = (
  context: HandlerContext,
  cluster: StoredCluster,
  now: number,
): void => {
  const state = clusterStateAt(cluster, now);
  if (state === 'deleting') throw ackErrors.clusterBeingDeleted(cluster.clusterId);
  if (state !== 'running') throw ackErrors.clusterNotRunning(cluster.clusterId, state);
  const busy = runningChangeTask(context.store, cluster.clusterId, now);
  if (busy !== undefined) throw ackErrors.clusterBusy(cluster.clusterId, busy.taskId);
};

/**
 * Checks the cluster can take a change now and starts the task. The caller has validated the
 * request; this refuses a cluster that is not running or is busy with another change task.
 */
const startChangeTask = (
  context: HandlerContext,
  cluster: StoredCluster,
  input: {
    taskType: StoredTaskType;
    stages: string[];
    effect: StoredEffect;
    /** The addons an addon task works on. */
    addonNames?: string[];
  },
): StoredTask => {
  const now = context.now();
  refuseUnlessReadyForChange(context, cluster, now);
  const failure = context.taskFailure(input.taskType);
  const task: StoredTask = {
    taskId: newTaskId(),
    clusterId: cluster.clusterId,
    taskType: input.taskType,
    createdAt: now,
    stages: input.stages,
    endsAt: now + context.timing.changeMs,
    effect: input.effect,
    applied: false,
    ...(failure === undefined ? {} : { failure }),
    ...(input.addonNames === undefined ? {} : { addonNames: input.addonNames }),
  };
  context.store.save({ tasks: [task] });
  return task;
};

/**
 * Applies the effect of every change task that has succeeded by `now` and was not applied yet,
 * each cluster's in the order its tasks started. Runs before every request, so it looks only at
 * the store's unsettled change tasks, never at the whole account.
 */
const settleChangeTasks = (store: ClusterStore, now: number): void => {
  const due = store
    .unsettledChangeTasks()
    .filter((task) => isChangeTask(task) && task.applied !== true && now >= changeEndsAt(task));
  if (due.length === 0) return;
  const clusters = new Map<string, StoredCluster>();
  const tasks: StoredTask[] = [];
  for (const task of due) {
    tasks.push({ ...task, applied: true });
    if (task.failure !== undefined || task.effect === undefined) continue;
    const cluster = clusters.get(task.clusterId) ?? store.getCluster(task.clusterId);
    if (cluster !== undefined) clusters.set(task.clusterId, { ...cluster, ...task.effect });
  }
  store.save({ clusters: [...clusters.values()], tasks });
};

export {
  changeEndsAt,
  changeWindows,
  FAILING_CHANGE_STAGE,
  isChangeTask,
  refuseUnlessReadyForChange,
  runningChangeTask,
  settleChangeTasks,
  startChangeTask,
};
