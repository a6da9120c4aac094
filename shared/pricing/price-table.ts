/**
 * The prices an ACK Serverless cluster bills by itself, before any workload runs: versioned, with
 * where each number came from. Pay-as-you-go list prices in USD per hour; regional discounts,
 * traffic (CLB LCUs, NAT CUs, EIP data) and the pods' own ECI charges are not included.
 *
 * Sources, read 2026-11-25:
 * - ACK Serverless billing ("Billing of ACK Serverless clusters", updated 2026-03-26): Basic
 *   (`ack.standard`) has no cluster management fee; Pro (`ack.pro.small`) management is "in public
 *   preview and free of charge".
 * - Internet NAT gateway billing: instance fee USD 0.034/h in mainland China regions, 0.043/h in
 *   Hong Kong, Singapore, Tokyo, Silicon Valley, Virginia, Frankfurt and other international ones.
 * - CLB (pay-by-LCU) instance fee and EIP instance fee: NOT verified against an Alibaba Cloud page
 *   here; the numbers are placeholders marked `verified: false` so callers can tell.
 * - ECS pay-as-you-go instance prices and cloud disk prices (managed clusters' nodes, added
 *   2026-12-02): NOT verified against the ECS pricing calculator (ecs-buy.aliyun.com/price) here;
 *   placeholders of the right order for a mainland region, `verified: false`. The same numbers
 *   serve every region, which real prices do not.
 * Update `version` and `date` whenever a number changes.
 */
interface PriceLine {
  usdPerHour: number;
  verified: boolean;
  source: string;
}

interface RegionPrices {
  clusterManagement: Record<'ack.standard' | 'ack.pro.small', PriceLine>;
  /** The same, for an ACK managed cluster with node pools (profile `managed`). */
  managedClusterManagement: Record<'ack.standard' | 'ack.pro.small', PriceLine>;
  apiServerLoadBalancer: PriceLine;
  apiServerEip: PriceLine;
  natGateway: PriceLine;
  /** A managed cluster's node: pay-as-you-go ECS instance per hour, by instance type. */
  ecsInstance: Readonly<Record<string, PriceLine>>;
  /** A node's system disk: per GiB per hour, by disk category. */
  systemDiskPerGiB: Readonly<Record<'cloud_essd' | 'cloud_ssd' | 'cloud_efficiency', PriceLine>>;
}

const PRICE_TABLE_VERSION = '2026-12-02.1';
const PRICE_TABLE_DATE = '2026-12-02';

const ECS_ESTIMATE = 'estimate (ECS pay-as-you-go instance price, not verified)';
const DISK_ESTIMATE = 'estimate (cloud disk price per GiB, not verified)';
const unverified = (usdPerHour: number, source: string): PriceLine => ({
  usdPerHour,
  verified: false,
  source,
});

/** Keyed by the instance types of shared/domain/instance-types.ts. */
const ECS_INSTANCE_PRICES: Readonly<Record<string, PriceLine>> = {
  'ecs.g7.large': unverified(0.115, ECS_ESTIMATE),
  'ecs.g7.xlarge': unverified(0.23, ECS_ESTIMATE),
  'ecs.c7.large': unverified(0.09, ECS_ESTIMATE),
  'ecs.c7.xlarge': unverified(0.18, ECS_ESTIMATE),
  'ecs.r7.large': unverified(0.145, ECS_ESTIMATE),
};

const SYSTEM_DISK_PRICES = {
  cloud_essd: unverified(0.0002, DISK_ESTIMATE),
  cloud_ssd: unverified(0.0002, DISK_ESTIMATE),
  cloud_efficiency: unverified(0.00007, DISK_ESTIMATE),
} as const;

const MAINLAND = [
  'cn-hangzhou',
  'cn-shanghai',
  'cn-qingdao',
  'cn-beijing',
  'cn-zhangjiakou',
  'cn-huhehaote',
  'cn-wulanchabu',
  'cn-shenzhen',
  'cn-heyuan',
  'cn-guangzhou',
  'cn-chengdu',
];

const ASK_BILLING = 'ACK Serverless billing page (2026-03-26)';
const NAT_BILLING = 'Internet NAT gateway billing page';

const pricesFor = (region: string): RegionPrices => {
  const mainland = MAINLAND.includes(region);
  return {
    clusterManagement: {
      'ack.standard': { usdPerHour: 0, verified: true, source: ASK_BILLING },
      'ack.pro.small': {
        usdPerHour: 0,
        verified: true,
        source: `${ASK_BILLING}: free during public preview`,
      },
    },
    managedClusterManagement: {
      'ack.standard': unverified(0, 'estimate (ACK Basic managed cluster fee, not verified)'),
      'ack.pro.small': unverified(0.09, 'estimate (ACK Pro managed cluster fee, not verified)'),
    },
    apiServerLoadBalancer: {
      usdPerHour: 0.007,
      verified: false,
      source: 'estimate (CLB pay-by-LCU instance fee, not verified)',
    },
    apiServerEip: {
      usdPerHour: 0.003,
      verified: false,
      source: 'estimate (EIP instance fee, not verified)',
    },
    natGateway: { usdPerHour: mainland ? 0.034 : 0.043, verified: true, source: NAT_BILLING },
    ecsInstance: ECS_INSTANCE_PRICES,
    systemDiskPerGiB: SYSTEM_DISK_PRICES,
  };
};

/** Hours in the month used for monthly figures (30 days). */
const HOURS_PER_MONTH = 720;

export type { PriceLine, RegionPrices };
export { HOURS_PER_MONTH, PRICE_TABLE_DATE, PRICE_TABLE_VERSION, pricesFor };
