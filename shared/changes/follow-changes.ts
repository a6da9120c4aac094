import type { AckTask, ClusterApi } from '../ack/cluster-api.port.js';
import type { Clock } from '../clock.js';
import type { ClusterChange } from '../domain/cluster-change.js';
import { newStageEvents, readCreationTask } from '../domain/creation-progress.js';
import type { Provision } from '../domain/provision.js';
import type { Logger } from '../logger.js';
import type { ChangeStore } from '../store/change.port.js';
import type { ProvisionStore } from '../store/provision.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { changeEffects } from './change-effects.js';
import { failedTask, neverStarted, timedOut } from './change-failures.js';
import { type ChangeOutcome, finishChange } from './finish-change.js';

interface FollowChangesDeps {
  store: ProvisionStore & ChangeStore & WebhookEndpointStore;
  clusterApi: ClusterApi;
  clock: Clock;
  logger: Logger;
}

interface FollowChangesSettings {
  /** DescribeTaskInfo calls at most, this tick. */
  taskReads: number;
  /** A change ACK has not accepted after this long fails (nothing was changed). */
  startTimeoutSeconds: number;
  /** A change whose task runs longer than this is given back as failed. */
  runTimeoutSeconds: number;
}

interface FollowChangesResult {
  followed: number;
  taskCalls: number;
  stageEvents: number;
  succeeded: number;
  failed: number;
}

const isDone = (task: AckTask): 'success' | 'fail' | undefined => {
  const state = task.state.toLowerCase();
  if (state === 'success' || state === 'succeeded') return 'success';
  if (state === 'fail' || state === 'failed') return 'fail';
  return undefined;
};

const ageSeconds = (change: ClusterChange, now: Date): number =>
  (now.getTime() - change.createdAt.getTime()) / 1000;

/**
 * The poller's step for changes: every `updating` provision's open change is looked at once a
 * tick. A change under way has its ACK task read (DescribeTaskInfo, at most `taskReads` a tick,
 * the least recently updated first); each new stage status becomes an `ack.stage` event, and a
 * finished task ends the change (`updating → running`, `cluster.updated` or
 * `cluster.update_failed`). A change that never started, or whose task runs too long, ends as
 * failed: a provision is never left `updating`. A task that cannot be read waits for the next
 * tick (the timeout still applies).
 */
const followChanges = async (
  deps: FollowChangesDeps,
  settings: FollowChangesSettings,
): Promise<FollowChangesResult> => {
  const result: FollowChangesResult = {
    followed: 0,
    taskCalls: 0,
    stageEvents: 0,
    succeeded: 0,
    failed: 0,
  };
  const updating = await deps.store.listProvisions({ states: ['updating'], limit: 500 });
  const open: { provision: Provision; change: ClusterChange }[] = [];
  for (const provision of updating) {
    const change = await deps.store.getOpenChange({ provisionId: provision.id });
    if (change) open.push({ provision, change });
    else
      deps.logger.warn('an updating provision has no open change', { provisionId: provision.id });
  }
  open.sort((a, b) => a.change.updatedAt.getTime() - b.change.updatedAt.getTime());
  const end = async (provision: Provision, change: ClusterChange, outcome: ChangeOutcome) => {
    const done = await finishChange(deps, provision, change, outcome);
    // Lost to another writer: the change is still open, and the next tick ends it.
    if (done) result[outcome.ok ? 'succeeded' : 'failed'] += 1;
  };
  for (const { provision, change } of open) {
    result.followed += 1;
    const now = deps.clock.now();
    try {
      if (change.state === 'pending' || change.ackTaskId === null) {
        if (ageSeconds(change, now) > settings.startTimeoutSeconds) {
          const minutes = Math.round(settings.startTimeoutSeconds / 60);
          await end(provision, change, { ok: false, error: neverStarted(minutes) });
        }
        continue;
      }
      if (result.taskCalls >= settings.taskReads) continue;
      result.taskCalls += 1;
      const task = await deps.clusterApi.describeTask({
        taskId: change.ackTaskId,
        regionId: provision.region,
      });
      const { stages } = readCreationTask(task);
      result.stageEvents += await deps.store.recordChangeStages({
        changeId: change.id,
        provisionId: provision.id,
        stages: newStageEvents(stages, new Set(change.recorded), now),
        at: now,
      });
      // The stage events moved nothing on the provision row: its version is still the one read.
      const done = isDone(task);
      if (done === 'success') {
        const effects = await changeEffects(deps.clusterApi, provision, change);
        await end(provision, change, { ok: true, effects });
      } else if (done === 'fail') {
        await end(provision, change, { ok: false, error: failedTask(task) });
      } else if (ageSeconds(change, now) > settings.runTimeoutSeconds) {
        const minutes = Math.round(settings.runTimeoutSeconds / 60);
        await end(provision, change, { ok: false, error: timedOut(change.ackTaskId, minutes) });
      }
    } catch (error) {
      deps.logger.warn('could not follow a change', {
        provisionId: provision.id,
        changeId: change.id,
        error,
      });
      // A task that cannot be read for longer than any change may take must not hold the cluster.
      if (change.ackTaskId !== null && ageSeconds(change, now) > settings.runTimeoutSeconds) {
        const minutes = Math.round(settings.runTimeoutSeconds / 60);
        await end(provision, change, {
          ok: false,
          error: timedOut(change.ackTaskId, minutes),
        }).catch((failure: unknown) =>
          deps.logger.warn('could not end a change', { error: failure }),
        );
      }
    }
  }
  return result;
};

export type { FollowChangesDeps, FollowChangesResult, FollowChangesSettings };
export { followChanges };
