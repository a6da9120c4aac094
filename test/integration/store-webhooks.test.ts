import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import { MIGRATIONS } from '../../shared/store/migrations/index.js';
import type { Database } from '../../shared/store/schema.js';
import type { Store } from '../../shared/store/store.port.js';

/**
 * The webhook tables of migration 0004 on PGlite: endpoints and their subscriptions, tenant
 * scoping, secret rotation, and the backfill of `event_id` on rows written before it.
 */
const T0 = new Date('2030-01-01T00:00:00.000Z');

describe('webhook store (migration 0004)', () => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let store: Store;

  const tenant = async (): Promise<string> => {
    const id = newId('tnt');
    await store.createTenant({ id, name: id, webhookSecret: `whsec_${id}`, at: T0 });
    return id;
  };

  beforeAll(async () => {
    const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
    await migrateToLatest(opened.db);
    db = opened.db;
    close = opened.close;
    store = createKyselyStore({ db });
  });

  afterAll(async () => {
    await close?.();
  });

  it('lists the enabled endpoints subscribed to a type; an empty list means every type', async () => {
    const id = await tenant();
    const make = (url: string, eventTypes: ('cluster.running' | 'cluster.failed')[]) =>
      store.createWebhookEndpoint({
        id: newId('whe'),
        tenantId: id,
        url,
        eventTypes,
        description: null,
        at: T0,
      });
    const all = await make('https://a.example', []);
    const running = await make('https://b.example', ['cluster.running']);
    const failed = await make('https://c.example', ['cluster.failed']);
    const off = await make('https://d.example', []);
    await store.disableWebhookEndpoint({ id: off.id, reason: 'gone (410)', at: T0 });
    await store.disableWebhookEndpoint({ id: off.id, reason: 'later', at: T0 });
    const subscribed = async (eventType: 'cluster.running' | 'cluster.deleted') =>
      (await store.listSubscribedEndpoints({ tenantId: id, eventType })).map((e) => e.id);
    expect(await subscribed('cluster.running')).toEqual([all.id, running.id]);
    expect(await subscribed('cluster.deleted')).toEqual([all.id]);
    expect(failed.eventTypes).toEqual(['cluster.failed']);
    expect(await store.getWebhookEndpoint({ id: off.id })).toMatchObject({
      disabledReason: 'gone (410)',
    });
    expect(
      await store.listSubscribedEndpoints({
        tenantId: await tenant(),
        eventType: 'cluster.running',
      }),
    ).toEqual([]);
  });

  it('keeps endpoints to their tenant', async () => {
    const mine = await tenant();
    const theirs = await tenant();
    const endpoint = await store.createWebhookEndpoint({
      id: newId('whe'),
      tenantId: mine,
      url: 'https://a.example',
      eventTypes: [],
      description: 'mine',
      at: T0,
    });
    expect(await store.getWebhookEndpoint({ id: endpoint.id, tenantId: theirs })).toBeNull();
    expect(await store.enableWebhookEndpoint({ id: endpoint.id, tenantId: theirs })).toBeNull();
    expect(await store.deleteWebhookEndpoint({ id: endpoint.id, tenantId: theirs })).toBe(false);
    expect(await store.listWebhookEndpoints({ tenantId: theirs, limit: 10 })).toEqual([]);
    expect(await store.deleteWebhookEndpoint({ id: endpoint.id, tenantId: mine })).toBe(true);
    expect(await store.getWebhookEndpoint({ id: endpoint.id })).toBeNull();
  });

  it('rotates a secret: the replaced one becomes the previous; a second rotation drops the first', async () => {
    const id = await tenant();
    const expires = new Date(T0.getTime() + 86_400_000);
    const once = await store.rotateWebhookSecret({
      tenantId: id,
      secret: 'whsec_two',
      previousExpiresAt: expires,
    });
    expect(once).toMatchObject({
      webhookSecret: 'whsec_two',
      previousWebhookSecret: `whsec_${id}`,
      previousSecretExpiresAt: expires,
    });
    const twice = await store.rotateWebhookSecret({
      tenantId: id,
      secret: 'whsec_three',
      previousExpiresAt: expires,
    });
    expect(twice).toMatchObject({
      webhookSecret: 'whsec_three',
      previousWebhookSecret: 'whsec_two',
    });
    expect(
      await store.rotateWebhookSecret({ tenantId: 'tnt_none', secret: 'x', previousExpiresAt: T0 }),
    ).toBeNull();
  });

  it('gives rows written before it their own id as event id', async () => {
    const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
    try {
      // Only the migrations before 0004, then 0004 alone: later ones must not run first.
      const upTo = (last: string) =>
        Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name <= last));
      await migrateToLatest(opened.db, { migrations: upTo('0003_janitor') });
      await sql`insert into provisions (id, tenant_id, name, region, spec, state, cluster_name,
        created_at, updated_at) values ('prv_old', 'tnt_old', 'old', 'cn-hangzhou', '{}',
        'provisioning', 'old-1', now(), now())`.execute(opened.db);
      await sql`insert into webhook_deliveries (id, tenant_id, provision_id, url, event_type,
        payload, next_attempt_at, created_at) values ('evt_old', 'tnt_old', 'prv_old',
        'https://a.example', 'cluster.provisioning', '{}', now(), now())`.execute(opened.db);
      expect(await migrateToLatest(opened.db, { migrations: upTo('0004_webhooks') })).toEqual([
        '0004_webhooks',
      ]);
      await migrateToLatest(opened.db);
      const [row] = await createKyselyStore({ db: opened.db }).listDeliveries({
        provisionId: 'prv_old',
      });
      expect(row).toMatchObject({ id: 'evt_old', eventId: 'evt_old', endpointId: null, series: 1 });
    } finally {
      await opened.close();
    }
  });
});
