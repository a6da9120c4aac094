import type { CreateClusterInput } from '../ack/cluster-api.port.js';
import {
  MANAGED_BY_VALUE,
  TAG_MANAGED_BY,
  TAG_PROVISION_ID,
  TAG_TENANT_ID,
} from '../domain/cluster-name.js';
import type { Provision } from '../domain/provision.js';
import { defaultZoneOf } from '../domain/regions.js';

/**
 * What the worker asks ACK for. The tags are how a lost create is found again and how the janitor
 * knows a cluster is ours; the caller's labels ride along for cost allocation.
 */
const createClusterInputFor = (provision: Provision): CreateClusterInput => {
  const { spec } = provision;
  // No VPC given: ACK creates one in the zone named (it must be told one; specs accepted before
  // zones were stored get the region's default); a NAT gateway gives the pods a way out.
  const zoneId = spec.zoneId ?? defaultZoneOf(provision.region);
  const network =
    spec.network === 'auto'
      ? { snatEntry: true, ...(zoneId === undefined ? {} : { zoneId }) }
      : { vpcId: spec.network.vpcId, vswitchIds: spec.network.vswitchIds, snatEntry: false };
  return {
    name: provision.clusterName,
    regionId: provision.region,
    ...(spec.kubernetesVersion ? { kubernetesVersion: spec.kubernetesVersion } : {}),
    ...network,
    serviceCidr: spec.serviceCidr,
    endpointPublicAccess: spec.endpointPublicAccess,
    clusterSpec: spec.clusterSpec,
    addons: spec.addons.map((addon) => ({
      name: addon.name,
      ...(addon.version ? { version: addon.version } : {}),
      // ACK takes an addon's config as a JSON string.
      ...(addon.config ? { config: JSON.stringify(addon.config) } : {}),
      ...(addon.disabled !== undefined ? { disabled: addon.disabled } : {}),
    })),
    tags: {
      ...provision.labels,
      [TAG_PROVISION_ID]: provision.id,
      [TAG_TENANT_ID]: provision.tenantId,
      [TAG_MANAGED_BY]: MANAGED_BY_VALUE,
    },
    deletionProtection: spec.deletionProtection,
    ...(spec.profile === 'managed' ? { nodePools: nodePoolsFor(spec) } : {}),
  };
};

/**
 * A managed cluster's pools, each in the cluster's own vSwitches (ACK requires a pool's
 * vswitch_ids; a managed create always brings its network, cluster-spec.ts).
 */
const nodePoolsFor = (spec: Provision['spec']) => {
  const vswitchIds = spec.network === 'auto' ? [] : spec.network.vswitchIds;
  return (spec.nodePools ?? []).map((pool) => ({
    name: pool.name,
    instanceTypes: pool.instanceTypes,
    desiredSize: pool.desiredSize,
    systemDiskCategory: pool.systemDisk.category,
    systemDiskSize: pool.systemDisk.size,
    vswitchIds,
  }));
};

export { createClusterInputFor };
