import type { AckCluster, ClusterApi } from '../ack/cluster-api.port.js';
import { TAG_PROVISION_ID } from '../domain/cluster-name.js';
import type { JanitorOrphan } from '../domain/janitor-run.js';
import type { Provision } from '../domain/provision.js';
import { PROVISION_ID } from '../provisioning/load-provision.js';
import type { JanitorStore } from '../store/janitor.port.js';
import type { ProvisionStore } from '../store/provision.port.js';

const PAGE_SIZE = 100;
/** A guard against a list that never ends: 5 000 clusters per region. */
const MAX_PAGES = 50;

/** ACK is already removing these: nothing to report. */
const GOING = new Set(['deleting', 'removing', 'deleted']);

/** Why a tagged cluster is an orphan, or undefined when its provision owns it. */
const orphanWhy = (cluster: AckCluster, provision: Provision | null): string | undefined => {
  if (provision === null) return 'the store has no provision with the id its tag names';
  if (provision.state === 'deleted' || provision.state === 'cancelled') {
    return `its provision is ${provision.state}`;
  }
  if (provision.clusterId === cluster.clusterId) return undefined;
  // A create in flight: the worker has not saved the id it is about to learn.
  if (provision.clusterId === null && provision.createPendingAt !== null) return undefined;
  return provision.clusterId === null
    ? 'its provision has no cluster id'
    : `its provision owns another cluster (${provision.clusterId})`;
};

const listRegion = async (clusterApi: ClusterApi, regionId: string): Promise<AckCluster[]> => {
  const clusters: AckCluster[] = [];
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber += 1) {
    const page = await clusterApi.listClusters({
      regionId,
      clusterType: 'ManagedKubernetes',
      profile: 'Serverless',
      pageNumber,
      pageSize: PAGE_SIZE,
    });
    clusters.push(...page.clusters);
    if (page.clusters.length < PAGE_SIZE || pageNumber * PAGE_SIZE >= page.totalCount) break;
  }
  return clusters;
};

/**
 * Clusters in ACK that carry our provision tag but that no live provision of ours owns: listed
 * in the run's report for a person to look at, never touched (a cluster we do not own by the
 * store's account is not ours to delete, whatever its tags say).
 */
const findOrphans = async (
  deps: { store: ProvisionStore & JanitorStore; clusterApi: ClusterApi },
  input: { extraRegions: readonly string[] },
): Promise<JanitorOrphan[]> => {
  const regions = new Set([...(await deps.store.listProvisionRegions()), ...input.extraRegions]);
  const orphans: JanitorOrphan[] = [];
  const seen = new Set<string>();
  for (const regionId of [...regions].sort()) {
    for (const cluster of await listRegion(deps.clusterApi, regionId)) {
      const provisionId = cluster.tags[TAG_PROVISION_ID];
      if (provisionId === undefined || seen.has(cluster.clusterId) || GOING.has(cluster.state)) {
        continue;
      }
      seen.add(cluster.clusterId);
      const provision = PROVISION_ID.test(provisionId)
        ? await deps.store.getProvision({ id: provisionId })
        : null;
      const why = orphanWhy(cluster, provision);
      if (why === undefined) continue;
      orphans.push({
        clusterId: cluster.clusterId,
        regionId: cluster.regionId,
        name: cluster.name,
        provisionId,
        why,
      });
    }
  }
  return orphans;
};

export { findOrphans, orphanWhy };
