import { OFFERED_REGIONS } from './regions.js';

/**
 * The ECS instance types this service offers for a managed cluster's node pools, per region and
 * zone (`GET /v1/options`). A curated list, like the regions: general-purpose (g7), compute (c7)
 * and memory (r7) families of the 7th generation, with their vCPU and memory as the ECS instance
 * family documentation lists them ("Instance families", help.aliyun.com/document_detail/25378.html).
 * UNVERIFIED: that each type is sold in every zone listed; the ECS API's DescribeAvailableResource
 * answers that for an account, and a deployment may trim or extend this list.
 */
interface InstanceType {
  id: string;
  vcpu: number;
  memoryGiB: number;
}

const INSTANCE_TYPES: readonly InstanceType[] = [
  { id: 'ecs.g7.large', vcpu: 2, memoryGiB: 8 },
  { id: 'ecs.g7.xlarge', vcpu: 4, memoryGiB: 16 },
  { id: 'ecs.c7.large', vcpu: 2, memoryGiB: 4 },
  { id: 'ecs.c7.xlarge', vcpu: 4, memoryGiB: 8 },
  { id: 'ecs.r7.large', vcpu: 2, memoryGiB: 16 },
];

/** The instance types offered in one zone of a region (every curated type, UNVERIFIED). */
const instanceTypesIn = (regionId: string, zoneId: string): readonly InstanceType[] => {
  const region = OFFERED_REGIONS.find((candidate) => candidate.id === regionId);
  return region?.zones.includes(zoneId) ? INSTANCE_TYPES : [];
};

/** Whether some zone of the region offers the type. */
const instanceTypeOffered = (regionId: string, typeId: string): boolean =>
  OFFERED_REGIONS.find((region) => region.id === regionId)?.zones.some((zone) =>
    instanceTypesIn(regionId, zone).some((type) => type.id === typeId),
  ) ?? false;

export type { InstanceType };
export { INSTANCE_TYPES, instanceTypeOffered, instanceTypesIn };
