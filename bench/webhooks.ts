import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { newId } from '../shared/ids.js';
import { createLogger } from '../shared/logger.js';
import { openDatabase } from '../shared/store/database.js';
import { insertDeliveries } from '../shared/store/delivery-store.js';
import { createKyselyStore } from '../shared/store/kysely-store.js';
import { migrateToLatest } from '../shared/store/migrate.js';
import { DEFAULT_FAIRNESS, deliverDueWebhooks } from '../shared/webhooks/deliver-webhooks.js';
import { signWebhook } from '../shared/webhooks/signature.js';
import { createWebhookSender, type WebhookSender } from '../shared/webhooks/webhook-sender.js';
import { StatementCounter } from '../test/support/statement-counter.js';
import { seedWebhookOwner } from '../test/support/webhook-owner-seed.js';
import { round, scratchSchema } from './support.js';

/**
 * Webhooks: 1,000 due deliveries (one tenant, one loopback receiver answering 204) sent by the
 * poller's real delivery step on PostgreSQL: claims, signing, sending, the attempt log. The
 * baseline, same run: the same sender signing and POSTing 1,000 bodies to the same receiver at
 * the same concurrency (one tenant and one target may hold `perTarget` attempts), no database.
 */
const DELIVERIES = 1000;

interface WebhookFigures {
  deliveries: number;
  concurrency: number;
  step: { wallMs: number; perSecond: number; delivered: number };
  bareLoop: { wallMs: number; perSecond: number; delivered: number };
  ratio: number;
  /** Statements the step sent to the database (BEGIN/COMMIT not counted), per delivery. */
  statementsPerDelivery: number;
}

const startReceiver = async (): Promise<{ url: string; close(): Promise<void> }> => {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

const payloadOf = (index: number, provisionId: string): string =>
  JSON.stringify({ type: 'cluster.running', data: { id: provisionId, n: index } });

/** The bare loop: `concurrency` workers, each signing and sending the next body when the last answered. */
const bareLoop = async (
  sender: WebhookSender,
  url: string,
  secret: string,
  concurrency: number,
): Promise<number> => {
  let next = 0;
  let delivered = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < DELIVERIES) {
        const index = next++;
        const payload = payloadOf(index, 'prv_bare');
        const headers = signWebhook({
          secrets: [secret],
          id: `evt_bare_${index}`,
          at: new Date(),
          payload,
        });
        const result = await sender.send({
          url,
          headers: { ...headers, 'content-type': 'application/json' },
          body: payload,
        });
        if (result.kind === 'response' && result.status < 300) delivered += 1;
      }
    }),
  );
  return delivered;
};

const benchWebhooks = async (): Promise<{ lines: string[]; result: WebhookFigures }> => {
  const scratch = await scratchSchema();
  const receiver = await startReceiver();
  const opened = await openDatabase({ databaseUrl: scratch.url });
  try {
    await migrateToLatest(opened.db);
    const counter = new StatementCounter();
    const store = createKyselyStore({ db: opened.db.withPlugin(counter) });
    const now = new Date();
    const {
      tenantId,
      provisionId,
      webhookSecret: secret,
    } = await seedWebhookOwner(store, {
      tenantName: 'bench',
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
        payload: payloadOf(index, provisionId),
        nextAttemptAt: now,
      })),
      now,
    );
    const sender = createWebhookSender({
      timeoutMs: 10_000,
      allowHttp: true,
      allowedCidrs: ['127.0.0.0/8'],
    });
    const fairness = DEFAULT_FAIRNESS;
    const concurrency = Math.min(fairness.lanes, fairness.perTenant, fairness.perTarget);
    const logger = createLogger({ level: 'error', write: () => {} });

    // Warm-up both paths a little (connections, JIT) without touching the measured rows.
    await bareLoopWarmUp(sender, receiver.url, secret);

    const bareStarted = performance.now();
    const bareDelivered = await bareLoop(sender, receiver.url, secret, concurrency);
    const bareMs = performance.now() - bareStarted;

    counter.reset();
    const stepStarted = performance.now();
    let delivered = 0;
    // One call sends every due delivery it listed; a few more only if one ended early.
    for (let run = 0; run < 20 && delivered < DELIVERIES; run += 1) {
      const tally = await deliverDueWebhooks(
        { store, sender, clock: { now: () => new Date() }, logger, attemptLeaseMs: 30_000 },
        DELIVERIES,
      );
      delivered += tally.delivered;
      if (tally.delivered === 0) break;
    }
    const stepMs = performance.now() - stepStarted;
    const statements = counter.count;

    const figure = (wallMs: number, count: number) => ({
      wallMs: round(wallMs, 1),
      perSecond: round((count / wallMs) * 1000, 1),
      delivered: count,
    });
    const result: WebhookFigures = {
      deliveries: DELIVERIES,
      concurrency,
      step: figure(stepMs, delivered),
      bareLoop: figure(bareMs, bareDelivered),
      ratio: round(stepMs / bareMs),
      statementsPerDelivery: round(statements / Math.max(1, delivered)),
    };
    const row = (label: string, f: WebhookFigures['step']) =>
      `  ${label.padEnd(48)} ${f.wallMs.toFixed(0).padStart(7)} ms  ${f.perSecond.toFixed(0).padStart(6)} /s  (${f.delivered} delivered)`;
    return {
      lines: [
        `webhooks: ${DELIVERIES} due deliveries to a loopback receiver (204), ${concurrency} at once (one tenant, one target)`,
        row('baseline: bare loop, sign + POST', result.bareLoop),
        row('delivery step (deliver-webhooks.ts, PostgreSQL)', result.step),
        `  delivery step ${result.ratio}x the bare loop's time; ${result.statementsPerDelivery} database statements per delivery (BEGIN/COMMIT not counted)`,
      ],
      result,
    };
  } finally {
    await opened.close();
    await receiver.close();
    await scratch.drop();
  }
};

const bareLoopWarmUp = async (sender: WebhookSender, url: string, secret: string) => {
  for (let index = 0; index < 20; index += 1) {
    const payload = payloadOf(index, 'prv_warm');
    await sender.send({
      url,
      headers: {
        ...signWebhook({ secrets: [secret], id: `evt_warm_${index}`, at: new Date(), payload }),
      },
      body: payload,
    });
  }
};

export { benchWebhooks };
