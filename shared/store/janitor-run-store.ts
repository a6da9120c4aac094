import type { Kysely, Selectable } from 'kysely';
import * as z from 'zod';
import type { JanitorRun } from '../domain/janitor-run.js';
import type { JanitorRunStore } from './janitor-run.port.js';
import { parseColumn } from './provision-row.js';
import type { Database, JanitorRunsTable } from './schema.js';

/** The report's jsonb columns, checked on the way out like every stored document. */
const modeSchema = z.enum(['dry-run', 'live']);
const skippedSchema = z.record(
  z.string(),
  z.object({ count: z.number().int(), ids: z.array(z.string()) }),
);
const orphansSchema = z.array(
  z.object({
    clusterId: z.string(),
    regionId: z.string(),
    name: z.string(),
    provisionId: z.string(),
    why: z.string(),
    // Runs recorded before orphans were reaped only listed them.
    action: z.enum(['listed', 'waiting', 'would-reap', 'reaped', 'reap-failed']).default('listed'),
    reapAfter: z.string().optional(),
    detail: z.string().optional(),
  }),
);
const actionsSchema = z.array(
  z.object({
    provisionId: z.string(),
    action: z.enum(['warn', 'wait', 'cancel', 'delete', 'skip']),
    reason: z.string(),
    detail: z.string(),
    deleteAt: z.string().optional(),
  }),
);

const runFromRow = (row: Selectable<JanitorRunsTable>): JanitorRun => {
  const where = (column: string) => ({ table: 'janitor_runs', id: row.id, column });
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    mode: parseColumn(modeSchema, row.mode, where('mode')),
    examined: row.examined,
    warned: row.warned,
    deleted: row.deleted,
    cancelled: row.cancelled,
    skipped: parseColumn(skippedSchema, row.skipped, where('skipped')),
    orphans: parseColumn(orphansSchema, row.orphans, where('orphans')),
    actions: parseColumn(actionsSchema, row.actions, where('actions')),
    error: row.error,
  };
};

const reportColumns = (run: JanitorRun) => ({
  finished_at: run.finishedAt,
  examined: run.examined,
  warned: run.warned,
  deleted: run.deleted,
  cancelled: run.cancelled,
  skipped: JSON.stringify(run.skipped),
  orphans: JSON.stringify(run.orphans),
  actions: JSON.stringify(run.actions),
  error: run.error,
});

const createJanitorRunStore = (db: Kysely<Database>): JanitorRunStore => ({
  startJanitorRun: async (run) => {
    await db
      .insertInto('janitor_runs')
      .values({ id: run.id, started_at: run.startedAt, mode: run.mode, ...reportColumns(run) })
      .execute();
  },

  finishJanitorRun: async (run) => {
    await db.updateTable('janitor_runs').set(reportColumns(run)).where('id', '=', run.id).execute();
  },

  listJanitorRuns: async ({ beforeId, limit }) => {
    let query = db.selectFrom('janitor_runs').selectAll();
    if (beforeId !== undefined) query = query.where('id', '<', beforeId);
    const rows = await query.orderBy('id', 'desc').limit(limit).execute();
    return rows.map(runFromRow);
  },
});

export { createJanitorRunStore };
