import type { Kysely, Selectable } from 'kysely';
import * as z from 'zod';
import {
  CHANGE_STATES,
  type ClusterChange,
  changeRequestSchema,
  OPEN_CHANGE_STATES,
} from '../domain/cluster-change.js';
import { DomainError } from '../domain/errors.js';
import { insertAudit } from './audit-store.js';
import type { ChangeStore } from './change.port.js';
import { insertDeliveries } from './delivery-store.js';
import { appendEventRow } from './event-writer.js';
import {
  parseColumn,
  patchColumns,
  provisionFromRow,
  specForStorage,
  stateSchema,
} from './provision-row.js';
import { compareAndSet, insertOutboxRow, transitionRow } from './provision-store.js';
import type { ClusterChangesTable, Database } from './schema.js';
import { conflictOnDuplicate } from './sql-errors.js';

/** Internal: unwinds finishChange's transaction when the provision moved on. */
class StaleFinish extends Error {
  public constructor() {
    super('the provision moved on while its change was being finished');
    this.name = 'StaleFinish';
  }
}

const changeStateSchema = z.enum(CHANGE_STATES);
const errorSchema = z.object({ code: z.string(), message: z.string() }).nullable();
const recordedSchema = z.array(z.string());

const changeFromRow = (row: Selectable<ClusterChangesTable>): ClusterChange => {
  const where = (column: string) => ({ table: 'cluster_changes', id: row.id, column });
  const request = parseColumn(
    changeRequestSchema,
    { kind: row.kind, params: row.params },
    where('params'),
  );
  return {
    ...request,
    id: row.id,
    provisionId: row.provision_id,
    tenantId: row.tenant_id,
    state: parseColumn(changeStateSchema, row.state, where('state')),
    ackTaskId: row.ack_task_id,
    error: parseColumn(errorSchema, row.error, where('error')),
    recorded: parseColumn(recordedSchema, row.recorded, where('recorded')),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
};

/** A change whose job does not name its provision would wake the wrong row: refuse it. */
const mismatched = (jobProvision: string, provisionId: string): DomainError =>
  new DomainError('INTERNAL', `the outbox job names provision ${jobProvision}, not ${provisionId}`);

const createChangeStore = (
  db: Kysely<Database>,
  newId: (prefix: string) => string,
): ChangeStore => ({
  startChange: async ({ expectedVersion, transition, change, job, audit }) => {
    if (job.provisionId !== change.provisionId)
      throw mismatched(job.provisionId, change.provisionId);
    const outboxId = newId('obx');
    return conflictOnDuplicate(
      () =>
        db.transaction().execute(async (trx) => {
          const open = await trx
            .selectFrom('cluster_changes')
            .select('id')
            .where('provision_id', '=', change.provisionId)
            .where('state', 'in', [...OPEN_CHANGE_STATES])
            .executeTakeFirst();
          if (open !== undefined) return null;
          const row = await transitionRow(trx, {
            id: change.provisionId,
            expectedVersion,
            transition,
            webhooks: [],
          });
          if (row === undefined) return null;
          const inserted = await trx
            .insertInto('cluster_changes')
            .values({
              id: change.id,
              provision_id: change.provisionId,
              tenant_id: change.tenantId,
              kind: change.kind,
              params: JSON.stringify(change.params),
              state: 'pending',
              ack_task_id: null,
              error: null,
              recorded: '[]',
              created_at: change.createdAt,
              updated_at: change.createdAt,
              finished_at: null,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          await insertOutboxRow(trx, { id: outboxId, job, at: change.createdAt });
          if (audit !== undefined) await insertAudit(trx, audit());
          return { provision: provisionFromRow(row), change: changeFromRow(inserted), outboxId };
        }),
      `provision ${change.provisionId} already has a change under way`,
    );
  },

  getOpenChange: async ({ provisionId }) => {
    const row = await db
      .selectFrom('cluster_changes')
      .selectAll()
      .where('provision_id', '=', provisionId)
      .where('state', 'in', [...OPEN_CHANGE_STATES])
      .executeTakeFirst();
    return row === undefined ? null : changeFromRow(row);
  },

  listChanges: async ({ provisionId, limit }) => {
    const rows = await db
      .selectFrom('cluster_changes')
      .selectAll()
      .where('provision_id', '=', provisionId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(changeFromRow);
  },

  markChangeStarted: async ({ id, ackTaskId, at }) => {
    const result = await db
      .updateTable('cluster_changes')
      .set({ state: 'running', ack_task_id: ackTaskId, updated_at: at })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },

  recordChangeStages: ({ changeId, provisionId, stages, at }) =>
    db.transaction().execute(async (trx) => {
      // The provision's row lock orders these appends against transitions numbering events.
      const locked = await trx
        .selectFrom('provisions')
        .select('state')
        .where('id', '=', provisionId)
        .forUpdate()
        .executeTakeFirst();
      const row = await trx
        .selectFrom('cluster_changes')
        .selectAll()
        .where('id', '=', changeId)
        .executeTakeFirst();
      if (locked === undefined || row === undefined) return 0;
      const state = stateSchema.parse(locked.state);
      const recorded = new Set(changeFromRow(row).recorded);
      let written = 0;
      for (const { key, event } of stages) {
        if (recorded.has(key)) continue;
        recorded.add(key);
        await appendEventRow(trx, { provisionId, event: { ...event, state }, skipRepeat: false });
        written += 1;
      }
      if (written > 0) {
        await trx
          .updateTable('cluster_changes')
          .set({ recorded: JSON.stringify([...recorded]), updated_at: at })
          .where('id', '=', changeId)
          .execute();
      }
      return written;
    }),

  finishChange: ({
    provisionId,
    expectedVersion,
    transition,
    changeId,
    outcome,
    error,
    spec,
    webhooks,
  }) =>
    db
      .transaction()
      .execute(async (trx) => {
        const at = transition.event.at;
        const closed = await trx
          .updateTable('cluster_changes')
          .set({
            state: outcome,
            error: error === null ? null : JSON.stringify(error),
            updated_at: at,
            finished_at: at,
          })
          .where('id', '=', changeId)
          .where('state', 'in', [...OPEN_CHANGE_STATES])
          .executeTakeFirst();
        if (closed.numUpdatedRows === 0n) return null;
        const row = await compareAndSet(trx, {
          id: provisionId,
          expectedVersion,
          columns: {
            ...patchColumns(transition.patch),
            state: transition.to,
            ...(spec === undefined ? {} : { spec: specForStorage(spec) }),
          },
          at,
        });
        if (row === undefined) {
          // The change stays open: roll its close back with the transaction.
          throw new StaleFinish();
        }
        await appendEventRow(trx, { provisionId, event: transition.event, skipRepeat: false });
        await insertDeliveries(trx, webhooks, at);
        return provisionFromRow(row);
      })
      .catch((failure: unknown) => {
        if (failure instanceof StaleFinish) return null;
        throw failure;
      }),
});

export { changeFromRow, createChangeStore };
