import type { AckCluster, ClusterApi } from '../ack/cluster-api.port.js';
import { clusterPages } from '../ack/cluster-pages.js';
import { TAG_PROVISION_ID } from '../domain/cluster-name.js';
import type { Provision } from '../domain/provision.js';

/**
 * Looks for the cluster an earlier attempt may have created before it lost the response or died.
 * ACK matches `name` fuzzily and cannot filter by tag, so both are checked here: the exact
 * deterministic name AND our provision tag. A same-named cluster without the tag is not ours.
 */
const findCreatedCluster = async (
  api: ClusterApi,
  provision: Provision,
): Promise<AckCluster | undefined> => {
  const pages = clusterPages(api, {
    regionId: provision.region,
    name: provision.clusterName,
    // Serverless and managed (profile Default) clusters alike: no profile filter.
    clusterType: 'ManagedKubernetes',
  });
  for await (const page of pages) {
    const match = page.clusters.find(
      (cluster) =>
        cluster.name === provision.clusterName && cluster.tags[TAG_PROVISION_ID] === provision.id,
    );
    if (match) return match;
  }
  return undefined;
};

export { findCreatedCluster };
