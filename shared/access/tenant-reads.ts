import * as z from 'zod';
import { DomainError } from '../domain/errors.js';
import type { Tenant, TenantDefaults, TenantStore } from '../store/tenant.port.js';
import { TENANT_ID_PATTERN } from './access-requests.js';

/**
 * The admin's reads of tenants: a page of them, one with its janitor defaults, the defaults
 * alone. Never a webhook secret (those are shown once, at creation and rotation).
 */
const defaultsShape = {
  defaultTtl: z.string().nullable().describe('applied when a create names no expiry; null: none'),
  defaultIdleAfter: z
    .string()
    .nullable()
    .describe('applied when a create names no idleAfter; null: none'),
};

const tenantDefaultsViewSchema = z.object({ tenantId: z.string(), ...defaultsShape }).strict();

const tenantViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    previousSecretExpiresAt: z
      .string()
      .nullable()
      .describe('while a rotated-out webhook secret still signs too; null otherwise'),
    defaults: z.object(defaultsShape).strict(),
  })
  .strict();

const tenantListSchema = z
  .object({
    items: z.array(tenantViewSchema.omit({ defaults: true })),
    nextCursor: z.string().nullable(),
  })
  .strict();

const tenantSummary = (tenant: Tenant) => ({
  id: tenant.id,
  name: tenant.name,
  createdAt: tenant.createdAt.toISOString(),
  previousSecretExpiresAt: tenant.previousSecretExpiresAt?.toISOString() ?? null,
});

const tenantView = (
  tenant: Tenant,
  defaults: TenantDefaults,
): z.output<typeof tenantViewSchema> => ({ ...tenantSummary(tenant), defaults });

const notFound = (id: string): DomainError =>
  new DomainError('NOT_FOUND', `tenant ${id} not found`);

const loadTenant = async (deps: { store: TenantStore }, id: string): Promise<Tenant> => {
  const tenant = TENANT_ID_PATTERN.test(id) ? await deps.store.getTenant(id) : null;
  if (!tenant) throw notFound(id);
  return tenant;
};

/** One tenant with its defaults. */
const getTenant = async (
  deps: { store: TenantStore },
  input: { id: string },
): Promise<{ tenant: Tenant; defaults: TenantDefaults }> => {
  const tenant = await loadTenant(deps, input.id);
  return { tenant, defaults: await deps.store.getTenantDefaults(tenant.id) };
};

/** A page of tenants in id (creation) order; `nextAfterId` is null on the last page. */
const listTenants = async (
  deps: { store: TenantStore },
  input: { afterId?: string; limit: number },
): Promise<{ items: Tenant[]; nextAfterId: string | null }> => {
  const rows = await deps.store.listTenants({ ...input, limit: input.limit + 1 });
  const items = rows.slice(0, input.limit);
  return { items, nextAfterId: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
};

export {
  getTenant,
  listTenants,
  loadTenant,
  tenantDefaultsViewSchema,
  tenantListSchema,
  tenantSummary,
  tenantView,
  tenantViewSchema,
};
