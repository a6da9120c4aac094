/**
 * What the service asks the VPC API (2016-04-28) about a caller's network before ACK is asked to
 * use it: does the VPC exist in the region, and which VPC does a vSwitch belong to. Read-only.
 */
interface VpcInfo {
  vpcId: string;
  regionId: string;
  /** `Available` or `Pending` (DescribeVpcs `Status`). */
  status: string;
}

interface VswitchInfo {
  vswitchId: string;
  vpcId: string;
  zoneId: string;
  status: string;
}

interface VpcNetworkApi {
  /** The VPC with this id in this region; null when the region has none (also another region's). */
  findVpc(query: { regionId: string; vpcId: string }): Promise<VpcInfo | null>;
  /** The vSwitch with this id in this region, whichever VPC holds it; null when there is none. */
  findVswitch(query: { regionId: string; vswitchId: string }): Promise<VswitchInfo | null>;
}

export type { VpcInfo, VpcNetworkApi, VswitchInfo };
