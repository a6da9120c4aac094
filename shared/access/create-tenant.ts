import type { Clock } from '../clock.js';
import type { AuditTaker } from '../domain/audit.js';
import { newId } from '../ids.js';
import type { Tenant } from '../store/store.port.js';
import type { TenantStore } from '../store/tenant.port.js';
import { newWebhookSecret } from '../webhooks/signature.js';
import type { CreateTenantRequest } from './access-requests.js';

/**
 * A new tenant with its own webhook signing secret (`whsec_…`); with `audit`, the request's audit
 * record commits with it.
 */
const createTenant = async (
  deps: { store: TenantStore; clock: Clock },
  request: CreateTenantRequest,
  options: { audit?: AuditTaker } = {},
): Promise<Tenant> => {
  const now = deps.clock.now();
  const id = newId('tnt', now.getTime());
  return deps.store.createTenant({
    id,
    name: request.name,
    webhookSecret: newWebhookSecret(),
    at: now,
    ...(options.audit ? { audit: options.audit({ tenantId: id, target: `tenant:${id}` }) } : {}),
  });
};

export { createTenant };
