import type { ClusterSpec } from '../domain/cluster-spec.js';
import { estimateCost } from '../pricing/cost-estimate.js';
import type { TenantLimitsStore } from '../store/tenant-limits.port.js';
import { TenantQuotaExceededError, usageOf } from './tenant-quota.js';

/**
 * A node pool change that makes a cluster bill more (a new pool, more nodes, dearer instance
 * types) is held to the tenant's `maxMonthlyCost` like a create: what the tenant's clusters bill
 * now (the price table's estimate of each spec, this cluster's current pools included) plus what
 * the change adds must stay within it, or the request is a 403 TENANT_QUOTA_EXCEEDED and nothing
 * is written. A change that bills the same or less always passes. A door check: two requests at
 * once may both pass, as two creates' door checks may (the create's own check is transactional).
 */
const assertPoolChangeWithinQuota = async (
  deps: { store: TenantLimitsStore },
  input: { tenantId: string; before: ClusterSpec; after: ClusterSpec },
): Promise<void> => {
  const quota = await deps.store.getTenantQuota(input.tenantId);
  if (quota.maxMonthlyCost === null) return;
  const adding =
    Math.round(
      (estimateCost(input.after).usdPerMonth - estimateCost(input.before).usdPerMonth) * 10_000,
    ) / 10_000;
  if (adding <= 0) return;
  const used = usageOf(await deps.store.heldClusterSpecs(input.tenantId)).usdPerMonth;
  if (used + adding <= quota.maxMonthlyCost) return;
  throw new TenantQuotaExceededError({
    tenantId: input.tenantId,
    limit: 'maxMonthlyCost',
    used,
    max: quota.maxMonthlyCost,
    adding,
  });
};

export { assertPoolChangeWithinQuota };
