import { ackErrors } from '../errors.js';
import { clusterEvents, type EmulatedEvent, renderEvent } from '../events.js';
import { clusterStateAt } from '../lifecycle.js';
import { intQuery } from '../validators.js';
import type { AckHandler } from './handler.js';

/**
 * DescribeClusterEvents `GET /clusters/{ClusterId}/events?task_id&page_size&page_number` and
 * DescribeEvents `GET /events?cluster_id&type&page_size&page_number`: the same events (events.ts),
 * `{events, page_info{page_number, page_size, total_count}}`.
 *
 * - page_size 1–100, default 50 (SDK doc). `max_results`/`next_token` paging is not modelled.
 * - Newest first (UNVERIFIED: the order is not documented; the console shows newest first).
 * - DescribeClusterEvents of a deleted or unknown cluster is ErrorClusterNotFound, like every
 *   per-cluster call; DescribeEvents keeps listing a deleted cluster's events (account history)
 *   and answers an empty page for an unknown cluster_id (both UNVERIFIED).
 */

const page = (events: EmulatedEvent[], query: Record<string, string>) => {
  const pageNumber = intQuery(query, 'page_number', {
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    fallback: 1,
  });
  const pageSize = intQuery(query, 'page_size', { min: 1, max: 100, fallback: 50 });
  const newestFirst = [...events].reverse();
  return {
    status: 200,
    body: {
      events: newestFirst
        .slice((pageNumber - 1) * pageSize, pageNumber * pageSize)
        .map(renderEvent),
      page_info: { page_number: pageNumber, page_size: pageSize, total_count: events.length },
    },
  };
};

const describeClusterEvents: AckHandler = (request, context) => {
  const clusterId = request.params.ClusterId ?? '';
  const cluster = context.store.getCluster(clusterId);
  const now = context.now();
  if (cluster === undefined || clusterStateAt(cluster, now) === 'deleted') {
    throw ackErrors.clusterNotFound(clusterId);
  }
  const taskId = request.query.task_id ?? '';
  const events = clusterEvents(cluster, now).filter(
    (event) => taskId === '' || event.taskId === taskId,
  );
  return page(events, request.query);
};

const describeEvents: AckHandler = (request, context) => {
  const now = context.now();
  const clusterId = request.query.cluster_id ?? '';
  const type = request.query.type ?? '';
  const events = context.store
    .allClusters()
    .filter((cluster) => clusterId === '' || cluster.clusterId === clusterId)
    .flatMap((cluster) => clusterEvents(cluster, now))
    .filter((event) => type === '' || event.type === type)
    // Stable: allClusters is in creation order and each cluster's events are oldest first.
    .sort((a, b) => a.time - b.time);
  return page(events, request.query);
};

export { describeClusterEvents, describeEvents };
