import type { Selectable, Transaction } from 'kysely';
import { type Kysely, sql } from 'kysely';
import type { AuditRecord } from '../domain/audit.js';
import { plainBox } from '../secrets/secret-box.js';
import type { SecretBoxSource } from '../secrets/secret-source.js';
import type { ApiKeyStore } from './api-key.port.js';
import { insertAudit } from './audit-store.js';
import { apiKeyFromRow, tenantFromRow as tenantRecord } from './record-rows.js';
import type { Database, TenantsTable } from './schema.js';
import { conflictOnDuplicate } from './sql-errors.js';
import type { Tenant, TenantStore } from './tenant.port.js';

/**
 * `write` and, when there is one, the request's audit record in one transaction: the record
 * commits with the change it describes or not at all. `write` answers null when it changed
 * nothing (no such row), and then no record is written either.
 */
const withAudit = async <T>(
  db: Kysely<Database>,
  audit: ((result: T) => AuditRecord) | undefined,
  write: (db: Kysely<Database> | Transaction<Database>) => Promise<T | null>,
): Promise<T | null> => {
  if (audit === undefined) return write(db);
  return db.transaction().execute(async (trx) => {
    const result = await write(trx);
    if (result !== null) await insertAudit(trx, audit(result));
    return result;
  });
};

/**
 * Webhook secrets are sealed on the way in and opened on the way out (secret-box.ts). The box may
 * come late (a KMS data key is opened on first use): every method that touches a secret waits
 * for it, the others never do.
 */
const createTenantStore = (
  db: Kysely<Database>,
  source: SecretBoxSource = plainBox,
): Omit<TenantStore, 'getTenantDefaults' | 'setTenantDefaults'> & ApiKeyStore => {
  const boxOf = typeof source === 'function' ? source : async () => source;
  const tenantsFromRows = async (rows: Selectable<TenantsTable>[]): Promise<Tenant[]> => {
    const box = await boxOf();
    return rows.map((row) => tenantWith(box, row));
  };
  const tenantFromRow = async (row: Selectable<TenantsTable>): Promise<Tenant> =>
    tenantWith(await boxOf(), row);
  const tenantWith = (
    box: { open(stored: string): string },
    row: Selectable<TenantsTable>,
  ): Tenant => {
    const tenant = tenantRecord(row);
    return {
      ...tenant,
      webhookSecret: box.open(tenant.webhookSecret),
      previousWebhookSecret:
        tenant.previousWebhookSecret === null ? null : box.open(tenant.previousWebhookSecret),
    };
  };
  return {
    createTenant: async ({ id, name, webhookSecret, at, audit }) => {
      const box = await boxOf();
      const row = await conflictOnDuplicate(
        async () => {
          const inserted = await withAudit(db, audit === undefined ? undefined : () => audit, (q) =>
            q
              .insertInto('tenants')
              .values({ id, name, webhook_secret: box.seal(webhookSecret), created_at: at })
              .returningAll()
              .executeTakeFirstOrThrow(),
          );
          if (inserted === null) throw new Error(`tenant ${id} was not inserted`);
          return inserted;
        },
        // The id is new: the clash is the name (unique ignoring case, migration 0010).
        `a tenant named "${name}" already exists (tenant names are unique, ignoring case)`,
        { field: 'name' },
      );
      return tenantFromRow(row);
    },

    getTenant: async (id) => {
      const row = await db
        .selectFrom('tenants')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined ? null : tenantFromRow(row);
    },

    listTenants: async ({ afterId, limit }) => {
      let query = db.selectFrom('tenants').selectAll();
      if (afterId !== undefined) query = query.where('id', '>', afterId);
      const rows = await query.orderBy('id').limit(limit).execute();
      return tenantsFromRows(rows);
    },

    findTenantsByName: async (name) => {
      const rows = await db
        .selectFrom('tenants')
        .selectAll()
        .where(sql<string>`lower(name)`, '=', name.toLowerCase())
        .orderBy('id')
        .limit(10)
        .execute();
      return tenantsFromRows(rows);
    },

    rotateWebhookSecret: async ({ tenantId, secret, previousExpiresAt, audit }) => {
      const box = await boxOf();
      const row = await withAudit(
        db,
        audit === undefined ? undefined : () => audit,
        async (q) =>
          (await q
            .updateTable('tenants')
            .set((eb) => ({
              previous_webhook_secret: eb.ref('webhook_secret'),
              previous_secret_expires_at: previousExpiresAt,
              webhook_secret: box.seal(secret),
            }))
            .where('id', '=', tenantId)
            .returningAll()
            .executeTakeFirst()) ?? null,
      );
      return row === null ? null : tenantFromRow(row);
    },

    putApiKey: async (record, audit) => {
      await withAudit(db, audit === undefined ? undefined : () => audit, async (q) => {
        await q
          .insertInto('api_keys')
          .values({
            id: record.id,
            tenant_id: record.tenantId,
            secret_hash: record.secretHash,
            scopes: record.scopes,
            expires_at: record.expiresAt,
            revoked_at: record.revokedAt,
            created_at: record.createdAt,
            name: record.name,
            last_used_at: record.lastUsedAt,
          })
          .onConflict((conflict) => conflict.column('id').doNothing())
          .execute();
        return true;
      });
    },

    getApiKey: async (id) => {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined ? null : apiKeyFromRow(row);
    },

    listApiKeys: async ({ tenantId, afterId, limit }) => {
      let query = db.selectFrom('api_keys').selectAll();
      if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
      // Key ids are random, so keys page by creation time (the id breaks ties): the cursor names
      // the last key seen, and the page goes on after its (created_at, id).
      if (afterId !== undefined)
        query = query.where(
          sql<boolean>`(created_at, id) > (select k.created_at, k.id from api_keys k where k.id = ${afterId})`,
        );
      const rows = await query.orderBy('created_at').orderBy('id').limit(limit).execute();
      return rows.map(apiKeyFromRow);
    },

    revokeApiKey: async ({ id, at, audit }) =>
      withAudit(db, audit, async (q) => {
        const row = await q
          .updateTable('api_keys')
          .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(at)) }))
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        return row === undefined ? null : apiKeyFromRow(row);
      }),
  };
};

export { createTenantStore };
