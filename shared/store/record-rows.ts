import type { Selectable } from 'kysely';
import * as z from 'zod';
import { jobSchema } from '../domain/job.js';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhook-event.js';
import { parseColumn } from './provision-row.js';
import type { ApiKeysTable, OutboxTable, TenantsTable, WebhookDeliveriesTable } from './schema.js';
import type { ApiKeyRecord, OutboxEntry, Tenant, WebhookDelivery } from './store.port.js';

/** Rows of the smaller tables → port records; the provision itself is in provision-row.ts. */

const eventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);

const outboxFromRow = (row: Selectable<OutboxTable>): OutboxEntry => {
  const body = parseColumn(jobSchema, row.body, { table: 'outbox', id: row.id, column: 'body' });
  return {
    id: row.id,
    provisionId: row.provision_id,
    // The body is the job as it will be sent; its kind is the one that counts.
    kind: body.kind,
    body,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    attempts: row.attempts,
    lastAttemptAt: row.last_attempt_at,
  };
};

const deliveryFromRow = (row: Selectable<WebhookDeliveriesTable>): WebhookDelivery => ({
  id: row.id,
  tenantId: row.tenant_id,
  provisionId: row.provision_id,
  url: row.url,
  eventType: parseColumn(eventTypeSchema, row.event_type, {
    table: 'webhook_deliveries',
    id: row.id,
    column: 'event_type',
  }),
  payload: row.payload,
  nextAttemptAt: row.next_attempt_at,
  attempts: row.attempts,
  lastStatus: row.last_status,
  lastError: row.last_error,
  deliveredAt: row.delivered_at,
  abandonedAt: row.abandoned_at,
  createdAt: row.created_at,
  eventId: row.event_id,
  endpointId: row.endpoint_id,
  series: row.series,
  redeliveredAt: row.redelivered_at,
  redeliveredBy: row.redelivered_by,
});

const tenantFromRow = (row: Selectable<TenantsTable>): Tenant => ({
  id: row.id,
  name: row.name,
  webhookSecret: row.webhook_secret,
  previousWebhookSecret: row.previous_webhook_secret,
  previousSecretExpiresAt: row.previous_secret_expires_at,
  createdAt: row.created_at,
});

const apiKeyFromRow = (row: Selectable<ApiKeysTable>): ApiKeyRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  secretHash: row.secret_hash,
  scopes: row.scopes,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  createdAt: row.created_at,
  name: row.name,
  lastUsedAt: row.last_used_at,
});

export { apiKeyFromRow, deliveryFromRow, outboxFromRow, tenantFromRow };
