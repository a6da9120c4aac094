import type { Clock } from '../clock.js';
import { DomainError } from '../domain/errors.js';
import type { ApiKeyStore } from '../store/api-key.port.js';
import type { Scope } from './api-key.js';
import { hasScope, parseApiKey, secretMatches } from './api-key.js';
import type { ApiKeyCache } from './api-key-cache.js';
import type { HttpRequest } from './fc-http-event.js';

interface Principal {
  tenantId: string;
  keyId: string;
  scopes: string[];
}

/** One message for every bad key, so a caller cannot tell a wrong id from a wrong secret. */
const unauthenticated = (): DomainError =>
  new DomainError(
    'UNAUTHENTICATED',
    'a valid API key is required: Authorization: Bearer askp_<id>_<secret>',
  );

const authenticate = async (
  deps: { store: ApiKeyStore; clock: Clock; apiKeyCache?: ApiKeyCache },
  request: HttpRequest,
): Promise<Principal> => {
  const header = request.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const parsed = match?.[1] ? parseApiKey(match[1]) : undefined;
  if (!parsed) throw unauthenticated();
  request.caller.keyId = parsed.id;
  const load = () => deps.store.getApiKey(parsed.id);
  // A warm instance has the record already (for a bounded time: api-key-cache.ts).
  const record = deps.apiKeyCache
    ? await deps.apiKeyCache.get(parsed.id, deps.clock.now().getTime(), load)
    : await load();
  // For the log only: whose key id it was, even when the secret is wrong (never told the caller).
  if (record) request.caller.tenantId = record.tenantId;
  if (!record || !secretMatches(record, parsed.secret)) throw unauthenticated();
  const now = deps.clock.now();
  if (record.revokedAt || (record.expiresAt && record.expiresAt <= now)) throw unauthenticated();
  return { tenantId: record.tenantId, keyId: record.id, scopes: record.scopes };
};

const requireScope = (principal: Principal, scope: Scope): void => {
  if (!hasScope(principal.scopes, scope)) {
    throw new DomainError('FORBIDDEN', `this API key lacks the ${scope} scope`);
  }
};

export type { Principal };
export { authenticate, requireScope };
