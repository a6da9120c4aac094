import { describe, expect, it } from 'vitest';
import { type ClusterChange, changeWebhookData } from '../../shared/domain/cluster-change.js';
import type { Provision } from '../../shared/domain/provision.js';
import type { ProvisionState } from '../../shared/domain/provision-state.js';
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
  type WebhookPayload,
  webhookPayloadFor,
  webhookTypeForState,
} from '../../shared/domain/webhook-event.js';
import { WEBHOOK_EVENT_DOCS } from '../../shared/webhooks/webhook-event-docs.js';

/**
 * The payload schemas OpenAPI's `webhooks` publish are those of what we really send: every
 * event type's payload, built as the outbox builds it, passes its documented (strict) schema.
 */

const NOW = new Date('2026-03-01T12:00:00.000Z');

const CHANGE: ClusterChange = {
  kind: 'endpoint-access',
  params: { enabled: true },
  id: 'chg_1',
  provisionId: 'prv_01hzzzzzzzabcdefghjkmnpqrs',
  tenantId: 'ten_1',
  state: 'running',
  ackTaskId: 'T-1',
  error: null,
  recorded: [],
  createdAt: NOW,
  updatedAt: NOW,
  finishedAt: null,
};

const provision = (state: ProvisionState, error: Provision['error'] = null): Provision => ({
  id: 'prv_01hzzzzzzzabcdefghjkmnpqrs',
  tenantId: 'ten_1',
  name: 'demo',
  region: 'cn-hangzhou',
  spec: {
    name: 'demo',
    region: 'cn-hangzhou',
    network: 'auto',
    serviceCidr: '172.21.0.0/20',
    endpointPublicAccess: false,
    clusterSpec: 'ack.standard',
    addons: [],
    labels: { team: 'data' },
    deletionProtection: false,
  },
  state,
  version: 3,
  clusterName: 'demo-abcdefghjk',
  clusterId: state === 'accepted' || state === 'cancelled' ? null : 'c0123456789abcdef',
  taskId: null,
  ackState: null,
  endpoints: null,
  createPendingAt: null,
  attempts: 0,
  leaseOwner: null,
  leaseUntil: null,
  error,
  labels: { team: 'data' },
  expiresAt: null,
  createdAt: NOW,
  updatedAt: NOW,
});

/** Each type's payload as its writer builds it (transition, janitor warning, cancellation). */
const payloadOf = (type: WebhookEventType): WebhookPayload => {
  const base = (p: Provision) => webhookPayloadFor(p, type, NOW);
  const deleteAt = '2026-03-01T12:15:00.000Z';
  switch (type) {
    case 'cluster.failed': {
      const payload = base(provision('failed', { code: 'ACK_CREATE_FAILED', message: 'no' }));
      return payload;
    }
    case 'cluster.expiring': {
      const payload = base(provision('running'));
      return { ...payload, data: { ...payload.data, deleteAt, reason: 'ttl' } };
    }
    case 'cluster.expiry_cancelled': {
      const payload = base(provision('running'));
      return {
        ...payload,
        data: { ...payload.data, deleteAt, reason: 'idle', why: 'new activity' },
      };
    }
    case 'cluster.provisioning':
      return base(provision('provisioning'));
    case 'cluster.running':
      return base(provision('running'));
    case 'cluster.deleted':
      return base(provision('deleted'));
    case 'cluster.cancelled':
      return base(provision('cancelled'));
    case 'cluster.updated':
    case 'cluster.update_failed': {
      const payload = base(provision('running'));
      const error =
        type === 'cluster.updated'
          ? null
          : { code: 'ACK_CHANGE_FAILED', message: "ACK's task T-1 failed in stage X (TaskFailed)" };
      return { ...payload, data: { ...payload.data, ...changeWebhookData(CHANGE, error) } };
    }
  }
};

describe('webhook payloads and their documented schemas', () => {
  it.each(WEBHOOK_EVENT_TYPES)('%s as sent passes its documented schema', (type) => {
    const sent = JSON.parse(JSON.stringify(payloadOf(type)));
    expect(WEBHOOK_EVENT_DOCS[type].schema.safeParse(sent)).toMatchObject({ success: true });
  });

  it('a payload of one type does not pass the schema of another', () => {
    const running = JSON.parse(JSON.stringify(payloadOf('cluster.running')));
    expect(WEBHOOK_EVENT_DOCS['cluster.expiring'].schema.safeParse(running).success).toBe(false);
    expect(WEBHOOK_EVENT_DOCS['cluster.deleted'].schema.safeParse(running).success).toBe(false);
  });

  it('the ping as the ping route sends it passes its schema', () => {
    const ping = {
      type: 'webhook.ping',
      timestamp: NOW.toISOString(),
      data: { endpointId: 'whe_1' },
    };
    expect(WEBHOOK_EVENT_DOCS['webhook.ping'].schema.safeParse(ping).success).toBe(true);
  });

  it('every state a caller sees change, but the in-between ones, is announced', () => {
    expect(webhookTypeForState('cancelled')).toBe('cluster.cancelled');
    expect(webhookTypeForState('deleted')).toBe('cluster.deleted');
    expect(webhookTypeForState('deleting')).toBeUndefined();
    expect(webhookTypeForState('accepted')).toBeUndefined();
  });
});
