import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { createLogger } from '../../shared/logger.js';
import { openDatabase } from '../../shared/store/database.js';
import { insertDeliveries } from '../../shared/store/delivery-store.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import { DEFAULT_FAIRNESS, deliverDueWebhooks } from '../../shared/webhooks/deliver-webhooks.js';
import {
  createWebhookSender,
  type WebhookResult,
  type WebhookSender,
} from '../../shared/webhooks/webhook-sender.js';
import { StatementCounter } from '../support/statement-counter.js';
import { seedWebhookOwner } from '../support/webhook-owner-seed.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * What the delivery step costs the database: attempts that end together are recorded in one
 * statement (outcome and attempt log row of each), and one claim fills every free lane, so a
 * batch of deliveries costs a handful of statements, not several per delivery. The real sender
 * goes to a real loopback receiver; a gate in front of it hands back each wave of answers at
 * once, the way a busy receiver's answers arrive, so the count does not depend on timing.
 */
const LANES = DEFAULT_FAIRNESS.perTenant;
const WAVES = 3;
const DELIVERIES = LANES * WAVES;

/** The real sender, answering only when `size` sends are waiting, then all of them at once. */
const wavesOf = (sender: WebhookSender, size: number): WebhookSender => {
  let waiting: { result: WebhookResult; resolve: (result: WebhookResult) => void }[] = [];
  return {
    send: async (request) => {
      const result = await sender.send(request);
      return new Promise<WebhookResult>((resolve) => {
        waiting.push({ result, resolve });
        if (waiting.length < size) return;
        const wave = waiting;
        waiting = [];
        for (const held of wave) held.resolve(held.result);
      });
    },
  };
};

describe('the delivery step against the database', () => {
  const counter = new StatementCounter();
  let opened: Awaited<ReturnType<typeof openDatabase>>;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    opened = await openDatabase({ databaseUrl: 'pglite://memory' });
    await migrateToLatest(opened.db);
    receiver = await startWebhookReceiver();
  });

  afterAll(async () => {
    await receiver.close();
    await opened.close();
  });

  it(`records ${DELIVERIES} deliveries in ${WAVES} outcome statements and fewer statements than deliveries`, async () => {
    const store = createKyselyStore({ db: opened.db.withPlugin(counter) });
    const now = new Date();
    const { tenantId, provisionId } = await seedWebhookOwner(store, {
      tenantName: 'round-trips',
      name: 'hooks',
      at: now,
    });
    await insertDeliveries(
      opened.db,
      Array.from({ length: DELIVERIES }, (_, index) => ({
        id: newId('whd'),
        tenantId,
        provisionId,
        url: receiver.url,
        eventType: 'cluster.running' as const,
        payload: JSON.stringify({ type: 'cluster.running', n: index }),
        nextAttemptAt: now,
      })),
      now,
    );
    const sender = createWebhookSender({
      timeoutMs: 5000,
      allowHttp: true,
      allowedCidrs: ['127.0.0.0/8'],
    });
    counter.reset();
    const tally = await deliverDueWebhooks(
      {
        store,
        sender: wavesOf(sender, LANES),
        clock: { now: () => new Date() },
        logger: createLogger({ level: 'error', write: () => {} }),
        attemptLeaseMs: 30_000,
      },
      DELIVERIES,
    );
    expect(tally.delivered).toBe(DELIVERIES);
    expect(receiver.received).toHaveLength(DELIVERIES);
    // Every attempt is logged exactly once.
    const attempts = await store.listDeliveryAttempts({
      deliveryIds: (await store.listDeliveries({ provisionId })).map((d) => d.id),
    });
    expect(attempts).toHaveLength(DELIVERIES);
    expect(attempts.every((a) => a.attempt === 1 && a.outcome === 'delivered')).toBe(true);
    // One outcome statement and one claim (its lock taken once) per wave of answers.
    const outcomeWrites = counter.raw.filter((text) =>
      text.includes('insert into webhook_attempts'),
    );
    const claims = counter.raw.filter((text) => text.includes('pg_advisory_xact_lock'));
    expect(outcomeWrites).toHaveLength(WAVES);
    expect(claims).toHaveLength(WAVES);
    expect(counter.count).toBeLessThan(DELIVERIES);
  });

  it('records a batch of attempts as one-by-one writes would: outcomes, next attempt, a newer series kept', async () => {
    const store = createKyselyStore({ db: opened.db });
    const now = new Date('2026-01-01T00:00:00Z');
    const later = new Date('2026-01-01T00:05:00Z');
    const { tenantId, provisionId } = await seedWebhookOwner(store, {
      tenantName: 'batch',
      name: 'batch',
      at: now,
    });
    const ids = [newId('whd'), newId('whd'), newId('whd'), newId('whd')] as const;
    await insertDeliveries(
      opened.db,
      ids.map((id) => ({
        id,
        tenantId,
        provisionId,
        url: receiver.url,
        eventType: 'cluster.running' as const,
        payload: '{}',
        nextAttemptAt: now,
      })),
      now,
    );
    // The fourth was redelivered (series 2) while its series-1 attempt ran.
    await store.redeliverDelivery({ id: ids[3], tenantId, at: now, requestedBy: 'k' });
    const attempt = { at: now, durationMs: 3, error: null };
    await store.recordDeliveryAttempts([
      { ...attempt, id: ids[0], series: 1, status: 204, outcome: 'delivered', nextAttemptAt: null },
      { ...attempt, id: ids[1], series: 1, status: 503, outcome: 'retry', nextAttemptAt: later },
      {
        ...attempt,
        id: ids[2],
        series: 1,
        status: 410,
        error: 'gone',
        outcome: 'abandoned',
        nextAttemptAt: null,
      },
      { ...attempt, id: ids[3], series: 1, status: 500, outcome: 'abandoned', nextAttemptAt: null },
    ]);
    const rows = new Map((await store.listDeliveries({ provisionId })).map((d) => [d.id, d]));
    expect(rows.get(ids[0])).toMatchObject({ attempts: 1, lastStatus: 204, deliveredAt: now });
    expect(rows.get(ids[1])).toMatchObject({
      attempts: 1,
      lastStatus: 503,
      nextAttemptAt: later,
      deliveredAt: null,
      abandonedAt: null,
    });
    expect(rows.get(ids[2])).toMatchObject({ attempts: 1, lastError: 'gone', abandonedAt: now });
    expect(rows.get(ids[3])).toMatchObject({ series: 2, attempts: 0, abandonedAt: null });
    const log = await store.listDeliveryAttempts({ deliveryIds: [...ids] });
    expect(log.map((a) => [a.deliveryId, a.series, a.attempt, a.outcome])).toEqual(
      expect.arrayContaining([
        [ids[0], 1, 1, 'delivered'],
        [ids[1], 1, 1, 'retry'],
        [ids[2], 1, 1, 'abandoned'],
        [ids[3], 1, 1, 'abandoned'],
      ]),
    );
    expect(log).toHaveLength(4);
    // The next attempt of the retried one is its second in the log.
    await store.recordDeliveryAttempts([
      { ...attempt, id: ids[1], series: 1, status: 204, outcome: 'delivered', nextAttemptAt: null },
    ]);
    const second = await store.listDeliveryAttempts({ deliveryIds: [ids[1]] });
    expect(second.map((a) => a.attempt)).toEqual([1, 2]);
  });
});
