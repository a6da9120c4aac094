import { EMULATED_NETWORKS } from '../ack/catalog.js';
import { ackErrors } from '../ack/errors.js';
import type { AckHandler } from '../ack/handlers/handler.js';
import { pageOf, pageSlice, requireRegionId } from './rpc-query.js';

/**
 * DescribeVpcs (VPC API 2016-04-28) over the VPCs the ACK emulator's account holds (catalog.ts,
 * the same ones CreateCluster accepts). `VpcId` takes up to 20 comma-separated ids; a VPC of
 * another region is not listed (a VPC belongs to one region), and an unknown id matches nothing:
 * an empty page, not an error. Field names are the SDK's (DescribeVpcsResponseBody in
 * @alicloud/vpc20160428 7.3.2, `static names()`).
 */
const MAX_VPC_IDS = 20;

const describeVpcs: AckHandler = (request) => {
  const regionId = requireRegionId(request.query);
  const page = pageOf(request.query);
  const ids = (request.query.VpcId ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (ids.length > MAX_VPC_IDS) {
    throw ackErrors.invalidParameter(`VpcId takes at most ${MAX_VPC_IDS} ids.`);
  }
  const matching = EMULATED_NETWORKS.filter(
    (network) => network.regionId === regionId && (ids.length === 0 || ids.includes(network.vpcId)),
  );
  return {
    status: 200,
    body: {
      RequestId: request.requestId,
      TotalCount: matching.length,
      PageNumber: page.pageNumber,
      PageSize: page.pageSize,
      Vpcs: {
        Vpc: pageSlice(matching, page).map((network) => ({
          VpcId: network.vpcId,
          RegionId: network.regionId,
          Status: 'Available',
          VpcName: network.vpcId,
          CidrBlock: network.cidr,
          IsDefault: false,
          CreationTime: '2026-01-01T00:00:00Z',
          VSwitchIds: { VSwitchId: network.vswitches.map((vswitch) => vswitch.vswitchId) },
        })),
      },
    },
  };
};

export { describeVpcs };
