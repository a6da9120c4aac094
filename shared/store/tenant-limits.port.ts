import type { ClusterSpec } from '../domain/cluster-spec.js';
import type { TenantNetwork } from '../tenancy/tenant-networks.js';
import type { TenantQuota } from '../tenancy/tenant-quota.js';

/** What an admin set for a tenant: the networks it may name and its quota (migration 0007). */
interface TenantLimitsStore {
  /** The tenant's registered networks, by region then VPC; [] when none (or no such tenant). */
  getTenantNetworks(tenantId: string): Promise<TenantNetwork[]>;
  /** Replaces the whole list in one transaction; false when there is no such tenant. */
  setTenantNetworks(input: {
    tenantId: string;
    networks: readonly TenantNetwork[];
  }): Promise<boolean>;
  /** The tenant's quota; both limits null when none was set. */
  getTenantQuota(tenantId: string): Promise<TenantQuota>;
  /** Replaces both limits; false when there is no such tenant. */
  setTenantQuota(input: { tenantId: string; quota: TenantQuota; at: Date }): Promise<boolean>;
  /** The specs of the tenant's provisions not deleted, cancelled or failed (its quota usage). */
  heldClusterSpecs(tenantId: string): Promise<ClusterSpec[]>;
}

export type { TenantLimitsStore };
