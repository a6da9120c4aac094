/**
 * The regions this service offers (`GET /v1/options`) and, per region, the zones where ACK may
 * create a cluster's VPC when the request brings no network (`network: "auto"`). ACK needs one:
 * "if vpc_id and vswitch_ids are not specified, you must specify zone_id" (CreateClusterRequest
 * `zoneId` doc in @alicloud/cs20151215). The first zone is the default. A curated list: what this
 * service has been checked with, not all that ACK offers (cs20151215 has no call listing regions
 * or zones; the VPC API's DescribeZones does, and a deployment may extend this list).
 */
interface OfferedRegion {
  id: string;
  name: string;
  /** Zones for an automatically created VPC; the first is the default. */
  zones: readonly [string, ...string[]];
}

const OFFERED_REGIONS: readonly OfferedRegion[] = [
  { id: 'cn-hangzhou', name: 'China (Hangzhou)', zones: ['cn-hangzhou-i', 'cn-hangzhou-j'] },
  { id: 'cn-shanghai', name: 'China (Shanghai)', zones: ['cn-shanghai-l', 'cn-shanghai-m'] },
  { id: 'cn-beijing', name: 'China (Beijing)', zones: ['cn-beijing-h', 'cn-beijing-i'] },
  { id: 'ap-southeast-1', name: 'Singapore', zones: ['ap-southeast-1a', 'ap-southeast-1b'] },
  { id: 'us-west-1', name: 'US (Silicon Valley)', zones: ['us-west-1a', 'us-west-1b'] },
];

const offeredRegion = (regionId: string): OfferedRegion | undefined =>
  OFFERED_REGIONS.find((region) => region.id === regionId);

/** The zone an automatic network goes to when the request names none. */
const defaultZoneOf = (regionId: string): string | undefined => offeredRegion(regionId)?.zones[0];

export type { OfferedRegion };
export { defaultZoneOf, OFFERED_REGIONS, offeredRegion };
