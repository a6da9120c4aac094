import type { ClusterSpec } from '../domain/cluster-spec.js';
import type { TenantLimitsStore } from '../store/tenant-limits.port.js';
import { assertAddonsAllowed } from './addon-policy.js';
import { assertNetworkAllowed } from './tenant-networks.js';

/**
 * What a tenant's create or preflight must pass before ACK is asked anything: the addons are in
 * the service's allow-list with a config we know (400), and the network is `"auto"` or one the
 * operator registered for the tenant (the network allow-list, 403 NETWORK_NOT_ALLOWED). This is
 * not a check that the VPC exists: that is ACK's (or the VPC API's) to say, after this.
 */
const assertTenantMayAsk = async (
  deps: { store: TenantLimitsStore; addonAllowList: readonly string[] },
  input: { tenantId: string; spec: ClusterSpec },
): Promise<void> => {
  assertAddonsAllowed(input.spec.addons, deps.addonAllowList);
  if (input.spec.network === 'auto') return;
  assertNetworkAllowed({
    tenantId: input.tenantId,
    region: input.spec.region,
    network: input.spec.network,
    registered: await deps.store.getTenantNetworks(input.tenantId),
  });
};

export { assertTenantMayAsk };
