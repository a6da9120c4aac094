import { z } from 'zod';
import { idleAfterSchema, ttlSchema } from '../domain/cluster-spec.js';
import { DomainError } from '../domain/errors.js';
import type { TenantDefaults } from '../store/store.port.js';
import type { TenantStore } from '../store/tenant.port.js';

/**
 * A tenant's janitor defaults, applied when a create request names no policy: `defaultTtl`
 * when it has neither `ttl` nor `expiresAt`, `defaultIdleAfter` when it has no `idleAfter`.
 * The body of `PUT /v1/admin/tenants/{id}/defaults` (scope admin); `null` removes a default.
 */
const tenantDefaultsRequestSchema = z
  .object({
    defaultTtl: ttlSchema.nullable().describe('e.g. "8h"; null: no default expiry'),
    defaultIdleAfter: idleAfterSchema.nullable().describe('e.g. "2h"; null: no idle policy'),
  })
  .strict();

type TenantDefaultsRequest = z.output<typeof tenantDefaultsRequestSchema>;

const setTenantDefaults = async (
  deps: { store: TenantStore },
  input: { tenantId: string; request: TenantDefaultsRequest },
): Promise<TenantDefaults> => {
  const defaults: TenantDefaults = {
    defaultTtl: input.request.defaultTtl,
    defaultIdleAfter: input.request.defaultIdleAfter,
  };
  if (!(await deps.store.setTenantDefaults({ tenantId: input.tenantId, defaults }))) {
    throw new DomainError('NOT_FOUND', `tenant ${input.tenantId} not found`);
  }
  return defaults;
};

export type { TenantDefaultsRequest };
export { setTenantDefaults, tenantDefaultsRequestSchema };
