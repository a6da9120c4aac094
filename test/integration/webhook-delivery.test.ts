import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { rotateWebhookSecret } from '../../shared/access/rotate-webhook-secret.js';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import type { Provision } from '../../shared/domain/provision.js';
import type { ProvisionState } from '../../shared/domain/provision-state.js';
import type { WebhookEventType } from '../../shared/domain/webhook-event.js';
import { newId } from '../../shared/ids.js';
import { createLogger } from '../../shared/logger.js';
import {
  commitTransition,
  type JobOwingState,
} from '../../shared/provisioning/commit-transition.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import type { Store } from '../../shared/store/store.port.js';
import { budgetUntil } from '../../shared/time-budget.js';
import { deliverDueWebhooks } from '../../shared/webhooks/deliver-webhooks.js';
import { redeliver } from '../../shared/webhooks/delivery-log.js';
import { createWebhookEndpoint } from '../../shared/webhooks/manage-endpoints.js';
import { newWebhookSecret } from '../../shared/webhooks/signature.js';
import { webhookDeliveriesFor } from '../../shared/webhooks/webhook-deliveries.js';
import { createWebhookSender } from '../../shared/webhooks/webhook-sender.js';
import {
  type ReceivedWebhook,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../support/webhook-receiver.js';

/**
 * Webhook delivery end to end below the API: transitions fan out to the per-request URL and the
 * tenant's subscribed endpoints (one row per target, one event id), the poller's delivery step
 * signs and sends them to real loopback receivers, and every attempt lands in the log. `Date` is
 * faked (timers stay real) so the public standardwebhooks library checks timestamps against the
 * same clock that signed them.
 */
const clock = { now: () => new Date() };
const silent = createLogger({ level: 'error', write: () => {} });

let store: Store;
let closeDb: () => Promise<void>;
const receivers: WebhookReceiver[] = [];

const receiver = async (): Promise<WebhookReceiver> => {
  const started = await startWebhookReceiver();
  receivers.push(started);
  return started;
};

const advance = (ms: number) => vi.setSystemTime(new Date(Date.now() + ms));

const deliver = (within?: Parameters<typeof deliverDueWebhooks>[2]) =>
  deliverDueWebhooks(
    {
      store,
      sender: createWebhookSender({
        timeoutMs: 2000,
        allowHttp: true,
        allowedCidrs: ['127.0.0.0/8'],
      }),
      clock,
      logger: silent,
      attemptLeaseMs: 30_000,
      random: () => 0.5,
    },
    100,
    within,
  );

const newTenant = async (): Promise<{ id: string; secret: string }> => {
  const id = newId('tnt');
  const secret = newWebhookSecret();
  await store.createTenant({ id, name: id, webhookSecret: secret, at: clock.now() });
  return { id, secret };
};

const newProvision = async (tenantId: string, webhookUrl?: string): Promise<Provision> => {
  const id = newId('prv');
  const now = clock.now();
  const spec = createClusterRequestSchema.parse({
    name: 'hooks',
    region: 'cn-hangzhou',
    ...(webhookUrl ? { webhook: { url: webhookUrl } } : {}),
  });
  const { provision } = await store.createProvision({
    provision: {
      id,
      tenantId,
      name: 'hooks',
      region: 'cn-hangzhou',
      spec,
      clusterName: `hooks-${id.slice(-10)}`,
      labels: {},
      expiresAt: null,
      createdAt: now,
    },
    event: { type: 'accepted', state: 'accepted', message: 'test', source: 'service', at: now },
    job: { v: 1, kind: 'create', provisionId: id },
  });
  return provision;
};

const move = async (
  provision: Provision,
  to: Exclude<ProvisionState, JobOwingState>,
): Promise<Provision> => {
  const moved = await commitTransition(store, provision, to, {
    reason: `test.${to}`,
    message: `to ${to}`,
    now: clock.now(),
  });
  if (!moved) throw new Error('stale');
  return moved;
};

const endpoint = async (tenantId: string, url: string, eventTypes: WebhookEventType[] = []) =>
  createWebhookEndpoint({ store, clock }, { tenantId, request: { url, eventTypes } });

const verifies = (secret: string, hook: ReceivedWebhook): boolean => {
  try {
    new Webhook(secret).verify(hook.body, hook.headers, { jsonParse: false });
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
};

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2027-03-01T08:00:00Z'));
  const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
  await migrateToLatest(opened.db);
  store = createKyselyStore({ db: opened.db });
  closeDb = opened.close;
});

