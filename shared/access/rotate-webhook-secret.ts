import type { Clock } from '../clock.js';
import type { AuditTaker } from '../domain/audit.js';
import { DomainError } from '../domain/errors.js';
import type { Tenant } from '../store/store.port.js';
import type { TenantStore } from '../store/tenant.port.js';
import { newWebhookSecret } from '../webhooks/signature.js';
import { TENANT_ID_PATTERN } from './access-requests.js';

/** How long the replaced secret keeps signing, so receivers can move to the new one. */
const PREVIOUS_SECRET_TTL_MS = 24 * 3_600_000;

/**
 * A new `whsec_` signing secret for the tenant. For the next 24 hours every delivery carries
 * two signatures (new and old), so a receiver verifies with either while it switches.
 */
const rotateWebhookSecret = async (
  deps: { store: TenantStore; clock: Clock },
  input: { tenantId: string; audit?: AuditTaker },
): Promise<Tenant> => {
  const now = deps.clock.now();
  const tenant = TENANT_ID_PATTERN.test(input.tenantId)
    ? await deps.store.rotateWebhookSecret({
        tenantId: input.tenantId,
        secret: newWebhookSecret(),
        previousExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_TTL_MS),
        // With `audit`, the request's record commits with the rotation.
        ...(input.audit
          ? {
              audit: input.audit({
                tenantId: input.tenantId,
                target: `tenant:${input.tenantId}`,
              }),
            }
          : {}),
      })
    : null;
  if (!tenant) throw new DomainError('NOT_FOUND', `tenant ${input.tenantId} not found`);
  return tenant;
};

export { PREVIOUS_SECRET_TTL_MS, rotateWebhookSecret };
