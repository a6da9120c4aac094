import { describe, expect, it } from 'vitest';
import {
  type ChangeRequest,
  changeRequestSchema,
  describeChange,
  sameChange,
} from '../../shared/domain/cluster-change.js';

/**
 * The node pool change kinds as the change framework stores and shows them: params parse back
 * from the stored column (a pool's defaults applied), each kind says in words what it does, and
 * the same request again is the same change (what makes a repeated request idempotent).
 */
const create: ChangeRequest = changeRequestSchema.parse({
  kind: 'node-pool-create',
  params: { name: 'batch', instanceTypes: ['ecs.c7.xlarge'], desiredSize: 2 },
});

describe('node pool change kinds', () => {
  it('stores a new pool with its system disk defaults, and describes it', () => {
    expect(create).toEqual({
      kind: 'node-pool-create',
      params: {
        name: 'batch',
        instanceTypes: ['ecs.c7.xlarge'],
        desiredSize: 2,
        systemDisk: { category: 'cloud_essd', size: 120 },
      },
    });
    expect(describeChange(create)).toBe('create node pool batch with 2 nodes');
  });

  it('describes a scale, a change of instance types, and a deletion', () => {
    const both = changeRequestSchema.parse({
      kind: 'node-pool-update',
      params: {
        nodePoolId: 'np-1',
        name: 'batch',
        desiredSize: 0,
        instanceTypes: ['ecs.g7.large'],
      },
    });
    expect(describeChange(both)).toBe(
      'change node pool batch: 0 nodes, instance types ecs.g7.large',
    );
    const deletion = changeRequestSchema.parse({
      kind: 'node-pool-delete',
      params: { nodePoolId: 'np-1', name: 'batch' },
    });
    expect(describeChange(deletion)).toBe('delete node pool batch and its nodes');
  });

  it('is the same change only for the same pool asked for the same way', () => {
    const again = changeRequestSchema.parse(JSON.parse(JSON.stringify(create)));
    expect(sameChange(create, again)).toBe(true);
    const bigger = changeRequestSchema.parse({
      kind: 'node-pool-create',
      params: { name: 'batch', instanceTypes: ['ecs.c7.xlarge'], desiredSize: 3 },
    });
    expect(sameChange(create, bigger)).toBe(false);
  });

  it('refuses stored params that are no pool (an unknown field, a bad size)', () => {
    expect(() =>
      changeRequestSchema.parse({
        kind: 'node-pool-delete',
        params: { nodePoolId: 'np-1', name: 'batch', force: true },
      }),
    ).toThrow();
    expect(() =>
      changeRequestSchema.parse({
        kind: 'node-pool-create',
        params: { name: 'batch', instanceTypes: ['ecs.c7.xlarge'], desiredSize: 101 },
      }),
    ).toThrow();
  });
});
