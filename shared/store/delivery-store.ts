import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import { DomainError } from '../domain/errors.js';
import type { DeliveryStore } from './delivery.port.js';
import { deliveryFromRow } from './record-rows.js';
import type { Database, WebhookDeliveriesTable } from './schema.js';
import type { NewWebhookDelivery } from './store.port.js';
import { listCircuitsOf } from './webhook-circuit-store.js';
import { attemptFromRow } from './webhook-endpoint-store.js';

/** The advisory lock every sender's claim transaction takes (any constant; ours alone). */
const CLAIM_LOCK = 0x61736b70_01;

/** Receivers can answer with whole HTML pages; the log keeps enough to tell what went wrong. */
const MAX_ERROR_LENGTH = 500;

/** Written inside the transition's transaction, so a webhook exists exactly when its state does. */
const insertDeliveries = async (
  trx: Kysely<Database>,
  webhooks: readonly NewWebhookDelivery[],
  createdAt: Date,
): Promise<void> => {
  if (webhooks.length === 0) return;
  const rows = webhooks.map(
    (webhook): Insertable<WebhookDeliveriesTable> => ({
      id: webhook.id,
      event_id: webhook.eventId ?? webhook.id,
      endpoint_id: webhook.endpointId ?? null,
      tenant_id: webhook.tenantId,
      provision_id: webhook.provisionId,
      url: webhook.url,
      event_type: webhook.eventType,
      payload: webhook.payload,
      next_attempt_at: webhook.nextAttemptAt,
      attempts: 0,
      last_status: null,
      last_error: null,
      delivered_at: null,
      abandoned_at: null,
      created_at: createdAt,
    }),
  );
  await trx.insertInto('webhook_deliveries').values(rows).execute();
};