afterEach(async () => {
  // Nothing left due from one test may be sent by the next.
  advance(100 * 3_600_000);
  await deliver();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

afterAll(async () => {
  await closeDb?.();
  vi.useRealTimers();
});

describe('fan-out to the tenant’s endpoints', () => {
  it('sends one event to the request’s URL and every subscribed, enabled endpoint', async () => {
    const tenant = await newTenant();
    const [perRequest, all, running, onlyFailed, disabled] = await Promise.all(
      Array.from({ length: 5 }, () => receiver()),
    );
    if (!perRequest || !all || !running || !onlyFailed || !disabled) throw new Error('receivers');
    await endpoint(tenant.id, all.url);
    await endpoint(tenant.id, running.url, ['cluster.running', 'cluster.provisioning']);
    await endpoint(tenant.id, onlyFailed.url, ['cluster.failed']);
    const off = await endpoint(tenant.id, disabled.url);
    await store.disableWebhookEndpoint({ id: off.id, reason: 'gone (410)', at: clock.now() });
    // Another tenant's endpoint never hears of this tenant's clusters.
    const stranger = await receiver();
    await endpoint((await newTenant()).id, stranger.url);

    const provision = await move(await newProvision(tenant.id, perRequest.url), 'provisioning');
    const rows = await store.listDeliveries({ provisionId: provision.id });
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((row) => row.id)).size).toBe(3);
    expect(new Set(rows.map((row) => row.eventId)).size).toBe(1);
    expect(rows.every((row) => row.id.startsWith('whd_') && row.eventId.startsWith('evt_'))).toBe(
      true,
    );

    expect(await deliver()).toMatchObject({ delivered: 3, abandoned: 0 });
    for (const got of [perRequest, all, running]) {
      expect(got.received).toHaveLength(1);
      const [hook] = got.received;
      if (!hook) throw new Error('no hook');
      expect(hook.headers['webhook-id']).toBe(rows[0]?.eventId);
      expect(verifies(tenant.secret, hook)).toBe(true);
      expect(JSON.parse(hook.body)).toMatchObject({
        type: 'cluster.provisioning',
        data: { id: provision.id },
      });
    }
    expect(onlyFailed.received).toEqual([]);
    expect(disabled.received).toEqual([]);
    expect(stranger.received).toEqual([]);
  });

  it('builds the janitor’s cluster.expiring rows with extra payload data', async () => {
    const tenant = await newTenant();
    const target = await receiver();
    await endpoint(tenant.id, target.url, ['cluster.expiring']);
    const provision = await newProvision(tenant.id, 'https://hooks.example.com/x');
    const rows = await webhookDeliveriesFor({
      store,
      provision,
      type: 'cluster.expiring',
      payloadData: { deleteAt: '2027-03-02T08:00:00.000Z', reason: 'ttl' },
      now: clock.now(),
      eventId: 'evt_0000000000janitorwarning0',
    });
    expect(rows.map((row) => row.endpointId === null)).toEqual([true, false]);
    expect(rows.every((row) => row.eventId === 'evt_0000000000janitorwarning0')).toBe(true);
    expect(JSON.parse(rows[1]?.payload ?? '{}')).toMatchObject({
      type: 'cluster.expiring',
      data: { id: provision.id, deleteAt: '2027-03-02T08:00:00.000Z', reason: 'ttl' },
    });
    expect(
      await webhookDeliveriesFor({ store, provision, type: 'cluster.failed', now: clock.now() }),
    ).toHaveLength(1);
  });
});

