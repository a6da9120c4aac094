import * as z from 'zod';
import type { ClusterSpec } from '../domain/cluster-spec.js';
import { DomainError } from '../domain/errors.js';
import type { ProvisionState } from '../domain/provision-state.js';
import { estimateCost } from '../pricing/cost-estimate.js';

/**
 * A tenant's own limits (`PUT /v1/admin/tenants/{id}/quota`): how many clusters it may hold and
 * what they may bill per month together, so no tenant uses up the account's ASK quota (or budget)
 * that every tenant shares. `null` is no limit. A cluster counts from `accepted` until it is
 * `deleted`, `cancelled` or `failed`; its cost is the price table's monthly estimate at its
 * current shape (shared/pricing), the same number preflight shows.
 */

/** The states that no longer hold a cluster (or the promise of one). */
const RELEASED_STATES: readonly ProvisionState[] = ['deleted', 'cancelled', 'failed'];

/** The largest limits we accept: far above any account's ASK quota or a sane budget. */
const MAX_CLUSTERS_LIMIT = 10_000;
const MAX_MONTHLY_COST_LIMIT = 10_000_000;

const tenantQuotaRequestSchema = z
  .object({
    maxClusters: z
      .number()
      .int('maxClusters is a whole number')
      .min(0)
      .max(MAX_CLUSTERS_LIMIT)
      .nullable()
      .optional()
      .describe('required; clusters not deleted, cancelled or failed; null: no limit'),
    maxMonthlyCost: z
      .number()
      .min(0)
      .max(MAX_MONTHLY_COST_LIMIT)
      .nullable()
      .optional()
      .describe(
        'required; USD per month of those clusters together, from the price table; null: no limit',
      ),
  })
  .strict()
  .superRefine((body, context) => {
    for (const field of ['maxClusters', 'maxMonthlyCost'] as const) {
      if (body[field] !== undefined) continue;
      context.addIssue({
        code: 'custom',
        path: [field],
        message: `PUT replaces the whole quota: send ${field} too, a number or null for no limit`,
      });
    }
  });

interface TenantQuota {
  maxClusters: number | null;
  maxMonthlyCost: number | null;
}

const NO_QUOTA: TenantQuota = { maxClusters: null, maxMonthlyCost: null };

/** What a tenant holds now: its clusters not released, and what they bill per month. */
interface TenantUsage {
  clusters: number;
  usdPerMonth: number;
}

type PricedSpec = Pick<ClusterSpec, 'region' | 'clusterSpec' | 'endpointPublicAccess' | 'network'>;

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

const usageOf = (specs: readonly PricedSpec[]): TenantUsage => ({
  clusters: specs.length,
  usdPerMonth: round(specs.reduce((sum, spec) => sum + estimateCost(spec).usdPerMonth, 0)),
});

type QuotaLimit = 'maxClusters' | 'maxMonthlyCost';

/** Which limit one more cluster of `spec` would pass, if any. Pure. */
const exceededLimit = (
  quota: TenantQuota,
  usage: TenantUsage,
  spec: PricedSpec,
): { limit: QuotaLimit; used: number; max: number; adding: number } | null => {
  if (quota.maxClusters !== null && usage.clusters + 1 > quota.maxClusters) {
    return { limit: 'maxClusters', used: usage.clusters, max: quota.maxClusters, adding: 1 };
  }
  const adding = estimateCost(spec).usdPerMonth;
  if (quota.maxMonthlyCost !== null && round(usage.usdPerMonth + adding) > quota.maxMonthlyCost) {
    return {
      limit: 'maxMonthlyCost',
      used: usage.usdPerMonth,
      max: quota.maxMonthlyCost,
      adding,
    };
  }
  return null;
};

/** A create would take the tenant past one of its limits; nothing was written. */
class TenantQuotaExceededError extends DomainError {
  public readonly tenantId: string;
  public readonly limit: QuotaLimit;
  public readonly used: number;
  public readonly max: number;

  public constructor(input: {
    tenantId: string;
    limit: QuotaLimit;
    used: number;
    max: number;
    adding: number;
  }) {
    const what =
      input.limit === 'maxClusters'
        ? `this tenant holds ${input.used} of at most ${input.max} clusters`
        : `this tenant's clusters bill about ${input.used} USD a month; one more adds ${input.adding}, over the limit of ${input.max}`;
    super(
      'TENANT_QUOTA_EXCEEDED',
      `${what}: delete a cluster you no longer need, or ask the operator for a higher quota`,
    );
    this.name = 'TenantQuotaExceededError';
    this.tenantId = input.tenantId;
    this.limit = input.limit;
    this.used = input.used;
    this.max = input.max;
  }
}

/** Throws TENANT_QUOTA_EXCEEDED when one more cluster of `spec` passes a limit. Pure. */
const assertWithinQuota = (input: {
  tenantId: string;
  quota: TenantQuota;
  held: readonly PricedSpec[];
  spec: PricedSpec;
}): void => {
  const exceeded = exceededLimit(input.quota, usageOf(input.held), input.spec);
  if (exceeded) throw new TenantQuotaExceededError({ tenantId: input.tenantId, ...exceeded });
};

type TenantQuotaRequest = z.output<typeof tenantQuotaRequestSchema>;

export type { PricedSpec, QuotaLimit, TenantQuota, TenantQuotaRequest, TenantUsage };
export {
  assertWithinQuota,
  exceededLimit,
  NO_QUOTA,
  RELEASED_STATES,
  TenantQuotaExceededError,
  tenantQuotaRequestSchema,
  usageOf,
};
