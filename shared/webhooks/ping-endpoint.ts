import * as z from 'zod';
import type { Clock } from '../clock.js';
import { DomainError } from '../domain/errors.js';
import { WEBHOOK_PING } from '../domain/webhook-event.js';
import { newId } from '../ids.js';
import type { TenantStore } from '../store/tenant.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { getWebhookEndpoint } from './manage-endpoints.js';
import { signingSecrets, signWebhook } from './signature.js';
import type { WebhookSender } from './webhook-sender.js';

/**
 * `POST /v1/webhooks/endpoints/{id}:ping`: one signed `webhook.ping` event, sent at once to the
 * endpoint (disabled or not: a ping is how a receiver is checked before it is enabled again),
 * through the same SSRF-guarded sender and with the same headers and signature as every
 * delivery. Nothing is queued or retried and the delivery log is not touched: the answer is the
 * attempt's outcome.
 */

const pingResultSchema = z
  .object({
    eventId: z.string().describe('the webhook-id the ping carried (evt_…)'),
    endpointId: z.string(),
    delivered: z.boolean().describe('the receiver answered 2xx'),
    status: z.number().int().nullable().describe("the receiver's HTTP status; null without one"),
    error: z.string().nullable().describe('why there was no answer (refused: …, error: …)'),
    durationMs: z.number().int(),
  })
  .strict();

type PingResult = z.output<typeof pingResultSchema>;

const pingWebhookEndpoint = async (
  deps: {
    store: WebhookEndpointStore & TenantStore;
    clock: Clock;
    sender: WebhookSender;
    elapsed?: () => number;
  },
  input: { tenantId: string; id: string },
): Promise<PingResult> => {
  const endpoint = await getWebhookEndpoint(deps, input);
  const tenant = await deps.store.getTenant(input.tenantId);
  if (!tenant) throw new DomainError('NOT_FOUND', `webhook endpoint ${input.id} not found`);
  const now = deps.clock.now();
  const eventId = newId('evt', now.getTime());
  const payload = JSON.stringify({
    type: WEBHOOK_PING,
    timestamp: now.toISOString(),
    data: { endpointId: endpoint.id },
  });
  const headers = signWebhook({
    secrets: signingSecrets(tenant, now),
    id: eventId,
    at: now,
    payload,
  });
  const elapsed = deps.elapsed ?? (() => performance.now());
  const started = elapsed();
  const result = await deps.sender.send({
    url: endpoint.url,
    body: payload,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'ask-provisioner-webhooks/1',
      ...headers,
    },
  });
  const durationMs = Math.max(0, Math.round(elapsed() - started));
  const status = result.kind === 'response' ? result.status : null;
  return {
    eventId,
    endpointId: endpoint.id,
    delivered: status !== null && status >= 200 && status < 300,
    status,
    error: result.kind === 'response' ? null : `${result.kind}: ${result.reason}`,
    durationMs,
  };
};

export type { PingResult };
export { pingResultSchema, pingWebhookEndpoint, WEBHOOK_PING };
