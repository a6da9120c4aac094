import type { ClusterApi } from '../ack/cluster-api.port.js';
import { TAG_PROVISION_ID } from '../domain/cluster-name.js';
import type { SkipReason } from '../domain/janitor-policy.js';
import type { Provision } from '../domain/provision.js';

type Ownership = { owned: true } | { owned: false; skip: SkipReason; detail: string };

/**
 * Asked of ACK right before the janitor warns or deletes: the cluster exists, carries our
 * provision tag with this provision's id, and ACK's own deletion protection is off. A row in our
 * store is not enough on its own: the janitor never acts on a cluster that does not say it is ours.
 */
const verifyOwnership = async (
  clusterApi: ClusterApi,
  provision: Provision,
): Promise<Ownership> => {
  if (provision.clusterId === null) {
    return { owned: false, skip: 'cluster-not-found', detail: 'the provision has no cluster id' };
  }
  const cluster = await clusterApi.describeCluster({
    clusterId: provision.clusterId,
    regionId: provision.region,
  });
  if (cluster === null) {
    return {
      owned: false,
      skip: 'cluster-not-found',
      detail: `ACK does not know cluster ${provision.clusterId}`,
    };
  }
  const tag = cluster.tags[TAG_PROVISION_ID];
  if (tag !== provision.id) {
    return {
      owned: false,
      skip: 'not-ours',
      detail:
        tag === undefined
          ? `cluster ${cluster.clusterId} carries no ${TAG_PROVISION_ID} tag`
          : `cluster ${cluster.clusterId} is tagged for another provision`,
    };
  }
  if (cluster.deletionProtection) {
    return {
      owned: false,
      skip: 'ack-deletion-protection',
      detail: `ACK reports deletion protection on cluster ${cluster.clusterId}`,
    };
  }
  return { owned: true };
};

export type { Ownership };
export { verifyOwnership };
