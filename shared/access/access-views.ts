import * as z from 'zod';
import type { ApiKeyRecord, Tenant } from '../store/store.port.js';

/**
 * The public shapes of tenants and API keys. A key's view never holds its secret nor the hash;
 * only the response that creates a key carries the key, and only the one that creates a tenant
 * carries its webhook secret.
 */
const timestamp = z.iso.datetime();

const apiKeyViewSchema = z
  .object({
    id: z.string().describe('the public part of askp_<id>_<secret>'),
    prefix: z.string().describe('how the key starts (askp_<id>_), to recognise it'),
    tenantId: z.string(),
    name: z.string().nullable().describe('what the key is for, as given at creation'),
    scopes: z.array(z.string()),
    expiresAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
    createdAt: timestamp,
    lastUsedAt: timestamp
      .nullable()
      .describe(
        'when the key last authenticated a request; recorded behind the request, at most once a minute, so up to about a minute old',
      ),
  })
  .strict();

const createdApiKeySchema = apiKeyViewSchema
  .extend({ key: z.string().describe('the whole key; shown this once, stored only hashed') })
  .strict();

const apiKeyListSchema = z
  .object({ items: z.array(apiKeyViewSchema), nextCursor: z.string().nullable() })
  .strict();

const createdTenantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    webhookSecret: z.string().describe('whsec_…: verifies this tenant’s webhooks; shown this once'),
    createdAt: timestamp,
  })
  .strict();

type ApiKeyView = z.output<typeof apiKeyViewSchema>;

const apiKeyView = (record: ApiKeyRecord): ApiKeyView => ({
  id: record.id,
  prefix: `askp_${record.id}_`,
  tenantId: record.tenantId,
  name: record.name,
  scopes: record.scopes,
  expiresAt: record.expiresAt?.toISOString() ?? null,
  revokedAt: record.revokedAt?.toISOString() ?? null,
  createdAt: record.createdAt.toISOString(),
  lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
});

const createdApiKeyView = (
  record: ApiKeyRecord,
  key: string,
): z.output<typeof createdApiKeySchema> => ({ ...apiKeyView(record), key });

const createdTenantView = (tenant: Tenant): z.output<typeof createdTenantSchema> => ({
  id: tenant.id,
  name: tenant.name,
  webhookSecret: tenant.webhookSecret,
  createdAt: tenant.createdAt.toISOString(),
});

export type { ApiKeyView };
export {
  apiKeyListSchema,
  apiKeyView,
  apiKeyViewSchema,
  createdApiKeySchema,
  createdApiKeyView,
  createdTenantSchema,
  createdTenantView,
};
