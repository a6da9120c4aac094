import { createHash } from 'node:crypto';
import { formatAckTime } from './render.js';
import { createOutcome, deleteOutcome, type TaskOutcome } from './task-progress.js';
import type { StoredCluster } from './types.js';

/**
 * The events DescribeClusterEvents and DescribeEvents return, derived (like states) from the
 * stored timestamps and `now`, so they appear over the configured durations, follow an injected
 * clock and come back identical after a restart. Creation and deletion events come from the same
 * stage windows DescribeTaskInfo reports (task-progress.ts); ModifyCluster and TagResources
 * calls are stored as changes and become `cluster_modify` events.
 *
 * Shapes follow the SDK's example (`source: task`, `data.reason: Started`, times like
 * `2025-05-14T10:00:56+08:00`); the messages and reasons beyond `Started` are the emulator's own
 * (UNVERIFIED: ACK's real wording is not documented).
 */

interface EmulatedEvent {
  eventId: string;
  clusterId: string;
  type: 'cluster_create' | 'cluster_delete' | 'cluster_modify';
  taskId: string;
  time: number;
  level: 'info' | 'warning' | 'error';
  reason: string;
  message: string;
}

type Draft = Omit<EmulatedEvent, 'eventId' | 'clusterId'>;

/**
 * `e-` + a UUID-shaped digest of the task and the event's place in it: a task's events only ever
 * grow at the end, so the id stays the same across calls, clock moves and restarts.
 */
const eventIdOf = (clusterId: string, draft: Draft, indexInTask: number): string => {
  const hex = createHash('sha256')
    .update(`${clusterId}|${draft.taskId}|${draft.type}|${indexInTask}`)
    .digest('hex');
  return `e-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

const taskEvents = (
  type: 'cluster_create' | 'cluster_delete',
  taskId: string,
  outcome: TaskOutcome,
  verb: { start: string; done: string; name: string },
): Draft[] => {
  const base = { type, taskId };
  const drafts: Draft[] = [
    {
      ...base,
      time: outcome.startedAt,
      level: 'info',
      reason: 'Started',
      message: `Start to ${verb.start} cluster ${verb.name}`,
    },
  ];
  for (const stage of outcome.stages) {
    drafts.push({
      ...base,
      time: stage.start,
      level: 'info',
      reason: 'Started',
      message: `Start to ${stage.name}`,
    });
    if (stage.end === null) continue;
    const failed = stage.state === 'failed';
    drafts.push({
      ...base,
      time: stage.end,
      level: failed ? 'error' : 'info',
      reason: failed ? 'Failed' : 'Succeeded',
      message: `${failed ? 'Failed' : 'Succeeded'} to ${stage.name}`,
    });
  }
  if (outcome.endedAt !== null) {
    const failed = outcome.state === 'fail';
    drafts.push({
      ...base,
      time: outcome.endedAt,
      level: failed ? 'error' : 'info',
      reason: failed ? 'Failed' : 'Succeeded',
      message: failed
        ? `Failed to ${verb.start} cluster ${verb.name}: ${outcome.error?.message ?? 'unknown error'}`
        : `Cluster ${verb.name} ${verb.done}`,
    });
  }
  return drafts;
};

/** Every event of one cluster that has happened by `now`, oldest first. */
const clusterEvents = (cluster: StoredCluster, now: number): EmulatedEvent[] => {
  const drafts: Draft[] = taskEvents(
    'cluster_create',
    cluster.createTaskId,
    createOutcome(cluster, now),
    { start: 'create', done: 'created successfully', name: cluster.name },
  );
  for (const change of cluster.changes ?? []) {
    drafts.push({
      type: 'cluster_modify',
      taskId: change.taskId,
      time: change.at,
      level: 'info',
      reason: 'Succeeded',
      message: `Modified cluster: ${change.message}`,
    });
  }
  if (cluster.deleteTaskId !== null && cluster.deleteRequestedAt !== null) {
    drafts.push(
      ...taskEvents('cluster_delete', cluster.deleteTaskId, deleteOutcome(cluster, now), {
        start: 'delete',
        done: 'deleted successfully',
        name: cluster.name,
      }),
    );
  }
  const perTask = new Map<string, number>();
  return drafts
    .map((draft, ordinal) => {
      const indexInTask = perTask.get(draft.taskId) ?? 0;
      perTask.set(draft.taskId, indexInTask + 1);
      const event: EmulatedEvent = {
        ...draft,
        clusterId: cluster.clusterId,
        eventId: eventIdOf(cluster.clusterId, draft, indexInTask),
      };
      return { event, ordinal };
    })
    .filter(({ event }) => event.time <= now)
    .sort((a, b) => a.event.time - b.event.time || a.ordinal - b.ordinal)
    .map(({ event }) => event);
};

/** ACK's wire shape (snake_case, details under `data`). */
const renderEvent = (event: EmulatedEvent) => ({
  event_id: event.eventId,
  cluster_id: event.clusterId,
  type: event.type,
  source: 'task',
  subject: event.clusterId,
  time: formatAckTime(event.time),
  data: { level: event.level, reason: event.reason, message: event.message },
});

export type { EmulatedEvent };
export { clusterEvents, renderEvent };
