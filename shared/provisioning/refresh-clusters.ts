import type { AckCluster, AckTask, ClusterApi } from '../ack/cluster-api.port.js';
import { clusterPages } from '../ack/cluster-pages.js';
import { tenantFacingReason } from '../ack/tenant-facing-ack-error.js';
import type { Clock } from '../clock.js';
import { nextStateFromAck } from '../domain/ack-state.js';
import type { Provision, ProvisionPatch } from '../domain/provision.js';
import { IN_FLIGHT_STATES } from '../domain/provision-state.js';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import type { CreationProgressStore } from '../store/creation-progress.port.js';
import type { OutboxStore } from '../store/outbox.port.js';
import type { ProvisionStore } from '../store/provision.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { type TimeBudget, unlimitedBudget } from '../time-budget.js';
import { commitTransition } from './commit-transition.js';
import { followCreateTasks } from './follow-create-tasks.js';
import { startDeletion } from './start-deletion.js';

interface RefreshDeps {
  store: ProvisionStore & OutboxStore & WebhookEndpointStore & CreationProgressStore;
  clusterApi: ClusterApi;
  clock: Clock;
  logger: Logger;
  /** With a queue, a failed creation is deleted (ACK keeps failed clusters until told). */
  cleanupFailed?: { queue: JobQueue };
  /**
   * Called once a provision became running (the poller passes the janitor's deletion of a
   * cluster that expired while it was being created); a failure is logged, the janitor's next
   * run decides again.
   */
  onRunning?: (provision: Provision) => Promise<unknown>;
}

interface RefreshTally {
  examined: number;
  changed: number;
  listCalls: number;
  describeCalls: number;
  /** DescribeTaskInfo calls made to follow creations' stages (at most `taskReads`). */
  taskCalls: number;
  stageEvents: number;
  /** In-flight provisions not looked at because the time budget ran out (next tick). */
  left: number;
}

const loadInFlight = async (store: ProvisionStore, batch: number): Promise<Provision[]> => {
  const rows: Provision[] = [];
  let afterId: string | undefined;
  while (rows.length < batch) {
    const page = await store.listProvisions({
      states: IN_FLIGHT_STATES,
      limit: Math.min(500, batch - rows.length),
      ...(afterId ? { afterId } : {}),
    });
    rows.push(...page);
    const last = page.at(-1);
    if (!last || page.length === 0) break;
    afterId = last.id;
  }
  return rows;
};

/**
 * One DescribeClustersV1 page serves up to 50 in-flight clusters: the list is paged until
 * every cluster we follow was seen (ACK cannot filter by id set or tag). Clusters the list no
 * longer shows (a finished delete) are asked about one by one.
 */
const observeRegion = async (
  deps: RefreshDeps,
  region: string,
  wanted: Map<string, Provision>,
  tally: RefreshTally,
): Promise<Map<string, AckCluster | null>> => {
  const seen = new Map<string, AckCluster | null>();
  // Both profiles this service creates (Serverless, and Default for managed clusters) are
  // cluster_type ManagedKubernetes, so no profile filter: one listing covers both.
  const query = { regionId: region, clusterType: 'ManagedKubernetes' };
  for await (const page of clusterPages(deps.clusterApi, query)) {
    tally.listCalls += 1;
    for (const cluster of page.clusters)
      if (wanted.has(cluster.clusterId)) seen.set(cluster.clusterId, cluster);
    if (seen.size >= wanted.size) break;
  }
  for (const clusterId of wanted.keys()) {
    if (seen.has(clusterId)) continue;
    tally.describeCalls += 1;
    seen.set(clusterId, await deps.clusterApi.describeCluster({ clusterId, regionId: region }));
  }
  return seen;
};

const failureDetail = async (
  deps: RefreshDeps,
  provision: Provision,
  tally: RefreshTally,
  readThisTick: AckTask | undefined,
): Promise<{ code: string; message: string }> => {
  if (!provision.taskId)
    return { code: 'ACK_CREATE_FAILED', message: 'ACK reports the cluster creation failed' };
  try {
    if (readThisTick === undefined) tally.describeCalls += 1;
    const task =
      readThisTick ??
      (await deps.clusterApi.describeTask({
        taskId: provision.taskId,
        regionId: provision.region,
      }));
    if (task.error) {
      // ACK's reason is the operator's (logged); the tenant reads a mapped one naming our field.
      deps.logger.warn('ACK reports the creation failed', {
        provisionId: provision.id,
        taskId: provision.taskId,
        ackCode: task.error.code,
        ackMessage: task.error.message,
      });
      return {
        code: 'ACK_CREATE_FAILED',
        message: tenantFacingReason({
          code: 'ACK_CREATE_FAILED',
          ackCode: task.error.code,
          ackText: task.error.message,
          otherwise: 'ACK could not create the cluster (the operator has ACK’s reason)',
        }).message,
      };
    }
  } catch (error) {
    deps.logger.warn('could not read the failed task', { provisionId: provision.id, error });
  }
  return { code: 'ACK_CREATE_FAILED', message: 'ACK reports the cluster creation failed' };
};

