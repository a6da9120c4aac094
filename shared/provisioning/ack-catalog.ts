import type { AckAddon, ClusterApi } from '../ack/cluster-api.port.js';
import { createTtlCache } from '../ttl-cache.js';

/**
 * What ACK offers a new ACK Serverless cluster, read through the ClusterApi and kept for a few
 * minutes per function instance: the creatable Kubernetes versions of a region
 * (DescribeKubernetesVersionMetadata) and the addon catalog of a region, version and spec
 * (ListAddons). The API checks every create against it, so a request ACK is certain to refuse is
 * refused at the door; the cache keeps that to one ACK read per region (and version) every few
 * minutes. Failures are not cached: the next request asks again.
 */
interface AckCatalog {
  /** Creatable versions, newest first. */
  creatableVersions(regionId: string): Promise<string[]>;
  addons(query: {
    regionId: string;
    kubernetesVersion: string;
    clusterSpec: 'ack.standard' | 'ack.pro.small';
  }): Promise<AckAddon[]>;
}

const CACHE_MS = 5 * 60_000;

const newestFirst = (a: string, b: string): number =>
  b.localeCompare(a, undefined, { numeric: true });

/** The region's creatable ASK versions, newest first (DescribeKubernetesVersionMetadata). */
const readCreatableVersions = async (api: ClusterApi, regionId: string): Promise<string[]> => {
  const listed = await api.listKubernetesVersions({
    regionId,
    profile: 'Serverless',
    mode: 'creatable',
  });
  return listed
    .filter((entry) => entry.creatable)
    .map((entry) => entry.version)
    .sort(newestFirst);
};

const createAckCatalog = (
  api: () => Promise<ClusterApi>,
  options: { now?: () => number; cacheMs?: number } = {},
): AckCatalog => {
  const kept = { ttlMs: options.cacheMs ?? CACHE_MS, ...(options.now ? { now: options.now } : {}) };
  const versions = createTtlCache<string[]>(kept);
  const addons = createTtlCache<AckAddon[]>(kept);

  return {
    creatableVersions: (regionId) =>
      versions.get(regionId, async () => readCreatableVersions(await api(), regionId)),
    addons: (query) =>
      addons.get(`${query.regionId}\n${query.kubernetesVersion}\n${query.clusterSpec}`, async () =>
        (await api()).listAddons(query),
      ),
  };
};

export type { AckCatalog };
export { createAckCatalog, readCreatableVersions };