const createDeliveryStore = (db: Kysely<Database>): DeliveryStore => ({
  listDueDeliveries: async ({ now, limit }) => {
    // Round-robin across tenants: rank each due row within its tenant (oldest first), then take
    // the first of every tenant, the second of every tenant, … so a tenant with thousands due
    // cannot fill the batch (issue 13: one tenant's backlog delayed every other tenant's).
    const due = db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .select(
        sql<number>`row_number() over (partition by tenant_id order by next_attempt_at, id)`.as(
          'tenant_rank',
        ),
      )
      .where('delivered_at', 'is', null)
      .where('abandoned_at', 'is', null)
      .where('next_attempt_at', '<=', now)
      .as('due');
    const rows = await db
      .selectFrom(due)
      .selectAll()
      .orderBy('tenant_rank')
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(deliveryFromRow);
  },

  claimDeliveries: ({ now, leaseUntil, tenantIds, plan }) =>
    db.transaction().execute(async (trx) => {
      // Every sender's claim goes through this lock, so the caps are counted over claims that
      // are all visible: two instances cannot both see a tenant below its cap and both fill it.
      // Held for a few statements only; no request is sent under it.
      await sql`select pg_advisory_xact_lock(${CLAIM_LOCK}::bigint)`.execute(trx);
      const inFlight = await trx
        .selectFrom('webhook_deliveries')
        .select(['tenant_id', 'endpoint_id', 'url'])
        .where('claimed_until', '>', now)
        .where('delivered_at', 'is', null)
        .where('abandoned_at', 'is', null)
        .execute();
      const view = {
        inFlight: inFlight.map((row) => ({
          tenantId: row.tenant_id,
          endpointId: row.endpoint_id,
          url: row.url,
        })),
        circuits: await listCircuitsOf(trx, tenantIds),
      };
      const decided = plan(view);
      const claimed =
        decided.claim.length === 0
          ? []
          : await trx
              .updateTable('webhook_deliveries')
              .set({ next_attempt_at: leaseUntil, claimed_until: leaseUntil })
              .where('id', 'in', decided.claim)
              .where('next_attempt_at', '<=', now)
              .where('delivered_at', 'is', null)
              .where('abandoned_at', 'is', null)
              .returning('id')
              .execute();
      for (const probe of decided.probes) {
        await trx
          .updateTable('webhook_circuits')
          .set({ probe_until: leaseUntil, updated_at: now })
          .where('tenant_id', '=', probe.tenantId)
          .where('target', '=', probe.target)
          .execute();
      }
      const deferred: string[] = [];
      for (const group of decided.defer) {
        if (group.ids.length === 0) continue;
        // Rescheduled, not attempted: `attempts` stays, so an outage does not use up the
        // delivery's retry schedule.
        const moved = await trx
          .updateTable('webhook_deliveries')
          .set({ next_attempt_at: group.until })
          .where('id', 'in', group.ids)
          .where('next_attempt_at', '<=', now)
          .where('delivered_at', 'is', null)
          .where('abandoned_at', 'is', null)
          .returning('id')
          .execute();
        deferred.push(...moved.map((row) => row.id));
      }
      return { claimed: claimed.map((row) => row.id), deferred, view };
    }),

  claimDelivery: async ({ id, now, leaseUntil }) => {
    // The WHERE re-checks "still due" under the row lock: of two senders racing for the same
    // delivery, the second finds next_attempt_at already pushed past `now` and updates nothing.
    const claimed = await db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: leaseUntil, claimed_until: leaseUntil })
      .where('id', '=', id)
      .where('next_attempt_at', '<=', now)
      .where('delivered_at', 'is', null)
      .where('abandoned_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return claimed !== undefined;
  },

  recordDeliveryAttempt: async (input) => {
    const { id, at, status, outcome, nextAttemptAt, series } = input;
    if (outcome === 'retry' && nextAttemptAt === null) {
      throw new DomainError(
        'INTERNAL',
        `a retried webhook delivery (${id}) needs a next attempt time`,
      );
    }
    const error = input.error === null ? null : input.error.slice(0, MAX_ERROR_LENGTH);
    await db.transaction().execute(async (trx) => {
      let update = trx
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_status: status,
          last_error: error,
          claimed_until: null,
          ...(outcome === 'delivered' ? { delivered_at: at } : {}),
          ...(outcome === 'abandoned' ? { abandoned_at: at } : {}),
          ...(outcome === 'retry' && nextAttemptAt !== null
            ? { next_attempt_at: nextAttemptAt }
            : {}),
        }))
        .where('id', '=', id);
      // A redelivery that started a new series meanwhile keeps the row; the attempt is logged.
      if (series !== undefined) update = update.where('series', '=', series);
      const row = await update.returning('series').executeTakeFirst();
      const attemptSeries = row?.series ?? series;
      if (attemptSeries === undefined) return;
      await trx
        .insertInto('webhook_attempts')
        .values({
          delivery_id: id,
          series: attemptSeries,
          attempt: sql<number>`(select coalesce(max(attempt), 0) + 1 from webhook_attempts
            where delivery_id = ${id} and series = ${attemptSeries})`,
          at,
          status,
          error,
          duration_ms: input.durationMs ?? null,
          outcome,
        })
        .execute();
    });
  },

  recordDeliveryAttempts: async (attempts) => {
    if (attempts.length === 0) return;
    for (const attempt of attempts) {
      if (attempt.outcome === 'retry' && attempt.nextAttemptAt === null) {
        throw new DomainError(
          'INTERNAL',
          `a retried webhook delivery (${attempt.id}) needs a next attempt time`,
        );
      }
    }
    // One JSON parameter (not one array per column): the same text on pg and PGlite, nulls kept.
    const input = JSON.stringify(
      attempts.map((attempt) => ({
        id: attempt.id,
        series: attempt.series,
        at: attempt.at.toISOString(),
        status: attempt.status,
        error: attempt.error === null ? null : attempt.error.slice(0, MAX_ERROR_LENGTH),
        outcome: attempt.outcome,
        next_attempt_at: attempt.nextAttemptAt?.toISOString() ?? null,
        duration_ms: attempt.durationMs,
      })),
    );
    // One statement: the deliveries' update runs as a data-modifying CTE (PostgreSQL runs it to
    // completion whether or not the insert reads it); each attempt's number is the next of its
    // delivery and series, as in recordDeliveryAttempt.
    await sql`
      with finished as (
        select * from jsonb_to_recordset(${input}::jsonb) as f(
          id text, series integer, at timestamptz, status integer, error text,
          outcome text, next_attempt_at timestamptz, duration_ms integer)
      ),
      updated as (
        update webhook_deliveries d set
          attempts = d.attempts + 1,
          last_status = f.status,
          last_error = f.error,
          claimed_until = null,
          delivered_at = case when f.outcome = 'delivered' then f.at else d.delivered_at end,
          abandoned_at = case when f.outcome = 'abandoned' then f.at else d.abandoned_at end,
          next_attempt_at =
            case when f.outcome = 'retry' then f.next_attempt_at else d.next_attempt_at end
        from finished f
        where d.id = f.id and d.series = f.series
        returning d.id
      )
      insert into webhook_attempts
        (delivery_id, series, attempt, at, status, error, duration_ms, outcome)
      select f.id, f.series,
        (select coalesce(max(a.attempt), 0) + 1 from webhook_attempts a
          where a.delivery_id = f.id and a.series = f.series),
        f.at, f.status, f.error, f.duration_ms, f.outcome
      from finished f`.execute(db);
  },

  listDeliveries: async ({ provisionId }) => {
    const rows = await db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('provision_id', '=', provisionId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(deliveryFromRow);
  },

  listTenantDeliveries: async ({ tenantId, provisionId, status, afterId, limit }) => {
    let query = db.selectFrom('webhook_deliveries').selectAll().where('tenant_id', '=', tenantId);
    if (provisionId !== undefined) query = query.where('provision_id', '=', provisionId);
    if (afterId !== undefined) query = query.where('id', '>', afterId);
    if (status === 'delivered') query = query.where('delivered_at', 'is not', null);
    if (status === 'abandoned') query = query.where('abandoned_at', 'is not', null);
    if (status === 'pending') {
      query = query.where('delivered_at', 'is', null).where('abandoned_at', 'is', null);
    }
    const rows = await query.orderBy('id').limit(limit).execute();
    return rows.map(deliveryFromRow);
  },

  getDelivery: async ({ id, tenantId }) => {
    const row = await db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return row === undefined ? null : deliveryFromRow(row);
  },

  listDeliveryAttempts: async ({ deliveryIds }) => {
    if (deliveryIds.length === 0) return [];
    const rows = await db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('delivery_id', 'in', [...deliveryIds])
      .orderBy('delivery_id')
      .orderBy('series')
      .orderBy('attempt')
      .execute();
    return rows.map(attemptFromRow);
  },

  redeliverDelivery: async ({ id, tenantId, at, requestedBy }) => {
    const row = await db
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        next_attempt_at: at,
        attempts: 0,
        series: eb('series', '+', 1),
        delivered_at: null,
        abandoned_at: null,
        redelivered_at: at,
        redelivered_by: requestedBy,
      }))
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? null : deliveryFromRow(row);
  },
});

export { createDeliveryStore, insertDeliveries };
