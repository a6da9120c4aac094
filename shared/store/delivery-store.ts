import type { Insertable, Kysely } from 'kysely';
import { DomainError } from '../domain/errors.js';
import { deliveryFromRow } from './record-rows.js';
import type { Database, WebhookDeliveriesTable } from './schema.js';
import type { NewWebhookDelivery, Store } from './store.port.js';

/** Receivers can answer with whole HTML pages; the log keeps enough to tell what went wrong. */
const MAX_ERROR_LENGTH = 500;

type DeliveryStore = Pick<
  Store,
  'listDueDeliveries' | 'claimDelivery' | 'recordDeliveryAttempt' | 'listDeliveries'
>;

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
    const rows = await db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('delivered_at', 'is', null)
      .where('abandoned_at', 'is', null)
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(deliveryFromRow);
  },

  claimDelivery: async ({ id, now, leaseUntil }) => {
    // The WHERE re-checks "still due" under the row lock: of two senders racing for the same
    // delivery, the second finds next_attempt_at already pushed past `now` and updates nothing.
    const claimed = await db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: leaseUntil })
      .where('id', '=', id)
      .where('next_attempt_at', '<=', now)
      .where('delivered_at', 'is', null)
      .where('abandoned_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return claimed !== undefined;
  },

  recordDeliveryAttempt: async ({ id, at, status, error, outcome, nextAttemptAt }) => {
    if (outcome === 'retry' && nextAttemptAt === null) {
      throw new DomainError(
        'INTERNAL',
        `a retried webhook delivery (${id}) needs a next attempt time`,
      );
    }
    await db
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        last_status: status,
        last_error: error === null ? null : error.slice(0, MAX_ERROR_LENGTH),
        ...(outcome === 'delivered' ? { delivered_at: at } : {}),
        ...(outcome === 'abandoned' ? { abandoned_at: at } : {}),
        ...(outcome === 'retry' && nextAttemptAt !== null
          ? { next_attempt_at: nextAttemptAt }
          : {}),
      }))
      .where('id', '=', id)
      .execute();
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
});

export type { DeliveryStore };
export { createDeliveryStore, insertDeliveries };
