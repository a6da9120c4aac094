import { AckError } from '../ack/ack-error.js';
import type { AckTask } from '../ack/cluster-api.port.js';
import type { ChangeError } from '../domain/cluster-change.js';
import { readCreationTask } from '../domain/creation-progress.js';
import type { DomainError } from '../domain/errors.js';

/**
 * Why a change did not happen, in our codes and words. ACK's own error code is named (it is
 * what a support ticket needs); ACK's message is not copied: it can carry internal detail and
 * changes wording without notice, so callers could not match on it anyway.
 */

/** ACK refused the call that would have started the change. */
const refusedByAck = (error: DomainError): ChangeError => {
  const ackCode = error instanceof AckError ? error.ackCode : undefined;
  return {
    code: 'ACK_CHANGE_REFUSED',
    message: `ACK refused to start it (${ackCode ?? error.code}); nothing was changed`,
  };
};

/** ACK's task for the change ended in failure. */
const failedTask = (task: AckTask): ChangeError => {
  const { stages } = readCreationTask(task);
  const failedStage = stages.find((stage) => stage.status === 'failed');
  const where = failedStage ? ` in stage ${failedStage.name}` : '';
  const code = task.error?.code ? ` (${task.error.code})` : '';
  return {
    code: 'ACK_CHANGE_FAILED',
    message: `ACK's task ${task.taskId} failed${where}${code}`,
  };
};

/** The worker never got ACK to accept the change in time (ACK unreachable, throttled for long). */
const neverStarted = (minutes: number): ChangeError => ({
  code: 'CHANGE_NOT_STARTED',
  message: `ACK did not accept the change within ${minutes} minutes; nothing was changed`,
});

/** ACK's task ran past the longest a change may take: the provision is given back. */
const timedOut = (taskId: string, minutes: number): ChangeError => ({
  code: 'CHANGE_TIMED_OUT',
  message:
    `ACK's task ${taskId} was still running after ${minutes} minutes; the cluster is given ` +
    'back as running, and the task may still finish in ACK',
});

export { failedTask, neverStarted, refusedByAck, timedOut };
