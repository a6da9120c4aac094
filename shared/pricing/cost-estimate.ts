import type { ClusterSpec } from '../domain/cluster-spec.js';
import {
  HOURS_PER_MONTH,
  PRICE_TABLE_DATE,
  PRICE_TABLE_VERSION,
  pricesFor,
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

/** What the cluster bills by itself per hour and per month, line by line. */
const estimateCost = (
  spec: Pick<ClusterSpec, 'region' | 'clusterSpec' | 'endpointPublicAccess' | 'network'>,
): CostEstimate => {
  const prices = pricesFor(spec.region);
  const lines: [string, (typeof prices)['natGateway']][] = [
    [`cluster management (${spec.clusterSpec})`, prices.clusterManagement[spec.clusterSpec]],
    ["API server's load balancer (CLB)", prices.apiServerLoadBalancer],
  ];
  if (spec.endpointPublicAccess) lines.push(["API server's EIP", prices.apiServerEip]);
  if (spec.network === 'auto') lines.push(['NAT gateway (automatic network)', prices.natGateway]);
  const items = lines.map(([item, line]) => ({
    item,
    usdPerHour: line.usdPerHour,
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
      'pods (ECI) vCPU and memory',
      'CLB LCU, NAT CU and EIP traffic charges',
      'SLS logs',
      'regional discounts',
    ],
    priceTable: { version: PRICE_TABLE_VERSION, date: PRICE_TABLE_DATE },
  };
};

export type { CostEstimate, CostItem };
export { estimateCost };
