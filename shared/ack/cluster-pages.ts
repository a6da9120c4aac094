import type { ClusterApi, ClusterPage, ListClustersQuery } from './cluster-api.port.js';

/**
 * Every page of DescribeClustersV1 for a query, following the `page_info` ACK answers rather
 * than the page size asked for: ACK documents no maximum `page_size` and may answer fewer rows
 * per page than asked (public callers page by 50, e.g. alicloud-nuke's
 * resources/ackCluster.go), so a loop that assumes its own size stops
 * early and misses clusters. The list ends when a page is empty or `page_number × page_size`
 * (as answered) covers `total_count`.
 */

const LIST_PAGE_SIZE = 50;
/** A guard against a list that never ends: 200 pages (10 000 clusters at 50 a page). */
const MAX_PAGES = 200;

type PagedQuery = Omit<ListClustersQuery, 'pageNumber' | 'pageSize'>;

async function* clusterPages(
  api: Pick<ClusterApi, 'listClusters'>,
  query: PagedQuery,
): AsyncGenerator<ClusterPage> {
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber += 1) {
    const page = await api.listClusters({ ...query, pageNumber, pageSize: LIST_PAGE_SIZE });
    yield page;
    // page_info says how many rows a page holds and how many there are in all.
    const covered = page.pageNumber * Math.max(page.pageSize, page.clusters.length);
    if (page.clusters.length === 0 || covered >= page.totalCount) return;
  }
}

export { clusterPages, LIST_PAGE_SIZE };
