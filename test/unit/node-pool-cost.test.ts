import { describe, expect, it } from 'vitest';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { INSTANCE_TYPES } from '../../shared/domain/instance-types.js';
import { estimateCost } from '../../shared/pricing/cost-estimate.js';
import { pricesFor } from '../../shared/pricing/price-table.js';

const managed = createClusterRequestSchema.parse({
  name: 'demo',
  region: 'cn-hangzhou',
  profile: 'managed',
  network: { vpcId: 'vpc-abcd1234', vswitchIds: ['vsw-abcd1234'] },
  nodePools: [
    {
      name: 'web',
      instanceTypes: ['ecs.g7.large', 'ecs.c7.large'],
      desiredSize: 3,
      systemDisk: { category: 'cloud_essd', size: 100 },
    },
  ],
});

describe('cost estimate: a managed cluster prices its nodes', () => {
  it('adds desiredSize × the first instance type and their system disks, unverified', () => {
    const cost = estimateCost(managed);
    const prices = pricesFor('cn-hangzhou');
    const instance = prices.ecsInstance['ecs.g7.large']?.usdPerHour ?? Number.NaN;
    const perGiB = prices.systemDiskPerGiB.cloud_essd.usdPerHour;
    expect(cost.items).toContainEqual(
      expect.objectContaining({
        item: 'node pool web: 3 × ecs.g7.large',
        usdPerHour: Math.round(3 * instance * 10_000) / 10_000,
        verified: false,
      }),
    );
    expect(cost.items).toContainEqual(
      expect.objectContaining({
        item: 'node pool web: 3 × 100 GiB cloud_essd system disk',
        usdPerHour: Math.round(3 * 100 * perGiB * 10_000) / 10_000,
      }),
    );
    expect(cost.verified).toBe(false);
    const serverless = estimateCost({ ...managed, profile: 'serverless', nodePools: undefined });
    expect(cost.usdPerHour).toBeGreaterThan(serverless.usdPerHour);
  });

  it('has a price, with its source, for every instance type offered', () => {
    const prices = pricesFor('cn-hangzhou');
    for (const type of INSTANCE_TYPES) {
      expect(prices.ecsInstance[type.id]?.source, type.id).toMatch(/ECS/);
    }
  });

  it('prices a serverless cluster without node lines', () => {
    const cost = estimateCost(
      createClusterRequestSchema.parse({ name: 'a', region: 'cn-hangzhou' }),
    );
    expect(cost.items.some((item) => item.item.startsWith('node pool'))).toBe(false);
  });
});
