import type { Kysely, Selectable } from 'kysely';
import type { Database, WebhookCircuitsTable } from './schema.js';
import type { WebhookCircuit, WebhookCircuitStore } from './webhook-circuit.port.js';

const circuitFromRow = (row: Selectable<WebhookCircuitsTable>): WebhookCircuit => ({
  tenantId: row.tenant_id,
  target: row.target,
  failures: row.failures,
  openedAt: row.opened_at,
  retryAt: row.retry_at,
  opens: row.opens,
  probeUntil: row.probe_until,
});

/** The circuits of the targets of these tenants' deliveries (rows exist only with failures). */
const listCircuitsOf = async (
  db: Kysely<Database>,
  tenantIds: readonly string[],
): Promise<WebhookCircuit[]> => {
  if (tenantIds.length === 0) return [];
  const rows = await db
    .selectFrom('webhook_circuits')
    .selectAll()
    .where('tenant_id', 'in', [...tenantIds])
    .execute();
  return rows.map(circuitFromRow);
};

const createWebhookCircuitStore = (db: Kysely<Database>): WebhookCircuitStore => ({
  listWebhookCircuits: async ({ tenantId, targets }) => {
    if (targets.length === 0) return [];
    const rows = await db
      .selectFrom('webhook_circuits')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('target', 'in', [...targets])
      .execute();
    return rows.map(circuitFromRow);
  },

  updateWebhookCircuit: ({ tenantId, target, at, update }) =>
    db.transaction().execute(async (trx) => {
      // Insert-if-absent first, so that two senders failing at once both find a row to lock.
      await trx
        .insertInto('webhook_circuits')
        .values({ tenant_id: tenantId, target, updated_at: at })
        .onConflict((oc) => oc.columns(['tenant_id', 'target']).doNothing())
        .execute();
      const row = await trx
        .selectFrom('webhook_circuits')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('target', '=', target)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const current = circuitFromRow(row);
      const untouched = current.failures === 0 && current.openedAt === null;
      const next = update(untouched ? null : current);
      if (next === null || (next.failures === 0 && next.openedAt === null)) {
        await trx
          .deleteFrom('webhook_circuits')
          .where('tenant_id', '=', tenantId)
          .where('target', '=', target)
          .execute();
        return null;
      }
      await trx
        .updateTable('webhook_circuits')
        .set({
          failures: next.failures,
          opened_at: next.openedAt,
          retry_at: next.retryAt,
          opens: next.opens,
          probe_until: next.probeUntil,
          updated_at: at,
        })
        .where('tenant_id', '=', tenantId)
        .where('target', '=', target)
        .execute();
      return next;
    }),
});

export { circuitFromRow, createWebhookCircuitStore, listCircuitsOf };