describe('410 Gone', () => {
  it('disables the endpoint, abandons the delivery, and later events skip it', async () => {
    const tenant = await newTenant();
    const gone = await receiver();
    gone.status = 410;
    const registered = await endpoint(tenant.id, gone.url);
    const provision = await move(await newProvision(tenant.id), 'provisioning');
    expect(await deliver()).toMatchObject({ abandoned: 1 });
    const after = await store.getWebhookEndpoint({ id: registered.id });
    expect(after).toMatchObject({ disabledReason: 'gone (410)' });
    expect(after?.disabledAt).not.toBeNull();
    const [row] = await store.listDeliveries({ provisionId: provision.id });
    expect(row).toMatchObject({
      lastStatus: 410,
      lastError: 'endpoint disabled: gone (410)',
      attempts: 1,
    });
    expect(row?.abandonedAt).not.toBeNull();
    // The attempt log says why the delivery ended, as the docs promise.
    expect(await store.listDeliveryAttempts({ deliveryIds: [row?.id ?? ''] })).toMatchObject([
      { status: 410, outcome: 'abandoned', error: 'endpoint disabled: gone (410)' },
    ]);

    await move(provision, 'running');
    expect(await store.listDeliveries({ provisionId: provision.id })).toHaveLength(1);
    await deliver();
    expect(gone.received).toHaveLength(1);
  });

  it('abandons a pending delivery whose endpoint was disabled or deleted meanwhile', async () => {
    const tenant = await newTenant();
    const target = await receiver();
    const registered = await endpoint(tenant.id, target.url);
    const provision = await move(await newProvision(tenant.id), 'provisioning');
    await store.deleteWebhookEndpoint({ id: registered.id, tenantId: tenant.id });
    expect(await deliver()).toMatchObject({ abandoned: 1, delivered: 0 });
    expect(target.received).toEqual([]);
    const [row] = await store.listDeliveries({ provisionId: provision.id });
    const attempts = await store.listDeliveryAttempts({ deliveryIds: [row?.id ?? ''] });
    expect(attempts).toMatchObject([{ outcome: 'abandoned', error: 'endpoint deleted' }]);
  });

  it('only abandons the delivery to a per-request URL', async () => {
    const tenant = await newTenant();
    const gone = await receiver();
    gone.status = 410;
    const provision = await move(await newProvision(tenant.id, gone.url), 'provisioning');
    expect(await deliver()).toMatchObject({ abandoned: 1 });
    const [row] = await store.listDeliveries({ provisionId: provision.id });
    expect(await store.listDeliveryAttempts({ deliveryIds: [row?.id ?? ''] })).toMatchObject([
      { status: 410, outcome: 'abandoned', error: 'gone (410)' },
    ]);
    await move(provision, 'running');
    await deliver();
    // The next event still goes to the request's URL: only endpoints are disabled.
    expect(gone.received).toHaveLength(2);
  });
});