const applyObservation = async (
  deps: RefreshDeps,
  provision: Provision,
  cluster: AckCluster | null,
  tally: RefreshTally,
  task: AckTask | undefined,
): Promise<void> => {
  // A cluster ACK no longer knows is, for us, deleted.
  const ackState = cluster?.state ?? 'deleted';
  if (ackState === provision.ackState) return;
  const now = deps.clock.now();
  const next = nextStateFromAck(provision.state, ackState);
  const patch: ProvisionPatch = { ackState, ...(cluster ? { endpoints: cluster.endpoints } : {}) };
  tally.changed += 1;
  if (!next) {
    await deps.store.updateProvision({
      id: provision.id,
      expectedVersion: provision.version,
      patch,
      event: {
        type: 'ack.state_changed',
        state: provision.state,
        message: `ACK reports ${ackState}`,
        source: 'ack',
        at: now,
      },
      at: now,
    });
    return;
  }
  if (next === 'failed') patch.error = await failureDetail(deps, provision, tally, task);
  const moved = await commitTransition(deps.store, provision, next, {
    reason: `ack.${ackState}`,
    message:
      next === 'failed' ? `creation failed: ${patch.error?.message}` : `ACK reports ${ackState}`,
    now,
    patch,
    source: 'ack',
  });
  // A lost compare-and-set means another tick moved the row first; the next tick re-reads it.
  if (!moved) {
    deps.logger.info('provision moved on during refresh', { provisionId: provision.id });
    return;
  }
  if (moved.state === 'failed' && deps.cleanupFailed)
    await cleanUpFailed(deps, deps.cleanupFailed.queue, moved);
  if (moved.state === 'running' && deps.onRunning)
    await deps.onRunning(moved).catch((error: unknown) =>
      deps.logger.warn('the action on a cluster that became running failed', {
        provisionId: moved.id,
        error,
      }),
    );
};

/**
 * Starts deleting what a failed creation left in ACK, the way every deletion starts: the
 * transition with its delete job in the outbox, then the send; a lost send is re-sent by the
 * outbox sweep. A lost compare-and-set leaves it to whoever moved the row.
 */
const cleanUpFailed = async (
  deps: RefreshDeps,
  queue: JobQueue,
  failed: Provision,
): Promise<void> => {
  await startDeletion({ ...deps, queue }, failed, {
    reason: 'cleanup.failed_create',
    message: 'deleting the cluster the failed creation left behind',
  });
};

/**
 * Observations applied at once. A steady tick writes nothing, but a tick where many clusters
 * changed writes one transaction per change (the transition, its event, its webhooks), each a
 * few database round trips: 10,000 of them one after another took minutes, far past the
 * poller's timeout. Within the pool's connections (pg's default is 10).
 */
const APPLY_LANES = 8;
/** An observation is applied only with this much of the budget left (one short transaction). */
const APPLY_NEEDS_MS = 1000;

/**
 * Runs `work(0 … count-1)` in APPLY_LANES lanes while the budget allows, and returns how many
 * were started; the rest are left (their rows unchanged, so the next tick observes them again).
 * A failure stops the lanes from taking more and is thrown once every started one has ended.
 */
const inLanes = async (
  count: number,
  budget: TimeBudget,
  work: (index: number) => Promise<void>,
): Promise<number> => {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (next < count && failure === undefined && budget.allows(APPLY_NEEDS_MS)) {
      const index = next;
      next += 1;
      try {
        await work(index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(APPLY_LANES, count) }, lane));
  if (failure !== undefined) throw failure.error;
  return next;
};

/** The poller's refresh: follows every in-flight provision through ACK and records what changed. */
const refreshClusters = async (
  deps: RefreshDeps,
  options: {
    batch: number;
    taskReads: number;
    /** With a budget, a region is refreshed only while `regionMs` (its ACK calls) still fit. */
    budget?: TimeBudget;
    regionMs?: number;
  },
): Promise<RefreshTally> => {
  const budget = options.budget ?? unlimitedBudget;
  const tally: RefreshTally = {
    examined: 0,
    changed: 0,
    listCalls: 0,
    describeCalls: 0,
    taskCalls: 0,
    stageEvents: 0,
    left: 0,
  };
  const provisions = (await loadInFlight(deps.store, options.batch)).filter(
    (p) => p.clusterId !== null,
  );
  const byRegion = new Map<string, Map<string, Provision>>();
  for (const provision of provisions) {
    const regionMap = byRegion.get(provision.region) ?? new Map<string, Provision>();
    regionMap.set(provision.clusterId ?? '', provision);
    byRegion.set(provision.region, regionMap);
  }
  for (const [region, wanted] of byRegion) {
    if (!budget.allows(options.regionMs ?? 0)) {
      tally.left += wanted.size;
      continue;
    }
    try {
      const observed = await observeRegion(deps, region, wanted, tally);
      // Stages first, so the timeline shows the last stage's end before `running` or `failed`.
      const followed = await followCreateTasks(deps, {
        provisions: [...wanted].filter(([id]) => observed.get(id)).map(([, p]) => p),
        limit: options.taskReads - tally.taskCalls,
      });
      tally.taskCalls += followed.taskCalls;
      tally.stageEvents += followed.stageEvents;
      const entries = [...wanted];
      const applied = await inLanes(entries.length, budget, async (index) => {
        const entry = entries[index];
        if (!entry) return;
        const [clusterId, provision] = entry;
        tally.examined += 1;
        const cluster = observed.get(clusterId) ?? null;
        await applyObservation(deps, provision, cluster, tally, followed.tasks.get(provision.id));
      });
      tally.left += entries.length - applied;
    } catch (error) {
      // One region's outage must not stop the others; the next tick tries again.
      deps.logger.warn('refresh of a region failed', { region, error });
    }
  }
  return tally;
};

export type { RefreshTally };
export { refreshClusters };
