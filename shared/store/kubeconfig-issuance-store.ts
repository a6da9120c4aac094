import type { Kysely, Selectable } from 'kysely';
import type { KubeconfigIssuance } from '../domain/kubeconfig-issuance.js';
import { insertAudit } from './audit-store.js';
import type { KubeconfigIssuanceStore } from './kubeconfig-issuance.port.js';
import type { Database, KubeconfigIssuancesTable } from './schema.js';

const issuanceFromRow = (row: Selectable<KubeconfigIssuancesTable>): KubeconfigIssuance => ({
  id: row.id,
  tenantId: row.tenant_id,
  keyId: row.key_id,
  provisionId: row.provision_id,
  clusterId: row.cluster_id,
  region: row.region,
  issuedAt: row.issued_at,
  expiresAt: row.expires_at,
  requestId: row.request_id,
  revokedAt: row.revoked_at,
});

const createKubeconfigIssuanceStore = (db: Kysely<Database>): KubeconfigIssuanceStore => ({
  recordKubeconfigIssuance: async ({ issuance, audit }) => {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('kubeconfig_issuances')
        .values({
          id: issuance.id,
          tenant_id: issuance.tenantId,
          key_id: issuance.keyId,
          provision_id: issuance.provisionId,
          cluster_id: issuance.clusterId,
          region: issuance.region,
          issued_at: issuance.issuedAt,
          expires_at: issuance.expiresAt,
          request_id: issuance.requestId,
          revoked_at: issuance.revokedAt,
        })
        .onConflict((conflict) => conflict.column('id').doNothing())
        .execute();
      await insertAudit(trx, audit);
    });
  },

  listKubeconfigIssuances: async ({ tenantId, provisionId, keyId, liveAt, beforeId, limit }) => {
    let query = db.selectFrom('kubeconfig_issuances').selectAll().where('tenant_id', '=', tenantId);
    if (provisionId !== undefined) query = query.where('provision_id', '=', provisionId);
    if (keyId !== undefined) query = query.where('key_id', '=', keyId);
    if (liveAt !== undefined) {
      query = query.where('expires_at', '>', liveAt).where('revoked_at', 'is', null);
    }
    if (beforeId !== undefined) query = query.where('id', '<', beforeId);
    const rows = await query.orderBy('id', 'desc').limit(limit).execute();
    return rows.map(issuanceFromRow);
  },

  markKubeconfigsRevoked: async ({ provisionId, issuedBy, at }) => {
    const result = await db
      .updateTable('kubeconfig_issuances')
      .set({ revoked_at: at })
      .where('provision_id', '=', provisionId)
      .where('issued_at', '<=', issuedBy)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },
});

export { createKubeconfigIssuanceStore };
