import * as z from 'zod';
import { SCOPES } from '../http/api-key.js';

/** Bodies of the admin endpoints. */
const TENANT_ID_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

const createTenantRequestSchema = z
  .object({
    name: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/,
        'name is 1–64 letters, digits, spaces, ".", "_" or "-"',
      ),
  })
  .strict();

const createApiKeyRequestSchema = z
  .object({
    tenantId: z.string().regex(TENANT_ID_PATTERN, 'tenantId is a tenant id such as tnt_…'),
    scopes: z
      .array(z.enum(SCOPES))
      .min(1)
      .max(SCOPES.length)
      .refine((scopes) => new Set(scopes).size === scopes.length, 'scopes must not repeat'),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('when the key stops working; it never expires when left out'),
    name: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9 ._:@/-]{0,63}$/,
        'name is 1–64 letters, digits, spaces, ".", "_", ":", "@", "/" or "-"',
      )
      .optional()
      .describe('what the key is for (e.g. "ci-pipeline"), shown when keys are read'),
  })
  .strict();

type CreateTenantRequest = z.output<typeof createTenantRequestSchema>;
type CreateApiKeyRequest = z.output<typeof createApiKeyRequestSchema>;

export type { CreateApiKeyRequest, CreateTenantRequest };
export { createApiKeyRequestSchema, createTenantRequestSchema, TENANT_ID_PATTERN };
