import type { CompiledQuery, Kysely } from 'kysely';
import { creationProgressFromRow } from './creation-progress-store.js';
import { WARNING_SELECTION, warningOf } from './janitor-store.js';
import { PREPARE } from './prepared-pool.js';
import type { ProvisionReadStore } from './provision-read.port.js';
import { provisionFromRow } from './provision-row.js';
import type { Database } from './schema.js';

/** Stand-ins for the two parameters while the query is compiled once (never sent). */
const ID_SLOT = '\u0000provision id';
const TENANT_SLOT = '\u0000tenant id';

const readQuery = (db: Kysely<Database>, id: string, tenantId: string) =>
  db
    .selectFrom('provisions as p')
    .leftJoin('janitor_marks as m', 'm.provision_id', 'p.id')
    .leftJoin('creation_progress as c', 'c.provision_id', 'p.id')
    .selectAll('p')
    .select([
      ...WARNING_SELECTION,
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
    .modifyEnd(PREPARE);

type ReadRow = Awaited<ReturnType<ReturnType<typeof readQuery>['executeTakeFirstOrThrow']>>;

const createProvisionReadStore = (db: Kysely<Database>): ProvisionReadStore => {
  // Built and compiled once per store: the text never changes, only the two values do, and
  // building the query through Kysely cost more of a warm read's CPU than sending it.
  let compiled: CompiledQuery<ReadRow> | undefined;
  const read = async (id: string, tenantId: string): Promise<ReadRow | undefined> => {
    compiled ??= readQuery(db, ID_SLOT, TENANT_SLOT).compile();
    const parameters = compiled.parameters.map((value) =>
      value === ID_SLOT ? id : value === TENANT_SLOT ? tenantId : value,
    );
    const { rows } = await db.executeQuery<ReadRow>({ ...compiled, parameters });
    return rows[0];
  };
  return {
    readProvision: async ({ id, tenantId }) => {
      const row = await read(id, tenantId);
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
  };
};

export { createProvisionReadStore };
