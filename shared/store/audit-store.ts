import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import * as z from 'zod';
import { AUDIT_ACTIONS, type AuditRecord } from '../domain/audit.js';
import type { AuditStore } from './audit.port.js';
import { parseColumn } from './provision-row.js';
import type { AuditRecordsTable, Database } from './schema.js';

const actionSchema = z.enum(AUDIT_ACTIONS);

const auditFromRow = (row: Selectable<AuditRecordsTable>): AuditRecord => ({
  id: row.id,
  at: row.at,
  action: parseColumn(actionSchema, row.action, {
    table: 'audit_records',
    id: row.id,
    column: 'action',
  }),
  actorKeyId: row.actor_key_id,
  actorTenantId: row.actor_tenant_id,
  tenantId: row.tenant_id,
  target: row.target,
  sourceIp: row.source_ip,
  requestId: row.request_id,
});

const auditRow = (record: AuditRecord): Insertable<AuditRecordsTable> => ({
  id: record.id,
  at: record.at,
  action: record.action,
  actor_key_id: record.actorKeyId,
  actor_tenant_id: record.actorTenantId,
  tenant_id: record.tenantId,
  target: record.target,
  source_ip: record.sourceIp,
  request_id: record.requestId,
});

/** The insert, for this store and for the transactions of other stores that audit their write. */
const insertAudit = async (
  db: Kysely<Database> | Transaction<Database>,
  record: AuditRecord,
): Promise<void> => {
  await db
    .insertInto('audit_records')
    .values(auditRow(record))
    .onConflict((conflict) => conflict.column('id').doNothing())
    .execute();
};

const createAuditStore = (db: Kysely<Database>): AuditStore => ({
  recordAudit: (record) => insertAudit(db, record),

  listAudit: async ({ tenantId, action, beforeId, limit }) => {
    let query = db.selectFrom('audit_records').selectAll();
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
    if (action !== undefined) query = query.where('action', '=', action);
    if (beforeId !== undefined) query = query.where('id', '<', beforeId);
    const rows = await query.orderBy('id', 'desc').limit(limit).execute();
    return rows.map(auditFromRow);
  },
});

export { auditRow, createAuditStore, insertAudit };
