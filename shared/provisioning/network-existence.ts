import type { ClusterSpec } from '../domain/cluster-spec.js';
import type { VpcNetworkApi } from '../vpc/vpc-network.port.js';
import type { Finding } from './preflight.js';

/**
 * The preflight's look at a caller's own network through the VPC API (DescribeVpcs,
 * DescribeVSwitches): the VPC exists in the cluster's region, and every vSwitch exists there and
 * belongs to that VPC. ACK refuses a create that names anything else, but only after accepting
 * it; a VPC of another region is simply not found in this one (a VPC belongs to one region).
 * Each failure names the request field (`network.vpcId`, `network.vswitchIds.<i>`). An automatic
 * network has nothing to look at. This is its own step, apart from any per-tenant rule about
 * which networks a tenant may use.
 */
const CHECK = 'network-exists';
const VPC_CONSOLE = 'https://vpc.console.aliyun.com/vpc';

const checkNetworkExists = async (vpc: VpcNetworkApi, spec: ClusterSpec): Promise<Finding[]> => {
  if (spec.network === 'auto') return [];
  const { vpcId, vswitchIds } = spec.network;
  const region = spec.region;
  const [found, vswitches] = await Promise.all([
    vpc.findVpc({ regionId: region, vpcId }),
    Promise.all(vswitchIds.map((vswitchId) => vpc.findVswitch({ regionId: region, vswitchId }))),
  ]);
  const findings: Finding[] = [];
  if (found === null) {
    findings.push({
      check: CHECK,
      status: 'fail',
      field: 'network.vpcId',
      message: `VPC ${vpcId} does not exist in ${region}`,
      action: `name a VPC of ${region} (${VPC_CONSOLE}), or use network "auto"`,
    });
  }
  vswitches.forEach((vswitch, index) => {
    const id = vswitchIds[index] ?? '';
    const field = `network.vswitchIds.${index}`;
    if (vswitch === null) {
      findings.push({
        check: CHECK,
        status: 'fail',
        field,
        message: `vSwitch ${id} does not exist in ${region}`,
        action: `name a vSwitch of ${vpcId}`,
      });
    } else if (vswitch.vpcId !== vpcId) {
      findings.push({
        check: CHECK,
        status: 'fail',
        field,
        message: `vSwitch ${id} belongs to ${vswitch.vpcId}, not ${vpcId}`,
        action: `name a vSwitch of ${vpcId}`,
      });
    }
  });
  if (findings.length > 0) return findings;
  return [
    {
      check: CHECK,
      status: 'pass',
      message: `${vpcId} and its ${vswitchIds.length === 1 ? 'vSwitch' : `${vswitchIds.length} vSwitches`} exist in ${region}`,
    },
  ];
};

export { checkNetworkExists };
