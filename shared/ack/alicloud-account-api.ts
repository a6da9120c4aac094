import type { AckCaller } from './ack-caller.js';
import {
  toAckKubernetesVersion,
  toAckUserQuota,
  toServiceRoleStatus,
} from './ack-wire-metadata.js';
import type { ClusterApi } from './cluster-api.port.js';
import { cs } from './cs-sdk.js';

/**
 * Account-level reads a preflight needs: DescribeKubernetesVersionMetadata, ListAddons,
 * CheckServiceRole and DescribeUserQuota. All read-only, so all retried.
 */

type AccountOperations = Pick<
  ClusterApi,
  | 'listKubernetesVersions'
  | 'listUpgradableVersions'
  | 'listAddons'
  | 'checkServiceRoles'
  | 'describeUserQuota'
>;

const createAccountOperations = ({ call }: AckCaller): AccountOperations => ({
  listKubernetesVersions: async (query) => {
    // Query names are PascalCase for this call (Region, ClusterType, Profile, Mode).
    const request = new cs.DescribeKubernetesVersionMetadataRequest({
      region: query.regionId,
      clusterType: 'ManagedKubernetes',
      profile: query.profile ?? 'Serverless',
      ...(query.mode === undefined ? {} : { mode: query.mode }),
    });
    const response = await call(
      'DescribeKubernetesVersionMetadata',
      query.regionId,
      true,
      (client) => client.describeKubernetesVersionMetadata(request),
    );
    return (response.body ?? []).map(toAckKubernetesVersion);
  },

  // The cluster's own version with QueryUpgradableVersion: ACK answers that version's entry, whose
  // `upgradable_versions` lists the targets UpgradeCluster takes (the request's SDK doc).
  listUpgradableVersions: async (query) => {
    const request = new cs.DescribeKubernetesVersionMetadataRequest({
      region: query.regionId,
      clusterType: 'ManagedKubernetes',
      profile: 'Serverless',
      kubernetesVersion: query.kubernetesVersion,
      queryUpgradableVersion: true,
    });
    const response = await call(
      'DescribeKubernetesVersionMetadata',
      query.regionId,
      true,
      (client) => client.describeKubernetesVersionMetadata(request),
    );
    return (response.body ?? [])
      .filter((entry) => entry.version === query.kubernetesVersion)
      .flatMap((entry) => entry.upgradableVersions ?? []);
  },

  listAddons: async (query) => {
    const request = new cs.ListAddonsRequest({
      regionId: query.regionId,
      clusterType: 'ManagedKubernetes',
      profile: 'Serverless',
      clusterSpec: query.clusterSpec,
      clusterVersion: query.kubernetesVersion,
    });
    const response = await call('ListAddons', query.regionId, true, (client) =>
      client.listAddons(request),
    );
    return (response.body?.addons ?? []).flatMap((addon) =>
      addon.name === undefined || addon.name === ''
        ? []
        : [
            {
              name: addon.name,
              version: addon.version || null,
              category: addon.category || null,
              installByDefault: addon.installByDefault ?? false,
            },
          ],
    );
  },

  checkServiceRoles: async ({ roles, regionId }) => {
    const request = new cs.CheckServiceRoleRequest({
      roles: roles.map((name) => new cs.CheckServiceRoleRequestRoles({ name })),
    });
    const response = await call('CheckServiceRole', regionId, true, (client) =>
      client.checkServiceRole(request),
    );
    return (response.body?.roles ?? []).map(toServiceRoleStatus);
  },

  describeUserQuota: async (input) => {
    const response = await call('DescribeUserQuota', input?.regionId, true, (client) =>
      client.describeUserQuota(),
    );
    return toAckUserQuota(response.body);
  },
});

export { createAccountOperations };
