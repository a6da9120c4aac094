import type { Clock } from '../clock.js';
import type { AuditTaker } from '../domain/audit.js';
import { DomainError } from '../domain/errors.js';
import { generateApiKey, hashSecret } from '../http/api-key.js';
import type { ApiKeyStore } from '../store/api-key.port.js';
import type { ApiKeyRecord } from '../store/store.port.js';
import type { TenantStore } from '../store/tenant.port.js';
import type { CreateApiKeyRequest } from './access-requests.js';

/**
 * A new API key for a tenant. Only the id and the SHA-256 of the secret are stored; the whole
 * key is returned to the caller this once and exists nowhere else.
 */
const issueApiKey = async (
  deps: { store: TenantStore & ApiKeyStore; clock: Clock },
  request: CreateApiKeyRequest,
  options: { audit?: AuditTaker } = {},
): Promise<{ record: ApiKeyRecord; key: string }> => {
  const now = deps.clock.now();
  const expiresAt = request.expiresAt === undefined ? null : new Date(request.expiresAt);
  if (expiresAt !== null && expiresAt.getTime() <= now.getTime()) {
    throw new DomainError('VALIDATION_FAILED', 'expiresAt must be in the future', {
      field: 'expiresAt',
    });
  }
  if (!(await deps.store.getTenant(request.tenantId))) {
    throw new DomainError('VALIDATION_FAILED', `tenantId: there is no tenant ${request.tenantId}`, {
      field: 'tenantId',
    });
  }
  const generated = generateApiKey();
  const record: ApiKeyRecord = {
    id: generated.id,
    tenantId: request.tenantId,
    secretHash: hashSecret(generated.secret),
    scopes: [...request.scopes],
    expiresAt,
    revokedAt: null,
    createdAt: now,
    name: request.name ?? null,
    lastUsedAt: null,
  };
  // With `audit`, the request's record commits with the key.
  await deps.store.putApiKey(
    record,
    options.audit?.({ tenantId: record.tenantId, target: `api-key:${record.id}` }),
  );
  return { record, key: generated.key };
};

export { issueApiKey };
