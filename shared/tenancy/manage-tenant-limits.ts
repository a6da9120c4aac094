import * as z from 'zod';
import type { Clock } from '../clock.js';
import { DomainError } from '../domain/errors.js';
import type { TenantStore } from '../store/tenant.port.js';
import type { TenantLimitsStore } from '../store/tenant-limits.port.js';
import type { TenantCreateSettingsCache } from './tenant-create-settings.js';
import type { TenantNetwork, TenantNetworksRequest } from './tenant-networks.js';
import { tenantNetworkSchema } from './tenant-networks.js';
import {
  type TenantQuota,
  type TenantQuotaRequest,
  type TenantUsage,
  usageOf,
} from './tenant-quota.js';

/**
 * The admin's use cases for a tenant's limits (scope admin): read and replace its registered
 * networks and its quota. An unknown tenant is NOT_FOUND; a PUT replaces the whole value.
 */

interface LimitsDeps {
  store: TenantStore & TenantLimitsStore;
}

const notFound = (tenantId: string): DomainError =>
  new DomainError('NOT_FOUND', `tenant ${tenantId} not found`);

const requireTenant = async (deps: LimitsDeps, tenantId: string): Promise<void> => {
  if ((await deps.store.getTenant(tenantId)) === null) throw notFound(tenantId);
};

const tenantNetworksViewSchema = z.object({
  tenantId: z.string(),
  networks: z.array(tenantNetworkSchema),
});

const getTenantNetworks = async (
  deps: LimitsDeps,
  tenantId: string,
): Promise<{ tenantId: string; networks: TenantNetwork[] }> => {
  await requireTenant(deps, tenantId);
  return { tenantId, networks: await deps.store.getTenantNetworks(tenantId) };
};

const setTenantNetworks = async (
  deps: LimitsDeps,
  input: { tenantId: string; request: TenantNetworksRequest },
): Promise<{ tenantId: string; networks: TenantNetwork[] }> => {
  const networks = input.request.networks;
  if (!(await deps.store.setTenantNetworks({ tenantId: input.tenantId, networks }))) {
    throw notFound(input.tenantId);
  }
  return { tenantId: input.tenantId, networks: await deps.store.getTenantNetworks(input.tenantId) };
};

const tenantQuotaViewSchema = z.object({
  tenantId: z.string(),
  maxClusters: z.number().int().nullable().describe('null: no limit'),
  maxMonthlyCost: z.number().nullable().describe('USD per month; null: no limit'),
  usage: z
    .object({
      clusters: z.number().int().describe('clusters not deleted, cancelled or failed'),
      usdPerMonth: z.number().describe('their monthly cost from the price table'),
    })
    .describe("the tenant's own usage now"),
});

type TenantQuotaView = TenantQuota & { tenantId: string; usage: TenantUsage };

const quotaView = async (deps: LimitsDeps, tenantId: string): Promise<TenantQuotaView> => {
  const [quota, held] = await Promise.all([
    deps.store.getTenantQuota(tenantId),
    deps.store.heldClusterSpecs(tenantId),
  ]);
  return { tenantId, ...quota, usage: usageOf(held) };
};

const getTenantQuota = async (deps: LimitsDeps, tenantId: string): Promise<TenantQuotaView> => {
  await requireTenant(deps, tenantId);
  return quotaView(deps, tenantId);
};

/** Lowering a quota below the usage refuses new creates only; nothing held is touched. */
const setTenantQuota = async (
  deps: LimitsDeps & {
    clock: Clock;
    /** This instance's creates apply the new quota at once. */
    tenantCreateSettings?: Pick<TenantCreateSettingsCache, 'forget'>;
  },
  input: { tenantId: string; request: TenantQuotaRequest },
): Promise<TenantQuotaView> => {
  const quota: TenantQuota = {
    maxClusters: input.request.maxClusters ?? null,
    maxMonthlyCost: input.request.maxMonthlyCost ?? null,
  };
  const at = deps.clock.now();
  if (!(await deps.store.setTenantQuota({ tenantId: input.tenantId, quota, at }))) {
    throw notFound(input.tenantId);
  }
  deps.tenantCreateSettings?.forget(input.tenantId);
  return quotaView(deps, input.tenantId);
};

export type { TenantQuotaView };
export {
  getTenantNetworks,
  getTenantQuota,
  setTenantNetworks,
  setTenantQuota,
  tenantNetworksViewSchema,
  tenantQuotaViewSchema,
};
