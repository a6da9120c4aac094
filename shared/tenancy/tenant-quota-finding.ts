import type { ClusterSpec } from '../domain/cluster-spec.js';
import type { Finding } from '../provisioning/preflight.js';
import type { TenantLimitsStore } from '../store/tenant-limits.port.js';
import { exceededLimit, type TenantQuota, type TenantUsage, usageOf } from './tenant-quota.js';

/** The tenant's own usage against its own quota, as a preflight finding. Pure. */
const tenantQuotaFinding = (quota: TenantQuota, usage: TenantUsage, spec: ClusterSpec): Finding => {
  const limits = [
    quota.maxClusters === null ? null : `${usage.clusters} of ${quota.maxClusters} clusters`,
    quota.maxMonthlyCost === null
      ? null
      : `${usage.usdPerMonth} of ${quota.maxMonthlyCost} USD a month`,
  ].filter((text): text is string => text !== null);
  if (limits.length === 0) {
    return {
      check: 'tenant-quota',
      status: 'pass',
      message: `no quota is set for this tenant; it holds ${usage.clusters} clusters`,
    };
  }
  const exceeded = exceededLimit(quota, usage, spec);
  if (exceeded) {
    return {
      check: 'tenant-quota',
      status: 'fail',
      message: `this cluster would pass the tenant's ${exceeded.limit}: ${limits.join(', ')} in use`,
      action: 'delete a cluster you no longer need, or ask the operator for a higher quota',
    };
  }
  return { check: 'tenant-quota', status: 'pass', message: `${limits.join(', ')} in use` };
};

const readTenantQuotaFinding = async (
  deps: { store: TenantLimitsStore },
  input: { tenantId: string; spec: ClusterSpec },
): Promise<Finding> => {
  const [quota, held] = await Promise.all([
    deps.store.getTenantQuota(input.tenantId),
    deps.store.heldClusterSpecs(input.tenantId),
  ]);
  return tenantQuotaFinding(quota, usageOf(held), input.spec);
};

export { readTenantQuotaFinding, tenantQuotaFinding };
