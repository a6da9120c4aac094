import { ackErrors } from '../errors.js';
import { formatAckTime, formatStageTime } from '../render.js';
import { type StageView, taskOutcome } from '../task-progress.js';
import type { StoredCluster, StoredTask } from '../types.js';
import type { AckHandler } from './handler.js';

/**
 * DescribeTaskInfo `GET /tasks/{task_id}`: a task's state (running | fail | success), the stages
 * that have started (each with its state, a message naming it, start and end times), events, and
 * an error when it failed. Shapes follow the SDK's examples: stage times `2022-12-15 23:00:00`,
 * event timestamps as epoch-millisecond strings, event source `ACK`. Stage and error codes are
 * the emulator's own (UNVERIFIED: ACK's real stage names are not documented).
 */

const eventsOf = (stages: StageView[]) =>
  stages.flatMap((stage) => {
    const started = {
      action: 'start',
      level: 'Normal',
      message: `start to ${stage.name}`,
      reason: `${stage.name}Start`,
      source: 'ACK',
      timestamp: String(stage.start),
    };
    if (stage.end === null) return [started];
    const failed = stage.state === 'failed';
    return [
      started,
      {
        action: failed ? 'fail' : 'finish',
        level: failed ? 'Warning' : 'Normal',
        message: `${failed ? 'failed' : 'success'} to ${stage.name}`,
        reason: `${stage.name}${failed ? 'Failed' : 'Success'}`,
        source: 'ACK',
        timestamp: String(stage.end),
      },
    ];
  });

const renderTask = (task: StoredTask, cluster: StoredCluster, now: number) => {
  const outcome = taskOutcome(task, cluster, now);
  const current = outcome.stages.find((stage) => stage.state === 'running');
  const lastStage = outcome.stages.at(-1);
  return {
    task_id: task.taskId,
    cluster_id: cluster.clusterId,
    task_type: task.taskType,
    state: outcome.state,
    current_stage:
      current?.name ?? (outcome.state === 'running' ? null : (lastStage?.name ?? null)),
    stages: outcome.stages.map((stage) => ({
      state: stage.state,
      message: `${stage.state === 'running' ? 'start' : stage.state === 'failed' ? 'failed' : 'success'} to ${stage.name}`,
      start_time: formatStageTime(stage.start),
      end_time: stage.end === null ? '' : formatStageTime(stage.end),
      outputs: {},
    })),
    events: eventsOf(outcome.stages),
    target: { id: cluster.clusterId, type: 'cluster' },
    ...(outcome.error === null ? {} : { error: outcome.error }),
    created: formatAckTime(task.createdAt),
    updated: formatAckTime(outcome.endedAt ?? lastStage?.start ?? task.createdAt),
  };
};

const describeTaskInfo: AckHandler = (request, context) => {
  const taskId = request.params.task_id ?? '';
  const task = context.store.getTask(taskId);
  const cluster = task === undefined ? undefined : context.store.getCluster(task.clusterId);
  if (task === undefined || cluster === undefined) throw ackErrors.taskNotFound(taskId);
  return { status: 200, body: renderTask(task, cluster, context.now()) };
};

export { describeTaskInfo };
