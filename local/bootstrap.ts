import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateApiKey, hashSecret, parseApiKey, SCOPES } from '../shared/http/api-key.js';
import { ensurePrivateDir } from '../shared/private-dir.js';
import type { ApiKeyStore } from '../shared/store/api-key.port.js';
import type { Tenant } from '../shared/store/store.port.js';
import type { TenantStore } from '../shared/store/tenant.port.js';
import { newWebhookSecret } from '../shared/webhooks/signature.js';

/**
 * First-start access for a local stack: one tenant, its webhook secret, and an admin API key.
 * The key is written to `<dataDir>/api-key` (mode 0600) and reused on later starts;
 * ASKP_BOOTSTRAP_API_KEY seeds a chosen key instead. Only the secret's hash reaches the store.
 */
const LOCAL_TENANT_ID = 'tnt_local';

interface LocalAccess {
  apiKey: string;
  tenant: Tenant;
  created: boolean;
}

const readIfExists = async (path: string): Promise<string | undefined> => {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
};

const ensureTenant = async (store: TenantStore & ApiKeyStore, dataDir: string): Promise<Tenant> => {
  const existing = await store.getTenant(LOCAL_TENANT_ID);
  const tenant =
    existing ??
    (await store.createTenant({
      id: LOCAL_TENANT_ID,
      name: 'local',
      webhookSecret: newWebhookSecret(),
      at: new Date(),
    }));
  await writeFile(join(dataDir, 'webhook-secret'), `${tenant.webhookSecret}\n`, { mode: 0o600 });
  return tenant;
};

const bootstrapLocalAccess = async (input: {
  store: TenantStore & ApiKeyStore;
  dataDir: string;
  bootstrapKey?: string;
}): Promise<LocalAccess> => {
  await ensurePrivateDir(input.dataDir);
  const tenant = await ensureTenant(input.store, input.dataDir);
  const keyFile = join(input.dataDir, 'api-key');
  let apiKey = input.bootstrapKey ?? (await readIfExists(keyFile));
  let created = false;
  let parsed = apiKey ? parseApiKey(apiKey) : undefined;
  if (input.bootstrapKey && !parsed) {
    throw new Error(
      'ASKP_BOOTSTRAP_API_KEY must look like askp_<8-32 lower-case letters or digits>_<32-128 url-safe characters>',
    );
  }
  if (!parsed) {
    const fresh = generateApiKey();
    apiKey = fresh.key;
    parsed = { id: fresh.id, secret: fresh.secret };
    created = true;
  }
  const existing = await input.store.getApiKey(parsed.id);
  if (!existing) {
    await input.store.putApiKey({
      id: parsed.id,
      tenantId: tenant.id,
      secretHash: hashSecret(parsed.secret),
      scopes: [...SCOPES],
      expiresAt: null,
      revokedAt: null,
      createdAt: new Date(),
      name: null,
      lastUsedAt: null,
    });
    created = true;
  }
  const key = apiKey ?? '';
  await writeFile(keyFile, `${key}\n`, { mode: 0o600 });
  return { apiKey: key, tenant, created };
};

export type { LocalAccess };
export { bootstrapLocalAccess, LOCAL_TENANT_ID };
