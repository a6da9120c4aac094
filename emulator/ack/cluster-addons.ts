import { offeredAddonVersion } from './catalog.js';
import { ackErrors } from './errors.js';
import type { HandlerContext } from './handlers/handler.js';
import { clusterStateAt } from './lifecycle.js';
import type { StoredAddon, StoredCluster } from './types.js';
import { isRecord } from './validators.js';

/**
 * What the addon operations (InstallClusterAddons, UpgradeClusterAddons, ModifyClusterAddon,
 * UnInstallClusterAddons, ListClusterAddonInstances) share: the cluster they name, its installed
 * addons (CreateCluster's `addons`, less the disabled ones) and the checks that make the emulator
 * refuse what ACK would refuse, or might (each UNVERIFIED code is `InvalidParameter`):
 * an addon outside ListAddons' catalog for the cluster's region and current version, a version
 * other than the one the catalog offers, installing an installed addon, changing or uninstalling
 * one that is not installed, and a config that is not a JSON object in a string.
 */

/** An existing (not deleted) cluster, else ErrorClusterNotFound. */
const existingCluster = (context: HandlerContext, clusterId: string): StoredCluster => {
  const cluster = context.store.getCluster(clusterId);
  const state = cluster === undefined ? 'deleted' : clusterStateAt(cluster, context.now());
  if (cluster === undefined || state === 'deleted') throw ackErrors.clusterNotFound(clusterId);
  return cluster;
};

/** The addons installed in the cluster now, each with its version. */
const installedAddons = (cluster: StoredCluster): StoredAddon[] =>
  cluster.addons.filter((addon) => addon.disabled !== true);

const installedAddon = (cluster: StoredCluster, name: string): StoredAddon => {
  const addon = installedAddons(cluster).find((entry) => entry.name === name);
  if (addon === undefined) {
    throw ackErrors.invalidParameter(
      `Addon ${name} is not installed in cluster ${cluster.clusterId}.`,
    );
  }
  return addon;
};

/** The version the catalog offers the cluster for `name`; an addon outside it is refused. */
const catalogVersion = (cluster: StoredCluster, name: string): string => {
  const version = offeredAddonVersion(cluster.regionId, cluster.kubernetesVersion, name);
  if (version === undefined) {
    throw ackErrors.invalidParameter(
      `Addon ${name} is not offered for ${cluster.kubernetesVersion} in ${cluster.regionId}.`,
    );
  }
  return version;
};

/** A config string must hold a JSON object (ACK's addon configs are key/value maps). */
const checkConfig = (name: string, config: string | undefined): void => {
  if (config === undefined) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(config);
  } catch {
    throw ackErrors.invalidParameter(`Addon ${name} config must be a JSON string.`);
  }
  if (!isRecord(parsed) || Array.isArray(parsed)) {
    throw ackErrors.invalidParameter(`Addon ${name} config must be a JSON object.`);
  }
};

/** The body the SDK sends for the batch operations: a JSON array of objects, at least one. */
const entriesOf = (body: unknown): Record<string, unknown>[] => {
  if (!Array.isArray(body) || body.length === 0) {
    throw ackErrors.invalidParameter('The request body must be a non-empty JSON array.');
  }
  const seen = new Set<string>();
  return body.map((entry) => {
    if (!isRecord(entry)) throw ackErrors.invalidParameter('Each entry must be a JSON object.');
    const name = entry.name ?? entry.component_name;
    if (typeof name === 'string') {
      if (seen.has(name)) throw ackErrors.invalidParameter(`Addon ${name} is given twice.`);
      seen.add(name);
    }
    return entry;
  });
};

/**
 * An addon a cluster must keep: CoreDNS on a cluster with nodes (profile `Default`). UNVERIFIED:
 * ACK marks some addons `required` (DescribeClusterAddonsVersion) without documenting which; an
 * ACK Serverless cluster may be created without CoreDNS, so it is not required there.
 */
const isRequiredAddon = (cluster: StoredCluster, name: string): boolean =>
  name === 'coredns' && cluster.profile !== 'Serverless';

export {
  catalogVersion,
  checkConfig,
  entriesOf,
  existingCluster,
  installedAddon,
  installedAddons,
  isRequiredAddon,
};
