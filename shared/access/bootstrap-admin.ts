import type { Clock } from '../clock.js';
import { DomainError } from '../domain/errors.js';
import { SCOPES } from '../http/api-key.js';
import type { ApiKeyStore } from '../store/api-key.port.js';
import type { Tenant } from '../store/store.port.js';
import type { TenantStore } from '../store/tenant.port.js';
import { createTenantRequestSchema } from './access-requests.js';
import { createTenant } from './create-tenant.js';
import { issueApiKey } from './issue-api-key.js';

interface BootstrapAdminInput {
  tenantName: string;
  /** Issue a key even though the tenant already has a live admin key. */
  anotherKey: boolean;
}

interface BootstrapAdminResult {
  tenant: Tenant;
  tenantCreated: boolean;
  keyId: string;
  /** The whole key, returned this once: only its hash is stored. */
  key: string;
}

const PAGE = 500;

const hasLiveAdminKey = async (
  store: ApiKeyStore,
  tenantId: string,
  now: Date,
): Promise<boolean> => {
  let afterId: string | undefined;
  for (;;) {
    const page = await store.listApiKeys({
      tenantId,
      limit: PAGE,
      ...(afterId ? { afterId } : {}),
    });
    const live = page.some(
      (key) =>
        key.scopes.includes('admin') &&
        key.revokedAt === null &&
        (key.expiresAt === null || key.expiresAt.getTime() > now.getTime()),
    );
    if (live) return true;
    if (page.length < PAGE) return false;
    afterId = page.at(-1)?.id;
  }
};

/**
 * The first admin access of a deployed service (`askp admin bootstrap`): the tenant named
 * `tenantName` (created when there is none) and a new API key with every scope. Refuses a second
 * key while the tenant has a live admin key unless `anotherKey`: a bootstrap that runs again by
 * accident (a pipeline re-run) must not mint keys nobody knows about.
 */
const bootstrapAdmin = async (
  deps: { store: TenantStore & ApiKeyStore; clock: Clock },
  input: BootstrapAdminInput,
): Promise<BootstrapAdminResult> => {
  const parsed = createTenantRequestSchema.safeParse({ name: input.tenantName });
  if (!parsed.success) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `--tenant: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      { field: 'tenant' },
    );
  }
  const named = await deps.store.findTenantsByName(parsed.data.name);
  if (named.length > 1) {
    throw new DomainError(
      'CONFLICT',
      `${named.length} tenants are named "${parsed.data.name}" (${named.map((t) => t.id).join(', ')}); issue keys over the API instead`,
      { field: 'tenant' },
    );
  }
  const existing = named[0];
  if (
    existing &&
    !input.anotherKey &&
    (await hasLiveAdminKey(deps.store, existing.id, deps.clock.now()))
  ) {
    throw new DomainError(
      'CONFLICT',
      `tenant "${existing.name}" (${existing.id}) already has an admin key; pass --another-key to issue one more`,
      { field: 'tenant' },
    );
  }
  const tenant = existing ?? (await createTenant(deps, parsed.data));
  const issued = await issueApiKey(deps, { tenantId: tenant.id, scopes: [...SCOPES] });
  return {
    tenant,
    tenantCreated: existing === undefined,
    keyId: issued.record.id,
    key: issued.key,
  };
};

export type { BootstrapAdminInput, BootstrapAdminResult };
export { bootstrapAdmin };
