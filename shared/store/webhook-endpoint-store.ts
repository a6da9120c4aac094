import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import * as z from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhook-event.js';
import { parseColumn } from './provision-row.js';
import type { Database, WebhookAttemptsTable, WebhookEndpointsTable } from './schema.js';
import type { WebhookAttempt, WebhookEndpoint } from './store.port.js';
import type { WebhookEndpointStore } from './webhook-endpoint.port.js';

const eventTypesSchema = z.array(z.enum(WEBHOOK_EVENT_TYPES));
const outcomeSchema = z.enum(['delivered', 'retry', 'abandoned']);

const endpointFromRow = (row: Selectable<WebhookEndpointsTable>): WebhookEndpoint => ({
  id: row.id,
  tenantId: row.tenant_id,
  url: row.url,
  eventTypes: parseColumn(eventTypesSchema, row.event_types, {
    table: 'webhook_endpoints',
    id: row.id,
    column: 'event_types',
  }),
  description: row.description,
  disabledAt: row.disabled_at,
  disabledReason: row.disabled_reason,
  createdAt: row.created_at,
});

const attemptFromRow = (row: Selectable<WebhookAttemptsTable>): WebhookAttempt => ({
  deliveryId: row.delivery_id,
  series: row.series,
  attempt: row.attempt,
  at: row.at,
  status: row.status,
  error: row.error,
  durationMs: row.duration_ms,
  outcome: parseColumn(outcomeSchema, row.outcome, {
    table: 'webhook_attempts',
    id: row.delivery_id,
    column: 'outcome',
  }),
});

const createWebhookEndpointStore = (db: Kysely<Database>): WebhookEndpointStore => ({
  createWebhookEndpoint: async ({ id, tenantId, url, eventTypes, description, at }) => {
    const row = await db
      .insertInto('webhook_endpoints')
      .values({
        id,
        tenant_id: tenantId,
        url,
        event_types: [...eventTypes],
        description,
        disabled_at: null,
        disabled_reason: null,
        created_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return endpointFromRow(row);
  },

  listWebhookEndpoints: async ({ tenantId, afterId, limit }) => {
    let query = db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId);
    if (afterId !== undefined) query = query.where('id', '>', afterId);
    const rows = await query.orderBy('id').limit(limit).execute();
    return rows.map(endpointFromRow);
  },

  listSubscribedEndpoints: async ({ tenantId, eventType }) => {
    const rows = await db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('disabled_at', 'is', null)
      .where(sql<boolean>`(cardinality(event_types) = 0 or ${eventType} = any(event_types))`)
      .orderBy('id')
      .execute();
    return rows.map(endpointFromRow);
  },

  getWebhookEndpoint: async ({ id, tenantId }) => {
    let query = db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id);
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
    const row = await query.executeTakeFirst();
    return row === undefined ? null : endpointFromRow(row);
  },

  deleteWebhookEndpoint: async ({ id, tenantId }) => {
    const row = await db
      .deleteFrom('webhook_endpoints')
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  },

  enableWebhookEndpoint: async ({ id, tenantId }) => {
    const row = await db
      .updateTable('webhook_endpoints')
      .set({ disabled_at: null, disabled_reason: null })
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? null : endpointFromRow(row);
  },

  updateWebhookEndpoint: async (input) => {
    const row = await db
      .updateTable('webhook_endpoints')
      .set((eb) => ({
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.eventTypes !== undefined ? { event_types: [...input.eventTypes] } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.enabled === true ? { disabled_at: null, disabled_reason: null } : {}),
        ...(input.enabled === false
          ? {
              disabled_at: eb.fn.coalesce('disabled_at', eb.val(input.at)),
              disabled_reason: eb.fn.coalesce('disabled_reason', eb.val(input.disabledReason)),
            }
          : {}),
      }))
      .where('id', '=', input.id)
      .where('tenant_id', '=', input.tenantId)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? null : endpointFromRow(row);
  },

  disableWebhookEndpoint: async ({ id, reason, at }) => {
    await db
      .updateTable('webhook_endpoints')
      .set({ disabled_at: at, disabled_reason: reason })
      .where('id', '=', id)
      .where('disabled_at', 'is', null)
      .execute();
  },
});

export { attemptFromRow, createWebhookEndpointStore, endpointFromRow };
