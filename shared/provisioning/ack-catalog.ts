import type { AckAddon, ClusterApi } from '../ack/cluster-api.port.js';

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

const createAckCatalog = (
  api: () => Promise<ClusterApi>,
  options: { now?: () => number; cacheMs?: number } = {},
): AckCatalog => {
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? CACHE_MS;
  const entries = new Map<string, { until: number; value: Promise<unknown> }>();

  const cached = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const hit = entries.get(key);
    if (hit !== undefined && hit.until > now()) return hit.value as Promise<T>;
    const value = load();
    entries.set(key, { until: now() + cacheMs, value });
    // A failed read is forgotten at once, so it is retried by the next request.
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    return value;
  };

  return {
    creatableVersions: (regionId) =>
      cached(`versions\n${regionId}`, async () => {
        const versions = await (await api()).listKubernetesVersions({
          regionId,
          profile: 'Serverless',
          mode: 'creatable',
        });
        return versions
          .filter((entry) => entry.creatable)
          .map((entry) => entry.version)
          .sort(newestFirst);
      }),
    addons: (query) =>
      cached(
        `addons\n${query.regionId}\n${query.kubernetesVersion}\n${query.clusterSpec}`,
        async () => (await api()).listAddons(query),
      ),
  };
};

export type { AckCatalog };
export { createAckCatalog };
