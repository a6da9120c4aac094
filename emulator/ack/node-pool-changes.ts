import { runningChangeTask } from './change-tasks.js';
import { ackErrors } from './errors.js';
import type { AckRequest, HandlerContext } from './handlers/handler.js';
import { clusterStateAt } from './lifecycle.js';
import type { PoolChange } from './node-pools.js';
import type { ClusterStore } from './store.js';
import type { StoredCluster, StoredNodePool } from './types.js';

/**
 * What the three node pool calls share: the cluster they name (a managed one: an ACK Serverless
 * cluster has no pools), the pool they name, and how a running pool task shows in
 * DescribeClusterNodePools. A pool task's effect is the cluster's whole pool list after it
 * (change-tasks.ts applies it on success), so the pools under way are the difference between
 * that list and the cluster's.
 */

/** The managed cluster of the path; a missing or deleted one is ErrorClusterNotFound. */
const managedClusterOf = (request: AckRequest, context: HandlerContext): StoredCluster => {
  const clusterId = request.params.ClusterId ?? '';
  const cluster = context.store.getCluster(clusterId);
  const state = cluster === undefined ? 'deleted' : clusterStateAt(cluster, context.now());
  if (cluster === undefined || state === 'deleted') throw ackErrors.clusterNotFound(clusterId);
  if (cluster.clusterType !== 'ManagedKubernetes' || cluster.nodePools === undefined) {
    throw ackErrors.noNodePools(clusterId, cluster.profile);
  }
  return cluster;
};

/** The pool of the path (`NodepoolId`), among the pools the cluster has now. */
const poolOf = (cluster: StoredCluster, nodepoolId: string): StoredNodePool => {
  const pool = (cluster.nodePools ?? []).find((candidate) => candidate.nodepoolId === nodepoolId);
  if (pool === undefined) throw ackErrors.nodePoolNotFound(cluster.clusterId, nodepoolId);
  return pool;
};

const changeOf = (before: StoredNodePool, after: StoredNodePool): PoolChange | undefined => {
  if (JSON.stringify(before) === JSON.stringify(after)) return undefined;
  if (after.desiredSize > before.desiredSize) return 'scaling';
  if (after.desiredSize < before.desiredSize) return 'removing';
  return 'updating';
};

/** The cluster's pools at `now` with what a running pool task is doing to each. */
const poolsAt = (
  store: ClusterStore,
  cluster: StoredCluster,
  now: number,
): { pool: StoredNodePool; change?: PoolChange }[] => {
  const current = cluster.nodePools ?? [];
  const after = runningChangeTask(store, cluster.clusterId, now)?.effect?.nodePools;
  if (after === undefined) return current.map((pool) => ({ pool }));
  const shown = current.map((pool) => {
    const next = after.find((candidate) => candidate.nodepoolId === pool.nodepoolId);
    const change = next === undefined ? 'deleting' : changeOf(pool, next);
    return change === undefined ? { pool } : { pool, change };
  });
  const created = after
    .filter((pool) => !current.some((candidate) => candidate.nodepoolId === pool.nodepoolId))
    .map((pool) => ({ pool, change: 'creating' as const }));
  return [...shown, ...created];
};

export { managedClusterOf, poolOf, poolsAt };
