import { EMULATED_NETWORKS } from '../ack/catalog.js';
import type { AckHandler } from '../ack/handlers/handler.js';
import { pageOf, pageSlice, requireRegionId } from './rpc-query.js';

/**
 * DescribeVSwitches (VPC API 2016-04-28) over the vSwitches of the ACK emulator's VPCs
 * (catalog.ts). Filters: `VpcId`, `VSwitchId`, `ZoneId`, all within `RegionId`; what matches
 * nothing is an empty page. Field names are the SDK's (DescribeVSwitchesResponseBody in
 * @alicloud/vpc20160428 7.3.2).
 */
const describeVswitches: AckHandler = (request) => {
  const regionId = requireRegionId(request.query);
  const page = pageOf(request.query);
  const { VpcId: vpcId, VSwitchId: vswitchId, ZoneId: zoneId } = request.query;
  const matching = EMULATED_NETWORKS.filter(
    (network) => network.regionId === regionId && (vpcId === undefined || network.vpcId === vpcId),
  ).flatMap((network) =>
    network.vswitches
      .filter(
        (vswitch) =>
          (vswitchId === undefined || vswitch.vswitchId === vswitchId) &&
          (zoneId === undefined || vswitch.zoneId === zoneId),
      )
      .map((vswitch) => ({ network, vswitch })),
  );
  return {
    status: 200,
    body: {
      RequestId: request.requestId,
      TotalCount: matching.length,
      PageNumber: page.pageNumber,
      PageSize: page.pageSize,
      VSwitches: {
        VSwitch: pageSlice(matching, page).map(({ network, vswitch }) => ({
          VSwitchId: vswitch.vswitchId,
          VpcId: network.vpcId,
          ZoneId: vswitch.zoneId,
          CidrBlock: vswitch.cidr,
          Status: 'Available',
          VSwitchName: vswitch.vswitchId,
          IsDefault: false,
          AvailableIpAddressCount: 250,
          CreationTime: '2026-01-01T00:00:00Z',
        })),
      },
    },
  };
};

export { describeVswitches };
