import { clusterStateAt } from '../lifecycle.js';
import { renderCluster } from '../render.js';
import type { StoredCluster } from '../types.js';
import { intQuery } from '../validators.js';
import type { AckHandler } from './handler.js';

/**
 * DescribeClustersV1 `GET /api/v1/clusters`. Quirks copied from the real API:
 * - `name` matches fuzzily (a substring; case-insensitive here, UNVERIFIED), so callers filter
 *   exact names themselves;
 * - there is no state or tag filter: callers filter client-side;
 * - page_size defaults to 10 and is capped at 50, the largest value public callers are known to
 *   use (alicloud-nuke's ackCluster.go pages by 50; ACK documents no maximum).
 *   A larger page_size is answered with 50 rows and `page_info.page_size: 50` (UNVERIFIED whether
 *   ACK caps or refuses), so a caller that assumes the size it asked for misses clusters;
 * - page_number starts at 1.
 * Deleted clusters are not listed. Order: newest first (UNVERIFIED; stable by creation order).
 * The emulator serves every region on one endpoint, so without region_id it lists all regions.
 */

const MAX_PAGE_SIZE = 50;

const matches = (cluster: StoredCluster, query: Record<string, string>): boolean => {
  const equals = (field: string, value: string): boolean =>
    query[field] === undefined || query[field] === '' || query[field] === value;
  const name = query.name ?? '';
  return (
    equals('cluster_id', cluster.clusterId) &&
    equals('cluster_type', cluster.clusterType) &&
    equals('cluster_spec', cluster.clusterSpec) &&
    equals('profile', cluster.profile) &&
    equals('region_id', cluster.regionId) &&
    cluster.name.toLowerCase().includes(name.toLowerCase())
  );
};

const describeClustersV1: AckHandler = (request, context) => {
  const pageNumber = intQuery(request.query, 'page_number', {
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    fallback: 1,
  });
  const asked = intQuery(request.query, 'page_size', {
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    fallback: 10,
  });
  const pageSize = Math.min(asked, MAX_PAGE_SIZE);
  const now = context.now();
  // allClusters is oldest first: the filtered copy reversed is newest first, without a sort.
  const selected = context.store
    .allClusters()
    .filter(
      (cluster) => matches(cluster, request.query) && clusterStateAt(cluster, now) !== 'deleted',
    )
    .reverse();
  const page = selected.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    status: 200,
    body: {
      clusters: page.map((cluster) => renderCluster(cluster, now, context.endpointsFor)),
      page_info: { page_number: pageNumber, page_size: pageSize, total_count: selected.length },
    },
  };
};

export { describeClustersV1 };
