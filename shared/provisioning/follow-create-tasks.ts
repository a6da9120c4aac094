import type { AckTask, ClusterApi } from '../ack/cluster-api.port.js';
import type { Clock } from '../clock.js';
import { newStageEvents, readCreationTask } from '../domain/creation-progress.js';
import type { Provision } from '../domain/provision.js';
import type { Logger } from '../logger.js';
import type { CreationProgressStore } from '../store/creation-progress.port.js';

interface FollowDeps {
  store: CreationProgressStore;
  clusterApi: ClusterApi;
  clock: Clock;
  logger: Logger;
}

/**
 * Reads ACK's create task (DescribeTaskInfo) of creations in flight and records each stage
 * status in the timeline once (`ack.stage`), with the progress `GET /v1/clusters/{id}` shows.
 *
 * The cost is bounded: at most `limit` DescribeTaskInfo calls per tick, given to the creations
 * read longest ago (never read first), so with more creations than the budget each is still read
 * every few ticks. Only `provisioning` rows with a task id are asked: nothing else has a create
 * task under way. A task that cannot be read is skipped until the next tick; the cluster's own
 * state still moves the provision on.
 *
 * Returns the tasks read, so a creation found failed in the same tick reuses its task's error.
 */
const followCreateTasks = async (
  deps: FollowDeps,
  input: { provisions: readonly Provision[]; limit: number },
): Promise<{ tasks: Map<string, AckTask>; taskCalls: number; stageEvents: number }> => {
  const tasks = new Map<string, AckTask>();
  let taskCalls = 0;
  let stageEvents = 0;
  const creating = input.provisions.filter((p) => p.state === 'provisioning' && p.taskId !== null);
  if (creating.length === 0 || input.limit <= 0) return { tasks, taskCalls, stageEvents };
  const known = await deps.store.getCreationProgress({ provisionIds: creating.map((p) => p.id) });
  const lastRead = (p: Provision): number => known.get(p.id)?.checkedAt.getTime() ?? -1;
  const chosen = [...creating].sort((a, b) => lastRead(a) - lastRead(b)).slice(0, input.limit);
  for (const provision of chosen) {
    const taskId = provision.taskId ?? '';
    try {
      taskCalls += 1;
      const task = await deps.clusterApi.describeTask({ taskId, regionId: provision.region });
      tasks.set(provision.id, task);
      const { progress, stages } = readCreationTask(task);
      const now = deps.clock.now();
      // The store re-checks the keys under the row lock: an overlapping tick writes nothing twice.
      stageEvents += await deps.store.recordCreationProgress({
        provisionId: provision.id,
        taskId,
        progress,
        stages: newStageEvents(stages, new Set(known.get(provision.id)?.recorded ?? []), now),
        checkedAt: now,
      });
    } catch (error) {
      deps.logger.warn('could not read the create task', { provisionId: provision.id, error });
    }
  }
  return { tasks, taskCalls, stageEvents };
};

export { followCreateTasks };
