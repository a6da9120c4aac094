import type { ClusterApi } from './cluster-api.port.js';

/**
 * A ClusterApi whose adapter is built on its first call. The ACK SDK chunk is over 1 MB: a
 * worker invocation with no job, or a poller or janitor tick with nothing in flight, never
 * loads it, so those cold starts cost what the database costs. The build is the caller's `lazy`
 * (kept once it succeeds, retried when it failed).
 */
const lazyClusterApi = (load: () => Promise<ClusterApi>): ClusterApi => ({
  createCluster: async (input) => (await load()).createCluster(input),
  describeCluster: async (input) => (await load()).describeCluster(input),
  listClusters: async (query) => (await load()).listClusters(query),
  describeTask: async (input) => (await load()).describeTask(input),
  listClusterTasks: async (input) => (await load()).listClusterTasks(input),
  deleteCluster: async (input) => (await load()).deleteCluster(input),
  modifyCluster: async (input) => (await load()).modifyCluster(input),
  listClusterEvents: async (query) => (await load()).listClusterEvents(query),
  listEvents: async (query) => (await load()).listEvents(query),
  describeKubeconfig: async (input) => (await load()).describeKubeconfig(input),
  listKubernetesVersions: async (query) => (await load()).listKubernetesVersions(query),
  listAddons: async (query) => (await load()).listAddons(query),
  checkServiceRoles: async (input) => (await load()).checkServiceRoles(input),
  describeUserQuota: async (input) => (await load()).describeUserQuota(input),
  tagResources: async (input) => (await load()).tagResources(input),
  listNodePools: async (input) => (await load()).listNodePools(input),
  createNodePool: async (input) => (await load()).createNodePool(input),
  modifyNodePool: async (input) => (await load()).modifyNodePool(input),
  deleteNodePool: async (input) => (await load()).deleteNodePool(input),
  revokeKubeconfig: async (input) => (await load()).revokeKubeconfig(input),
  listUpgradableVersions: async (query) => (await load()).listUpgradableVersions(query),
  upgradeCluster: async (input) => (await load()).upgradeCluster(input),
  listInstalledAddons: async (input) => (await load()).listInstalledAddons(input),
  installAddons: async (input) => (await load()).installAddons(input),
  upgradeAddons: async (input) => (await load()).upgradeAddons(input),
  modifyAddonConfig: async (input) => (await load()).modifyAddonConfig(input),
  uninstallAddons: async (input) => (await load()).uninstallAddons(input),
});

export { lazyClusterApi };
