import type { ClusterSpec } from '../domain/cluster-spec.js';
import {
  HOURS_PER_MONTH,
  PRICE_TABLE_DATE,
  PRICE_TABLE_VERSION,
  type PriceLine,
  pricesFor,
  type RegionPrices,
} from './price-table.js';

interface CostItem {
  item: string;
  usdPerHour: number;
  usdPerMonth: number;
  verified: boolean;
  source: string;
}

interface CostEstimate {
  currency: 'USD';
  usdPerHour: number;
  usdPerMonth: number;
  /** False when any line is an unverified estimate. */
  verified: boolean;
  items: CostItem[];
  excludes: string[];
  priceTable: { version: string; date: string };
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

const UNPRICED = { usdPerHour: 0, verified: false, source: 'no price in the table' };

/**
 * A managed cluster's nodes: per pool, desiredSize instances of its first instance type (ACK may
 * pick a later one when the first is sold out; the first is the caller's preference) and their
 * system disks.
 */
const nodeLines = (
  prices: RegionPrices,
  pools: NonNullable<ClusterSpec['nodePools']>,
): [string, PriceLine][] =>
  pools.flatMap((pool): [string, PriceLine][] => {
    const type = pool.instanceTypes[0] ?? '';
    const instance = prices.ecsInstance[type] ?? UNPRICED;
    const disk = prices.systemDiskPerGiB[pool.systemDisk.category];
    const count = pool.desiredSize;
    return [
      [
        `node pool ${pool.name}: ${count} × ${type}`,
        { ...instance, usdPerHour: instance.usdPerHour * count },
      ],
      [
        `node pool ${pool.name}: ${count} × ${pool.systemDisk.size} GiB ${pool.systemDisk.category} system disk`,
        { ...disk, usdPerHour: disk.usdPerHour * pool.systemDisk.size * count },
      ],
    ];
  });

/** What the cluster bills by itself per hour and per month, line by line. */
const estimateCost = (
  spec: Pick<ClusterSpec, 'region' | 'clusterSpec' | 'endpointPublicAccess' | 'network'> &
    Partial<Pick<ClusterSpec, 'nodePools' | 'profile'>>,
): CostEstimate => {
  const prices = pricesFor(spec.region);
  const lines: [string, (typeof prices)['natGateway']][] = [
    [
      `cluster management (${spec.clusterSpec})`,
      (spec.profile === 'managed' ? prices.managedClusterManagement : prices.clusterManagement)[
        spec.clusterSpec
      ],
    ],
    ["API server's load balancer (CLB)", prices.apiServerLoadBalancer],
  ];
  if (spec.endpointPublicAccess) lines.push(["API server's EIP", prices.apiServerEip]);
  if (spec.network === 'auto') lines.push(['NAT gateway (automatic network)', prices.natGateway]);
  lines.push(...nodeLines(prices, spec.nodePools ?? []));
  const items = lines.map(([item, line]) => ({
    item,
    usdPerHour: round(line.usdPerHour),
    usdPerMonth: round(line.usdPerHour * HOURS_PER_MONTH),
    verified: line.verified,
    source: line.source,
  }));
  const usdPerHour = round(items.reduce((sum, item) => sum + item.usdPerHour, 0));
  return {
    currency: 'USD',
    usdPerHour,
    usdPerMonth: round(usdPerHour * HOURS_PER_MONTH),
    verified: items.every((item) => item.verified),
    items,
    excludes: [
      spec.profile === 'managed'
        ? 'pods on ECI (virtual nodes), if any'
        : 'pods (ECI) vCPU and memory',
      'CLB LCU, NAT CU and EIP traffic charges',
      'SLS logs',
      'regional discounts',
    ],
    priceTable: { version: PRICE_TABLE_VERSION, date: PRICE_TABLE_DATE },
  };
};

export type { CostEstimate, CostItem };
export { estimateCost };
