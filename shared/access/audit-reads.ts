import * as z from 'zod';
import type { AuditAction, AuditRecord } from '../domain/audit.js';
import type { AuditStore } from '../store/audit.port.js';

const AUDIT_ID_PATTERN = /^aud_[0-9a-z]{26}$/;

const auditRecordViewSchema = z.object({
  id: z.string(),
  at: z.string(),
  action: z.string(),
  actorKeyId: z.string().describe('the API key that did it'),
  actorTenantId: z.string().describe("that key's tenant"),
  tenantId: z.string().describe('the tenant it concerned'),
  target: z.string().describe('what it changed: <kind>:<id>'),
  sourceIp: z.string().nullable(),
  requestId: z.string(),
});

const auditListSchema = z.object({
  items: z.array(auditRecordViewSchema),
  nextCursor: z.string().nullable(),
});

const auditRecordView = (record: AuditRecord): z.output<typeof auditRecordViewSchema> => ({
  id: record.id,
  at: record.at.toISOString(),
  action: record.action,
  actorKeyId: record.actorKeyId,
  actorTenantId: record.actorTenantId,
  tenantId: record.tenantId,
  target: record.target,
  sourceIp: record.sourceIp,
  requestId: record.requestId,
});

/** A page of the audit trail, newest first; `nextBeforeId` is null on the last page. */
const listAudit = async (
  deps: { store: AuditStore },
  input: { tenantId?: string; action?: AuditAction; beforeId?: string; limit: number },
): Promise<{ items: AuditRecord[]; nextBeforeId: string | null }> => {
  const rows = await deps.store.listAudit({ ...input, limit: input.limit + 1 });
  const items = rows.slice(0, input.limit);
  return { items, nextBeforeId: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
};

export { AUDIT_ID_PATTERN, auditListSchema, auditRecordView, auditRecordViewSchema, listAudit };
