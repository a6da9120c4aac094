import type { Kysely } from 'kysely';
import { creationProgressFromRow } from './creation-progress-store.js';
import { warningOf } from './janitor-store.js';
import { PREPARE } from './prepared-pool.js';
import type { ProvisionReadStore } from './provision-read.port.js';
import { provisionFromRow } from './provision-row.js';
import type { Database } from './schema.js';

const createProvisionReadStore = (db: Kysely<Database>): ProvisionReadStore => ({
  readProvision: async ({ id, tenantId }) => {
    const row = await db
      .selectFrom('provisions as p')
      .leftJoin('janitor_marks as m', 'm.provision_id', 'p.id')
      .leftJoin('creation_progress as c', 'c.provision_id', 'p.id')
      .selectAll('p')
      .select([
        'm.reason as mark_reason',
        'm.warned_at as mark_warned_at',
        'm.delete_at as mark_delete_at',
        'm.expires_at_basis as mark_expires_at_basis',
        'm.idle_after_basis as mark_idle_after_basis',
        'c.task_id as cp_task_id',
        'c.stage as cp_stage',
        'c.completed_stages as cp_completed_stages',
        'c.total_stages as cp_total_stages',
        'c.recorded as cp_recorded',
        'c.checked_at as cp_checked_at',
      ])
      .where('p.id', '=', id)
      .where('p.tenant_id', '=', tenantId)
      // The hot read: its plan (two joins) costs PostgreSQL more than running it.
      .modifyEnd(PREPARE)
      .executeTakeFirst();
    if (row === undefined) return null;
    const provision = provisionFromRow(row);
    // Progress is shown only while provisioning, as the list does.
    const progress =
      provision.state === 'provisioning' &&
      row.cp_task_id !== null &&
      row.cp_completed_stages !== null &&
      row.cp_total_stages !== null &&
      row.cp_recorded !== null &&
      row.cp_checked_at !== null
        ? creationProgressFromRow({
            provision_id: row.id,
            task_id: row.cp_task_id,
            stage: row.cp_stage,
            completed_stages: row.cp_completed_stages,
            total_stages: row.cp_total_stages,
            recorded: row.cp_recorded,
            checked_at: row.cp_checked_at,
          })
        : undefined;
    return { provision, progress, warning: warningOf(row) };
  },
});

export { createProvisionReadStore };
