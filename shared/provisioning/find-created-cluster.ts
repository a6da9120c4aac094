import type { AckCluster, ClusterApi } from '../ack/cluster-api.port.js';
import { TAG_PROVISION_ID } from '../domain/cluster-name.js';
import type { Provision } from '../domain/provision.js';

const PAGE_SIZE = 100;

/**
 * Looks for the cluster an earlier attempt may have created before it lost the response or died.
 * ACK matches `name` fuzzily and cannot filter by tag, so both are checked here: the exact
 * deterministic name AND our provision tag. A same-named cluster without the tag is not ours.
 */
const findCreatedCluster = async (
  api: ClusterApi,
  provision: Provision,
): Promise<AckCluster | undefined> => {
  for (let pageNumber = 1; ; pageNumber += 1) {
    const page = await api.listClusters({
      regionId: provision.region,
      name: provision.clusterName,
      clusterType: 'ManagedKubernetes',
      profile: 'Serverless',
      pageNumber,
      pageSize: PAGE_SIZE,
    });
    const match = page.clusters.find(
      (cluster) =>
        cluster.name === provision.clusterName && cluster.tags[TAG_PROVISION_ID] === provision.id,
    );
    if (match) return match;
    if (page.clusters.length < PAGE_SIZE || pageNumber * PAGE_SIZE >= page.totalCount)
      return undefined;
  }
};

export { findCreatedCluster };
