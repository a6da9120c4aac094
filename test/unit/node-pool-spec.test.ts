import { describe, expect, it } from 'vitest';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';

const NETWORK = { vpcId: 'vpc-abcd1234', vswitchIds: ['vsw-abcd1234'] };
const POOL = { name: 'default', instanceTypes: ['ecs.g7.large'], desiredSize: 2 };
const managed = (overrides: Record<string, unknown> = {}) => ({
  name: 'demo',
  region: 'cn-hangzhou',
  profile: 'managed',
  network: NETWORK,
  nodePools: [POOL],
  ...overrides,
});

/** The fields a refusal names. */
const refusedFields = (body: unknown): string[] => {
  const result = createClusterRequestSchema.safeParse(body);
  expect(result.success).toBe(false);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
};

describe('create request: profile and node pools', () => {
  it('defaults to a serverless cluster with no node pools', () => {
    const spec = createClusterRequestSchema.parse({ name: 'demo', region: 'cn-hangzhou' });
    expect(spec.profile).toBe('serverless');
    expect(spec.nodePools).toBeUndefined();
  });

  it('accepts a managed cluster and gives a pool the default system disk (cloud_essd, 120 GiB)', () => {
    const spec = createClusterRequestSchema.parse(managed());
    expect(spec.nodePools).toEqual([
      { ...POOL, systemDisk: { category: 'cloud_essd', size: 120 } },
    ]);
  });

  it('refuses a managed cluster without pools, or with an empty list', () => {
    expect(refusedFields(managed({ nodePools: undefined }))).toContain('nodePools');
    expect(refusedFields(managed({ nodePools: [] }))).toContain('nodePools');
  });

  it('refuses node pools on a serverless cluster', () => {
    expect(refusedFields(managed({ profile: 'serverless' }))).toContain('nodePools');
  });

  it('refuses a managed cluster on network "auto": its pools need vSwitches ACK requires', () => {
    expect(refusedFields(managed({ network: 'auto' }))).toContain('network');
  });

  it('refuses two pools with one name', () => {
    expect(refusedFields(managed({ nodePools: [POOL, POOL] }))).toContain('nodePools');
  });

  it('bounds desiredSize to 0–100 whole nodes', () => {
    expect(
      createClusterRequestSchema.safeParse(managed({ nodePools: [{ ...POOL, desiredSize: 0 }] }))
        .success,
    ).toBe(true);
    expect(refusedFields(managed({ nodePools: [{ ...POOL, desiredSize: 101 }] }))).toContain(
      'nodePools.0.desiredSize',
    );
    expect(refusedFields(managed({ nodePools: [{ ...POOL, desiredSize: 1.5 }] }))).toContain(
      'nodePools.0.desiredSize',
    );
  });

  it('takes only cloud_essd, cloud_ssd and cloud_efficiency disks of 40–500 GiB', () => {
    const withDisk = (systemDisk: unknown) => managed({ nodePools: [{ ...POOL, systemDisk }] });
    expect(
      createClusterRequestSchema.safeParse(withDisk({ category: 'cloud_ssd', size: 40 })).success,
    ).toBe(true);
    expect(
      createClusterRequestSchema.safeParse(withDisk({ category: 'cloud_efficiency', size: 500 }))
        .success,
    ).toBe(true);
    expect(refusedFields(withDisk({ category: 'cloud_auto', size: 120 }))).toContain(
      'nodePools.0.systemDisk.category',
    );
    expect(refusedFields(withDisk({ category: 'cloud_essd', size: 39 }))).toContain(
      'nodePools.0.systemDisk.size',
    );
    expect(refusedFields(withDisk({ category: 'cloud_essd', size: 501 }))).toContain(
      'nodePools.0.systemDisk.size',
    );
  });

  it('takes 1–10 distinct instance types the region offers', () => {
    const withTypes = (instanceTypes: string[]) =>
      managed({ nodePools: [{ ...POOL, instanceTypes }] });
    expect(refusedFields(withTypes([]))).toContain('nodePools.0.instanceTypes');
    expect(refusedFields(withTypes(['ecs.g7.large', 'ecs.g7.large']))).toContain(
      'nodePools.0.instanceTypes',
    );
    expect(refusedFields(withTypes(['ecs.x99.huge']))).toContain('nodePools');
    expect(refusedFields(withTypes(['m5.large']))).toContain('nodePools.0.instanceTypes.0');
  });

  it('refuses pool names that are not lower-case letters, digits and "-"', () => {
    expect(refusedFields(managed({ nodePools: [{ ...POOL, name: 'Pool_1' }] }))).toContain(
      'nodePools.0.name',
    );
    expect(refusedFields(managed({ nodePools: [{ ...POOL, name: '-pool' }] }))).toContain(
      'nodePools.0.name',
    );
  });
});
