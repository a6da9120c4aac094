import type { EmulatedClusterState, StoredCluster } from './types.js';

/**
 * Cluster and task lifecycles, derived from timestamps and the clock: no timers, so an injected
 * clock moves clusters forward and a restart from the state file resumes exactly.
 *
 * Creation runs three stages spread evenly over createSeconds; a cluster doomed by
 * failNamePattern fails at the end of the second stage (the control plane), the way real ASK
 * creations usually fail (missing role, quota, vSwitch without IPs). Deletion runs two stages over
 * deleteSeconds; then the cluster is `deleted` and ACK answers ErrorClusterNotFound for it.
 */

const CREATE_STAGES = ['CreateNetwork', 'CreateControlPlane', 'InstallAddons'] as const;
const DELETE_STAGES = ['DeleteClusterResources', 'DeleteControlPlane'] as const;
const FAILING_STAGE = 1;

interface StageWindow {
  name: string;
  start: number;
  end: number;
}

const windowsOf = (names: readonly string[], start: number, end: number): StageWindow[] => {
  const step = (end - start) / names.length;
  return names.map((name, index) => ({
    name,
    start: Math.round(start + step * index),
    end: index === names.length - 1 ? end : Math.round(start + step * (index + 1)),
  }));
};

const createWindows = (cluster: StoredCluster): StageWindow[] =>
  windowsOf(CREATE_STAGES, cluster.createdAt, cluster.readyAt);

/** When a doomed creation fails: the end of its control-plane stage. */
const failAt = (cluster: StoredCluster): number =>
  createWindows(cluster)[FAILING_STAGE]?.end ?? cluster.readyAt;

/** When the create task would stop on its own: success, or the emulated failure. */
const naturalCreateEnd = (cluster: StoredCluster): number =>
  cluster.fails ? failAt(cluster) : cluster.readyAt;

/** When the create task stops: on its own, or earlier when the cluster is deleted mid-way. */
const createEndsAt = (cluster: StoredCluster): number => {
  const natural = naturalCreateEnd(cluster);
  return cluster.deleteRequestedAt === null
    ? natural
    : Math.min(natural, cluster.deleteRequestedAt);
};

const clusterStateAt = (cluster: StoredCluster, now: number): EmulatedClusterState => {
  if (cluster.deletedAt !== null && now >= cluster.deletedAt) return 'deleted';
  if (cluster.deleteRequestedAt !== null) return 'deleting';
  if (now < createEndsAt(cluster)) return 'initial';
  return cluster.fails ? 'failed' : 'running';
};

/** When the visible state last changed, for the `updated` field. */
const lastChangeAt = (cluster: StoredCluster, now: number): number => {
  const candidates = [cluster.createdAt, createEndsAt(cluster), cluster.deleteRequestedAt];
  return Math.max(...candidates.filter((at): at is number => at !== null && at <= now));
};

export type { StageWindow };
export {
  CREATE_STAGES,
  clusterStateAt,
  createEndsAt,
  createWindows,
  DELETE_STAGES,
  FAILING_STAGE,
  failAt,
  lastChangeAt,
  naturalCreateEnd,
  windowsOf,
};
