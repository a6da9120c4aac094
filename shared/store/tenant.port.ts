import type { AuditRecord } from '../domain/audit.js';

interface Tenant {
  id: string;
  name: string;
  /** `whsec_…`; signs this tenant's webhooks. Never logged. */
  webhookSecret: string;
  /** The secret the last rotation replaced; it keeps signing until `previousSecretExpiresAt`. */
  previousWebhookSecret: string | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
}

/** A tenant's defaults for provisions that name no policy of their own (duration texts). */
interface TenantDefaults {
  defaultTtl: string | null;
  defaultIdleAfter: string | null;
}

/** Tenants: their webhook signing secrets and their janitor defaults. */
interface TenantStore {
  /** The tenant and, when given, its audit record, in one transaction. */
  createTenant(input: {
    id: string;
    name: string;
    webhookSecret: string;
    at: Date;
    audit?: AuditRecord;
  }): Promise<Tenant>;
  getTenant(id: string): Promise<Tenant | null>;
  /** Tenants in id (creation) order, after `afterId`. */
  listTenants(input: { afterId?: string; limit: number }): Promise<Tenant[]>;
  /** Tenants with exactly this name, oldest first (names are not unique; at most 10). */
  findTenantsByName(name: string): Promise<Tenant[]>;
  /**
   * Makes `secret` the tenant's signing secret and keeps the one it replaces as the previous
   * secret until `previousExpiresAt` (a still-valid older previous secret is dropped). `null`
   * when there is no such tenant. The audit record, when given, commits with the rotation.
   */
  rotateWebhookSecret(input: {
    tenantId: string;
    secret: string;
    previousExpiresAt: Date;
    audit?: AuditRecord;
  }): Promise<Tenant | null>;
  /** The tenant's janitor defaults; both null for an unknown tenant. */
  getTenantDefaults(tenantId: string): Promise<TenantDefaults>;
  /** Replaces both defaults; false when there is no such tenant. */
  setTenantDefaults(input: { tenantId: string; defaults: TenantDefaults }): Promise<boolean>;
}

export type { Tenant, TenantDefaults, TenantStore };
