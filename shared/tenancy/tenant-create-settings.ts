import type { Clock } from '../clock.js';
import type { TenantDefaults, TenantStore } from '../store/tenant.port.js';
import type { TenantLimitsStore } from '../store/tenant-limits.port.js';
import { createTtlCache } from '../ttl-cache.js';
import type { TenantQuota } from './tenant-quota.js';

/** What a create reads of its tenant before it writes: the janitor defaults and the quota. */
interface TenantCreateSettings {
  defaults: TenantDefaults;
  quota: TenantQuota;
}

type SettingsStore = Pick<TenantStore, 'getTenantDefaults'> &
  Pick<TenantLimitsStore, 'getTenantQuota'>;

/** Both reads, in parallel: what every create did before this instance kept them. */
const readTenantCreateSettings = async (
  store: SettingsStore,
  tenantId: string,
): Promise<TenantCreateSettings> => {
  const [defaults, quota] = await Promise.all([
    store.getTenantDefaults(tenantId),
    store.getTenantQuota(tenantId),
  ]);
  return { defaults, quota };
};

/**
 * A tenant's create settings, kept by an API instance as long as it keeps an API key
 * (`ASKP_API_KEY_CACHE_SECONDS`): a warm create reads nothing before its one writing statement.
 * A quota or defaults set through this instance apply to its next create (`forget`); set through
 * another instance or `askp admin`, within the cache time, as a revoked key stops. A quota still
 * binds inside the create's transaction (the tenant's row lock and what it holds now); only the
 * limits themselves may be that many seconds old.
 */
interface TenantCreateSettingsCache {
  get(tenantId: string): Promise<TenantCreateSettings>;
  forget(tenantId: string): void;
}

const createTenantCreateSettingsCache = (deps: {
  store: SettingsStore;
  clock: Clock;
  ttlMs: number;
}): TenantCreateSettingsCache => {
  const cache = createTtlCache<TenantCreateSettings>({
    ttlMs: deps.ttlMs,
    now: () => deps.clock.now().getTime(),
  });
  return {
    get: (tenantId) => cache.get(tenantId, () => readTenantCreateSettings(deps.store, tenantId)),
    forget: (tenantId) => cache.forget(tenantId),
  };
};

export type { TenantCreateSettings, TenantCreateSettingsCache };
export { createTenantCreateSettingsCache, readTenantCreateSettings };
