import type { Clock } from '../clock.js';
import type { AuditTaker } from '../domain/audit.js';
import { DomainError } from '../domain/errors.js';
import type { ApiKeyStore } from '../store/api-key.port.js';
import type { ApiKeyRecord } from '../store/store.port.js';

/** The id part of askp_<id>_<secret>, as api-key.ts generates and accepts it. */
const API_KEY_ID_PATTERN = /^[0-9a-z]{8,32}$/;

/** A page of keys by creation time; `nextAfterId` is null on the last page. */
const listApiKeys = async (
  deps: { store: ApiKeyStore },
  input: { tenantId?: string; afterId?: string; limit: number },
): Promise<{ items: ApiKeyRecord[]; nextAfterId: string | null }> => {
  const rows = await deps.store.listApiKeys({ ...input, limit: input.limit + 1 });
  const items = rows.slice(0, input.limit);
  return { items, nextAfterId: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
};

/**
 * Revokes a key at once (its next request is a 401); revoking it again changes nothing. With
 * `audit`, the request's record commits with the revocation.
 */
const revokeApiKey = async (
  deps: { store: ApiKeyStore; clock: Clock },
  input: { id: string; audit?: AuditTaker },
): Promise<ApiKeyRecord> => {
  const { audit } = input;
  const record = API_KEY_ID_PATTERN.test(input.id)
    ? await deps.store.revokeApiKey({
        id: input.id,
        at: deps.clock.now(),
        ...(audit
          ? { audit: (key) => audit({ tenantId: key.tenantId, target: `api-key:${key.id}` }) }
          : {}),
      })
    : null;
  if (!record) throw new DomainError('NOT_FOUND', `API key ${input.id} not found`);
  return record;
};

export { API_KEY_ID_PATTERN, listApiKeys, revokeApiKey };