describe('the delivery log and redelivery', () => {
  it('records every attempt, and a redelivery resends the same webhook-id freshly signed', async () => {
    const tenant = await newTenant();
    const target = await receiver();
    target.status = 503;
    const provision = await move(await newProvision(tenant.id, target.url), 'provisioning');
    await deliver();
    advance(6_000);
    await deliver();
    target.status = 204;
    advance(6 * 60_000);
    await deliver();
    const [row] = await store.listDeliveries({ provisionId: provision.id });
    if (!row) throw new Error('no row');
    expect(row.deliveredAt).not.toBeNull();
    const log = await store.listDeliveryAttempts({ deliveryIds: [row.id] });
    expect(log.map((a) => [a.series, a.attempt, a.status, a.outcome])).toEqual([
      [1, 1, 503, 'retry'],
      [1, 2, 503, 'retry'],
      [1, 3, 204, 'delivered'],
    ]);
    expect(log.every((a) => a.durationMs !== null && a.durationMs >= 0)).toBe(true);

    advance(3_600_000);
    const queued = await redeliver(
      { store, clock, config: { webhooks: { redeliver: { perMinute: 30, burst: 10 } } } },
      { tenantId: tenant.id, id: row.id, requestedBy: 'key0001' },
    );
    expect(queued.delivery).toMatchObject({
      series: 2,
      attempts: 0,
      deliveredAt: null,
      redeliveredBy: 'key0001',
    });
    expect(await deliver()).toMatchObject({ delivered: 1 });
    const [first, , third, again] = target.received;
    if (!first || !third || !again) throw new Error('missing hooks');
    expect(again.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(again.headers['webhook-id']).toBe(row.eventId);
    expect(again.headers['webhook-timestamp']).not.toBe(third.headers['webhook-timestamp']);
    expect(again.headers['webhook-signature']).not.toBe(third.headers['webhook-signature']);
    expect(verifies(tenant.secret, again)).toBe(true);
    const after = await store.listDeliveryAttempts({ deliveryIds: [row.id] });
    expect(after.at(-1)).toMatchObject({ series: 2, attempt: 1, status: 204 });
  });

  it('keeps a redelivered row out of the way of an attempt of the old series', async () => {
    const tenant = await newTenant();
    const provision = await move(
      await newProvision(tenant.id, 'https://x.example/h'),
      'provisioning',
    );
    const [row] = await store.listDeliveries({ provisionId: provision.id });
    if (!row) throw new Error('no row');
    await store.redeliverDelivery({
      id: row.id,
      tenantId: tenant.id,
      at: clock.now(),
      requestedBy: 'k',
    });
    await store.recordDeliveryAttempt({
      id: row.id,
      at: clock.now(),
      status: 500,
      error: null,
      outcome: 'abandoned',
      nextAttemptAt: null,
      series: 1,
    });
    const [after] = await store.listDeliveries({ provisionId: provision.id });
    expect(after).toMatchObject({ series: 2, attempts: 0, abandonedAt: null });
    expect(await store.listDeliveryAttempts({ deliveryIds: [row.id] })).toMatchObject([
      { series: 1, attempt: 1, outcome: 'abandoned' },
    ]);
    await store.recordDeliveryAttempt({
      id: row.id,
      at: clock.now(),
      status: 204,
      error: null,
      outcome: 'delivered',
      nextAttemptAt: null,
      series: 2,
    });
  });
});

describe('secret rotation', () => {
  it('signs with new and old secrets for 24 hours, each verifying alone; then the new only', async () => {
    const tenant = await newTenant();
    const target = await receiver();
    const rotated = await rotateWebhookSecret({ store, clock }, { tenantId: tenant.id });
    expect(rotated.webhookSecret).toMatch(/^whsec_/);
    expect(rotated.webhookSecret).not.toBe(tenant.secret);
    expect(rotated.previousSecretExpiresAt).toEqual(new Date(Date.now() + 24 * 3_600_000));

    const provision = await move(await newProvision(tenant.id, target.url), 'provisioning');
    advance(23 * 3_600_000);
    await deliver();
    const [during] = target.received;
    if (!during) throw new Error('no hook');
    expect(during.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(during.headers['webhook-signature']).toMatch(/^v1,\S+ v1,\S+$/);
    expect(verifies(rotated.webhookSecret, during)).toBe(true);
    expect(verifies(tenant.secret, during)).toBe(true);
    expect(verifies(newWebhookSecret(), during)).toBe(false);

    advance(2 * 3_600_000);
    await move(provision, 'running');
    await deliver();
    const [, after] = target.received;
    if (!after) throw new Error('no hook');
    expect(after.headers['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(verifies(rotated.webhookSecret, after)).toBe(true);
    expect(verifies(tenant.secret, after)).toBe(false);
  });
});

describe('an address the SSRF guard refuses', () => {
  it('abandons the delivery at its first attempt instead of retrying for days', async () => {
    const tenant = await newTenant();
    // Written below the API (which refuses it at registration): a row from before that check.
    const provision = await move(
      await newProvision(tenant.id, 'http://[::ffff:0:a9fe:a9fe]/latest/meta-data'),
      'provisioning',
    );
    expect(await deliver()).toMatchObject({ abandoned: 1, retrying: 0, delivered: 0 });
    const [row] = await store.listDeliveries({ provisionId: provision.id });
    expect(row?.abandonedAt).not.toBeNull();
    const attempts = await store.listDeliveryAttempts({ deliveryIds: [row?.id ?? ''] });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ outcome: 'abandoned' });
    expect(attempts[0]?.error).toContain('cloud metadata address');
  });
});

describe('a tick out of time', () => {
  it('starts no attempt that could not finish in the budget, and leaves the deliveries due', async () => {
    const tenant = await newTenant();
    const target = await receiver();
    const provision = await move(await newProvision(tenant.id, target.url), 'provisioning');
    // 1.5 s left, an attempt may take 2 s: none starts.
    const tally = await deliver({ budget: budgetUntil(Date.now() + 1500), attemptMs: 2000 });
    expect(tally).toMatchObject({ delivered: 0, retrying: 0, abandoned: 0, left: 1 });
    expect(target.received).toEqual([]);
    const [row] = await store.listDeliveries({ provisionId: provision.id });
    expect(row).toMatchObject({ attempts: 0, deliveredAt: null, abandonedAt: null });
    // The next tick, with time, delivers it.
    expect(await deliver()).toMatchObject({ delivered: 1, left: 0 });
    expect(target.received).toHaveLength(1);
  });
});
