import * as z from 'zod';
import { idleAfterSchema, ttlSchema } from '../domain/cluster-spec.js';
import { DomainError } from '../domain/errors.js';
import type { TenantDefaults } from '../store/store.port.js';
import type { TenantStore } from '../store/tenant.port.js';
import type { TenantCreateSettingsCache } from '../tenancy/tenant-create-settings.js';

/**
 * A tenant's janitor defaults, applied when a create request names no policy: `defaultTtl`
 * when it has neither `ttl` nor `expiresAt`, `defaultIdleAfter` when it has no `idleAfter`.
 * The body of `PUT /v1/admin/tenants/{id}/defaults` (scope admin); `null` removes a default.
 */
const FIELDS = ['defaultTtl', 'defaultIdleAfter'] as const;

/**
 * PUT replaces both defaults, so both must be sent; a body with one says what to send for the
 * other (its current value, or null) instead of a bare "required".
 */
const tenantDefaultsRequestSchema = z
  .object({
    defaultTtl: ttlSchema
      .nullable()
      .optional()
      .describe('required; e.g. "8h"; null: no default expiry'),
    defaultIdleAfter: idleAfterSchema
      .nullable()
      .optional()
      .describe('required; e.g. "2h"; null: no idle policy'),
  })
  .strict()
  .superRefine((body, context) => {
    for (const field of FIELDS) {
      if (body[field] !== undefined) continue;
      context.addIssue({
        code: 'custom',
        path: [field],
        message:
          `PUT replaces both defaults: send ${field} too, with its current value (GET ` +
          '/v1/admin/tenants/{id}/defaults shows it) or null for none',
      });
    }
  });

type TenantDefaultsRequest = z.output<typeof tenantDefaultsRequestSchema>;

const setTenantDefaults = async (
  deps: {
    store: TenantStore;
    /** This instance's creates apply the new defaults at once. */
    tenantCreateSettings?: Pick<TenantCreateSettingsCache, 'forget'>;
  },
  input: { tenantId: string; request: TenantDefaultsRequest },
): Promise<TenantDefaults> => {
  const defaults: TenantDefaults = {
    defaultTtl: input.request.defaultTtl ?? null,
    defaultIdleAfter: input.request.defaultIdleAfter ?? null,
  };
  if (!(await deps.store.setTenantDefaults({ tenantId: input.tenantId, defaults }))) {
    throw new DomainError('NOT_FOUND', `tenant ${input.tenantId} not found`);
  }
  deps.tenantCreateSettings?.forget(input.tenantId);
  return defaults;
};

export type { TenantDefaultsRequest };
export { setTenantDefaults, tenantDefaultsRequestSchema };
