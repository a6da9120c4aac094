import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import type { Tenant } from '../store/store.port.js';
import type { TenantStore } from '../store/tenant.port.js';
import { newWebhookSecret } from '../webhooks/signature.js';
import type { CreateTenantRequest } from './access-requests.js';

/** A new tenant with its own webhook signing secret (`whsec_…`). */
const createTenant = async (
  deps: { store: TenantStore; clock: Clock },
  request: CreateTenantRequest,
): Promise<Tenant> => {
  const now = deps.clock.now();
  return deps.store.createTenant({
    id: newId('tnt', now.getTime()),
    name: request.name,
    webhookSecret: newWebhookSecret(),
    at: now,
  });
};

export { createTenant };
