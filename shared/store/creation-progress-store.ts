import type { Kysely, Selectable } from 'kysely';
import * as z from 'zod';
import { PROVISION_STATES } from '../domain/provision-state.js';
import type { CreationProgressStore, StoredCreationProgress } from './creation-progress.port.js';
import { appendEventRow } from './event-writer.js';
import type { CreationProgressTable, Database } from './schema.js';

const recordedSchema = z.array(z.string());
const stateSchema = z.enum(PROVISION_STATES);

const fromRow = (row: Selectable<CreationProgressTable>): StoredCreationProgress => ({
  provisionId: row.provision_id,
  taskId: row.task_id,
  stage: row.stage,
  completedStages: row.completed_stages,
  totalStages: row.total_stages,
  recorded: recordedSchema.parse(
    typeof row.recorded === 'string' ? JSON.parse(row.recorded) : row.recorded,
  ),
  checkedAt: row.checked_at,
});

const createCreationProgressStore = (db: Kysely<Database>): CreationProgressStore => ({
  getCreationProgress: async ({ provisionIds }) => {
    const result = new Map<string, StoredCreationProgress>();
    if (provisionIds.length === 0) return result;
    const rows = await db
      .selectFrom('creation_progress')
      .selectAll()
      .where('provision_id', 'in', [...provisionIds])
      .execute();
    for (const row of rows) result.set(row.provision_id, fromRow(row));
    return result;
  },

  recordCreationProgress: (input) =>
    db.transaction().execute(async (trx) => {
      // The row lock orders these appends against transitions numbering events from the same last.
      const locked = await trx
        .selectFrom('provisions')
        .select('state')
        .where('id', '=', input.provisionId)
        .forUpdate()
        .executeTakeFirst();
      if (locked === undefined) return 0;
      const state = stateSchema.parse(locked.state);
      const existing = await trx
        .selectFrom('creation_progress')
        .selectAll()
        .where('provision_id', '=', input.provisionId)
        .executeTakeFirst();
      const recorded = new Set(existing ? fromRow(existing).recorded : []);
      let written = 0;
      for (const { key, event } of input.stages) {
        if (recorded.has(key)) continue;
        recorded.add(key);
        await appendEventRow(trx, {
          provisionId: input.provisionId,
          event: { ...event, state },
          skipRepeat: false,
        });
        written += 1;
      }
      const values = {
        task_id: input.taskId,
        stage: input.progress.stage,
        completed_stages: input.progress.completedStages,
        total_stages: input.progress.totalStages,
        recorded: JSON.stringify([...recorded]),
        checked_at: input.checkedAt,
      };
      await trx
        .insertInto('creation_progress')
        .values({ provision_id: input.provisionId, ...values })
        .onConflict((conflict) => conflict.column('provision_id').doUpdateSet(values))
        .execute();
      return written;
    }),
});

export { createCreationProgressStore, fromRow as creationProgressFromRow };
