import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { isDomainError } from '../../shared/domain/errors.js';
import { newId } from '../../shared/ids.js';
import { createLogger } from '../../shared/logger.js';
import { commitTransition } from '../../shared/provisioning/commit-transition.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import type { Store, WebhookDelivery } from '../../shared/store/store.port.js';
import { budgetUntil } from '../../shared/time-budget.js';
import {
  DEFAULT_FAIRNESS,
  type DeliveryFairness,
  type DeliveryTally,
  deliverDueWebhooks,
} from '../../shared/webhooks/deliver-webhooks.js';
import { redeliver } from '../../shared/webhooks/delivery-log.js';
import { endpointViewsWithCircuits } from '../../shared/webhooks/endpoint-circuits.js';
import { createWebhookEndpoint } from '../../shared/webhooks/manage-endpoints.js';
import { newWebhookSecret } from '../../shared/webhooks/signature.js';
import {
  createWebhookSender,
  type WebhookRequest,
  type WebhookSender,
} from '../../shared/webhooks/webhook-sender.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * Issue 13's tarpit, reproduced: tenant A registers 16 endpoints at a receiver that accepts and
 * never answers (a real loopback HTTP server holding every request open) and keeps asking for
 * redeliveries; tenant B has one healthy endpoint. Before, delivery was first-in-first-out over 8
 * lanes: B's webhook waited behind every one of A's timeouts. Latency is measured in the order
 * of attempts (how many attempts had finished when B's was sent) and in ticks (in which tick after
 * it became due B's event arrived), each compared with B's baseline measured in the same test
 * without A — never against a wall-clock threshold. The store is PostgreSQL when
 * TEST_DATABASE_URL is set (a fresh schema, two connection pools standing in for two poller
 * instances), PGlite otherwise.
 */
const TIMEOUT_MS = 300;
const TICK_MS = 15_000;
const FAIRNESS: DeliveryFairness = DEFAULT_FAIRNESS;
const REDELIVER = { perMinute: 30, burst: 10 };
const silent = createLogger({ level: 'error', write: () => {} });

let now = new Date('2031-05-01T00:00:00Z');
const clock = { now: () => now };

interface Tarpit {
  url: string;
  /** Requests that arrived (none is ever answered). */
  arrived: number;
  /** The most requests held open at once. */
  maxOpen: number;
  close(): Promise<void>;
}

/** Accepts every request and never answers: the receiver of the attack. */
const startTarpit = async (): Promise<Tarpit> => {
  const sockets = new Set<Socket>();
  let open = 0;
  const tarpit = { arrived: 0, maxOpen: 0 };
  const server = http.createServer((req, res) => {
    tarpit.arrived += 1;
    open += 1;
    tarpit.maxOpen = Math.max(tarpit.maxOpen, open);
    // Never answered: the response closes only when the sender gives up and drops the socket.
    res.on('close', () => {
      open -= 1;
    });
    req.resume();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(tarpit, {
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
};

/** The real sender, with a log of when each attempt started and how many had finished then. */
interface SendLog {
  started: { url: string; finishedBefore: number }[];
  finished: number;
}

const recording = (sender: WebhookSender, log: SendLog): WebhookSender => ({
  send: async (request: WebhookRequest) => {
    log.started.push({ url: request.url, finishedBefore: log.finished });
    try {
      return await sender.send(request);
    } finally {
      log.finished += 1;
    }
  },
});

interface Backend {
  stores: [Store, Store];
  close(): Promise<void>;
}

const openBackend = async (): Promise<Backend> => {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
    await migrateToLatest(opened.db);
    const store = createKyselyStore({ db: opened.db });
    return { stores: [store, store], close: opened.close };
  }
  const admin = await openDatabase({ databaseUrl: adminUrl });
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  const url = new URL(adminUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const one = await openDatabase({ databaseUrl: url.toString() });
  const two = await openDatabase({ databaseUrl: url.toString() });
  await migrateToLatest(one.db);
  return {
    stores: [createKyselyStore({ db: one.db }), createKyselyStore({ db: two.db })],
    close: async () => {
      await Promise.all([one.close(), two.close()]);
      await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
      await admin.close();
    },
  };
};

let backend: Backend;
let store: Store;
let healthy: WebhookReceiver;
let tarpit: Tarpit;
const sendLog: SendLog = { started: [], finished: 0 };
let sender: WebhookSender;

const newTenant = async (): Promise<string> => {
  const id = newId('tnt');
  await store.createTenant({ id, name: id, webhookSecret: newWebhookSecret(), at: now });
  return id;
};

/** One event of the tenant: a new cluster moving to provisioning, fanned out to its endpoints. */
const event = async (tenantId: string): Promise<WebhookDelivery[]> => {
  const id = newId('prv', now.getTime());
  const spec = createClusterRequestSchema.parse({ name: 'fair', region: 'cn-hangzhou' });
  const { provision } = await store.createProvision({
    provision: {
      id,
      tenantId,
      name: 'fair',
      region: 'cn-hangzhou',
      spec,
      clusterName: `fair-${id.slice(-10)}`,
      labels: {},
      expiresAt: null,
      createdAt: now,
    },
    event: { type: 'accepted', state: 'accepted', message: 'test', source: 'service', at: now },
    job: { v: 1, kind: 'create', provisionId: id },
  });
  const moved = await commitTransition(store, provision, 'provisioning', {
    reason: 'test.provisioning',
    message: 'to provisioning',
    now,
  });
  if (!moved) throw new Error('stale');
  return store.listDeliveries({ provisionId: id });
};

/**
 * Due deliveries one run lists: fewer than A's backlog, so a first-in-first-out list would not
 * even hold B's delivery.
 */
const BATCH = 32;

/** One poller run's delivery step on one instance (its own store), within a 20 s budget. */
const tick = (on: Store = store, batch = BATCH): Promise<DeliveryTally> =>
  deliverDueWebhooks(
    {
      store: on,
      sender,
      clock,
      logger: silent,
      attemptLeaseMs: TIMEOUT_MS * 3,
      random: () => 0.5,
      fairness: FAIRNESS,
    },
    batch,
    { budget: budgetUntil(Date.now() + 20_000), attemptMs: TIMEOUT_MS },
  );

/** B's event: in which tick after it was written it arrived, and how many attempts finished first. */
interface Lateness {
  ticks: number;
  finishedBefore: number;
}

const deliverB = async (tenantB: string, beforeTick?: () => Promise<void>): Promise<Lateness> => {
  const [row] = await event(tenantB);
  if (!row) throw new Error('B has no delivery');
  for (let ticks = 0; ticks < 10; ticks += 1) {
    const startedBefore = sendLog.started.length;
    const finishedAtStart = sendLog.finished;
    await beforeTick?.();
    await tick();
    const delivered = healthy.received.find((hook) => hook.body === row.payload);
    if (delivered) {
      const send = sendLog.started.slice(startedBefore).find((entry) => entry.url === healthy.url);
      return { ticks, finishedBefore: (send?.finishedBefore ?? 0) - finishedAtStart };
    }
    now = new Date(now.getTime() + TICK_MS);
  }
  throw new Error('B was never delivered');
};

beforeAll(async () => {
  backend = await openBackend();
  [store] = backend.stores;
  healthy = await startWebhookReceiver();
  tarpit = await startTarpit();
  sender = recording(
    createWebhookSender({ timeoutMs: TIMEOUT_MS, allowHttp: true, allowedCidrs: ['127.0.0.0/8'] }),
    sendLog,
  );
});

afterAll(async () => {
  await healthy?.close();
  await tarpit?.close();
  await backend?.close();
});

describe('reliability: one tenant tarpits its webhooks', () => {
  it("keeps another tenant's latency at its baseline, and reschedules the tarpit's attempts instead of burning them", async () => {
    const tenantA = await newTenant();
    const tenantB = await newTenant();
    await createWebhookEndpoint(
      { store, clock },
      { tenantId: tenantB, request: { url: healthy.url, eventTypes: [] } },
    );

    // Baseline: B alone, three events.
    const baseline: Lateness[] = [];
    for (let i = 0; i < 3; i += 1) {
      baseline.push(await deliverB(tenantB));
      now = new Date(now.getTime() + TICK_MS);
    }

    // The attack: 16 endpoints at the tarpit, five events (80 deliveries) due before B's, and a
    // redelivery of every one of them asked for before every tick.
    const endpoints = [];
    for (let i = 0; i < 16; i += 1) {
      endpoints.push(
        await createWebhookEndpoint(
          { store, clock },
          { tenantId: tenantA, request: { url: `${tarpit.url}/${i}`, eventTypes: [] } },
        ),
      );
    }
    const tarpitRows: WebhookDelivery[] = [];
    for (let i = 0; i < 5; i += 1) tarpitRows.push(...(await event(tenantA)));
    expect(tarpitRows).toHaveLength(80);
    const redeliveries = { accepted: 0, refused: 0, retryAfterMs: 0 };
    const redeliverAll = async () => {
      for (const row of tarpitRows.slice(0, 20)) {
        try {
          await redeliver(
            { store, clock, config: { webhooks: { redeliver: REDELIVER } } },
            { tenantId: tenantA, id: row.id, requestedBy: 'key_attacker' },
          );
          redeliveries.accepted += 1;
        } catch (error) {
          if (!isDomainError(error) || error.code !== 'RATE_LIMITED') throw error;
          redeliveries.refused += 1;
          redeliveries.retryAfterMs = error.retryAfterMs ?? 0;
        }
      }
    };

    const underAttack: Lateness[] = [];
    const deferred: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      underAttack.push(await deliverB(tenantB, redeliverAll));
      // A few more of A's events keep arriving while its circuits are open.
      await event(tenantA);
      now = new Date(now.getTime() + TICK_MS);
      deferred.push((await tick()).deferred);
      now = new Date(now.getTime() + TICK_MS);
    }

    // B's latency: delivered in the tick it became due, as in its baseline, and sent in the
    // first wave of that tick (no more attempts finished before it than a lane's worth).
    const worstBaseline = Math.max(...baseline.map((b) => b.ticks));
    expect(underAttack.map((b) => b.ticks)).toEqual(underAttack.map(() => worstBaseline));
    const lanesWorth = FAIRNESS.lanes;
    expect(Math.max(...underAttack.map((b) => b.finishedBefore))).toBeLessThanOrEqual(
      Math.max(...baseline.map((b) => b.finishedBefore)) + lanesWorth,
    );

    // A never held more than its cap of attempts at once, over the whole run.
    expect(tarpit.maxOpen).toBeLessThanOrEqual(FAIRNESS.perTenant);

    // The breaker opened A's endpoints: their deliveries were rescheduled, not attempted. Over
    // 24 ticks a delivery on the retry schedule alone would have been tried every tick it was
    // due; with the circuits open, each endpoint got a few failures and one probe per cool-down.
    expect(deferred.some((count) => count > 0)).toBe(true);
    const views = await endpointViewsWithCircuits({ store, clock }, endpoints);
    expect(views.every((view) => view.circuit.state !== 'closed')).toBe(true);
    expect(views.every((view) => view.circuit.retryAt !== null)).toBe(true);
    const rows = await Promise.all(
      endpoints.map((endpoint) =>
        store
          .listTenantDeliveries({ tenantId: tenantA, limit: 1000 })
          .then((all) => all.filter((row) => row.endpointId === endpoint.id)),
      ),
    );
    const perEndpointAttempts = await Promise.all(
      rows.map(
        async (ofEndpoint) =>
          (await store.listDeliveryAttempts({ deliveryIds: ofEndpoint.map((row) => row.id) }))
            .length,
      ),
    );
    // Threshold failures to open, then one probe per cool-down (60 s, 120 s, … over ~6 min),
    // plus what was in flight when it opened (at most the per-endpoint cap).
    const bound =
      FAIRNESS.breaker.failureThreshold + FAIRNESS.perTarget + Math.ceil((16 * TICK_MS) / 60_000);
    expect(Math.max(...perEndpointAttempts)).toBeLessThanOrEqual(bound);
    // Pending deliveries of an open circuit wait for its retryAt with their attempts intact.
    const open = views.find((view) => view.circuit.state === 'open');
    if (open) {
      const waiting = (rows[views.indexOf(open)] ?? []).filter(
        (row) => row.deliveredAt === null && row.abandonedAt === null,
      );
      expect(waiting.length).toBeGreaterThan(0);
      expect(waiting.every((row) => row.attempts < FAIRNESS.breaker.failureThreshold + 2)).toBe(
        true,
      );
    }

    // Redelivery in a loop is limited per tenant: the burst, then the refill.
    expect(redeliveries.refused).toBeGreaterThan(0);
    const minutes = (8 * 3 * TICK_MS) / 60_000;
    expect(redeliveries.accepted).toBeLessThanOrEqual(
      REDELIVER.burst + Math.ceil(REDELIVER.perMinute * minutes),
    );
    expect(redeliveries.retryAfterMs).toBeGreaterThan(0);

    console.info(
      JSON.stringify({
        webhookFairness: {
          baseline,
          underAttack,
          tarpitRequests: tarpit.arrived,
          tarpitMaxOpen: tarpit.maxOpen,
          perEndpointAttempts,
          deferred,
          redeliveries,
        },
      }),
    );
  });

  it('sends each due delivery once when two poller instances run at the same time', async () => {
    const [one, two] = backend.stores;
    const tenant = await newTenant();
    await createWebhookEndpoint(
      { store, clock },
      { tenantId: tenant, request: { url: healthy.url, eventTypes: [] } },
    );
    const rows: WebhookDelivery[] = [];
    for (let i = 0; i < 40; i += 1) rows.push(...(await event(tenant)));
    now = new Date(now.getTime() + TICK_MS);
    const before = healthy.received.length;
    const [a, b] = await Promise.all([tick(one, 500), tick(two, 500)]);
    expect(a.delivered + b.delivered).toBe(rows.length);
    const payloads = new Set(rows.map((row) => row.payload));
    const arrived = healthy.received.slice(before).filter((hook) => payloads.has(hook.body));
    expect(arrived).toHaveLength(rows.length);
    expect(new Set(arrived.map((hook) => hook.body)).size).toBe(rows.length);
  });
});
