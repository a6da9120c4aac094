import { changeEndsAt, changeWindows, FAILING_CHANGE_STAGE, isChangeTask } from './change-tasks.js';
import {
  CREATE_STAGES,
  createEndsAt,
  createWindows,
  DELETE_STAGES,
  FAILING_STAGE,
  naturalCreateEnd,
  type StageWindow,
  windowsOf,
} from './lifecycle.js';
import type { StoredCluster, StoredTask } from './types.js';

/**
 * Where a task stands at `now`: its stages so far, its state and error. DescribeTaskInfo renders
 * this, and DescribeClusterEvents turns the same stages into events, so the two always agree on
 * names and times.
 */

interface StageView {
  name: string;
  state: 'running' | 'success' | 'failed';
  start: number;
  end: number | null;
}

interface TaskOutcome {
  startedAt: number;
  stages: StageView[];
  state: 'running' | 'success' | 'fail';
  error: { code: string; message: string } | null;
  endedAt: number | null;
}

const DEFAULT_FAIL_REASON = 'the cluster name matches failNamePattern';
const MODIFY_STAGE = 'ModifyCluster';

const progress = (windows: StageWindow[], endsAt: number, failed: boolean, now: number) =>
  windows
    .filter((window) => window.start <= now && window.start < endsAt)
    .map((window): StageView => {
      const end = Math.min(window.end, endsAt);
      if (now < end) return { name: window.name, state: 'running', start: window.start, end: null };
      const last = window.end >= endsAt;
      return {
        name: window.name,
        state: failed && last ? 'failed' : 'success',
        start: window.start,
        end,
      };
    });

const createOutcome = (cluster: StoredCluster, now: number): TaskOutcome => {
  const startedAt = cluster.createdAt;
  const endsAt = createEndsAt(cluster);
  const cancelled = endsAt < naturalCreateEnd(cluster);
  const failed = cluster.fails || cancelled;
  const stages = progress(createWindows(cluster), endsAt, failed, now);
  if (now < endsAt) return { startedAt, stages, state: 'running', error: null, endedAt: null };
  if (!failed) return { startedAt, stages, state: 'success', error: null, endedAt: endsAt };
  const error = cancelled
    ? { code: 'TaskCancelled', message: 'The cluster was deleted before its creation finished.' }
    : {
        code: 'CreateClusterFailed',
        message: `Emulated failure in stage ${CREATE_STAGES[FAILING_STAGE]}: ${cluster.failReason ?? DEFAULT_FAIL_REASON}.`,
      };
  return { startedAt, stages, state: 'fail', error, endedAt: endsAt };
};

const deleteOutcome = (cluster: StoredCluster, now: number): TaskOutcome => {
  const start = cluster.deleteRequestedAt ?? now;
  const end = cluster.deletedAt ?? now;
  const stages = progress(windowsOf(DELETE_STAGES, start, end), end, false, now);
  return now < end
    ? { startedAt: start, stages, state: 'running', error: null, endedAt: null }
    : { startedAt: start, stages, state: 'success', error: null, endedAt: end };
};

/** ModifyCluster of a name or protection is a metadata change: done the moment it is asked. */
const modifyOutcome = (task: StoredTask): TaskOutcome => ({
  startedAt: task.createdAt,
  stages: [{ name: MODIFY_STAGE, state: 'success', start: task.createdAt, end: task.createdAt }],
  state: 'success',
  error: null,
  endedAt: task.createdAt,
});

/** A staged change task: its stages over its window; a doomed one fails in its first stage. */
const changeOutcome = (task: StoredTask, now: number): TaskOutcome => {
  const startedAt = task.createdAt;
  const endsAt = changeEndsAt(task);
  const failed = task.failure !== undefined;
  const stages = progress(changeWindows(task), endsAt, failed, now);
  if (now < endsAt) return { startedAt, stages, state: 'running', error: null, endedAt: null };
  if (!failed) return { startedAt, stages, state: 'success', error: null, endedAt: endsAt };
  const stage = task.stages?.[FAILING_CHANGE_STAGE] ?? 'the first stage';
  return {
    startedAt,
    stages,
    state: 'fail',
    error: { code: 'TaskFailed', message: `Emulated failure in stage ${stage}: ${task.failure}.` },
    endedAt: endsAt,
  };
};

const taskOutcome = (task: StoredTask, cluster: StoredCluster, now: number): TaskOutcome => {
  if (isChangeTask(task)) return changeOutcome(task, now);
  if (task.taskType === 'cluster_create') return createOutcome(cluster, now);
  if (task.taskType === 'cluster_delete') return deleteOutcome(cluster, now);
  return modifyOutcome(task);
};

export type { StageView, TaskOutcome };
export { createOutcome, deleteOutcome, taskOutcome };
