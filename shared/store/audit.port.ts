import type { AuditAction, AuditRecord } from '../domain/audit.js';

/** The audit trail: append-only, read newest first. */
interface AuditStore {
  /** Appends a record; a record with the same id already there is left as it is. */
  recordAudit(record: AuditRecord): Promise<void>;
  /** Newest first (ids are time-ordered), older than `beforeId`, optionally one tenant/action. */
  listAudit(input: {
    tenantId?: string;
    action?: AuditAction;
    beforeId?: string;
    limit: number;
  }): Promise<AuditRecord[]>;
}

export type { AuditStore };
