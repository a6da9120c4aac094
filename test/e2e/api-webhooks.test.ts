import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { commitTransition } from '../../shared/provisioning/commit-transition.js';
import {
  type ApiCaller,
  type ApiReply,
  jsonOf,
  problemOf,
  provisionTenant,
} from '../support/api-client.js';
import { type ApiStack, startApiStack } from '../support/api-stack.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

/**
 * The webhook routes over HTTP: endpoints (create, validate, list, delete, re-enable), the
 * delivery log (filters, pages, attempts, no secrets) with redelivery, and the admin's rotation
 * of a tenant's signing secret. The stack's poller is off: deliveries are written by transitions
 * committed on the stack's store and stay where the test puts them.
 */
const endpointShape = z.looseObject({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.string().nullable(),
  enabled: z.boolean(),
  disabledAt: z.string().nullable(),
  disabledReason: z.string().nullable(),
});
const deliveryShape = z.looseObject({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  clusterId: z.string(),
  endpointId: z.string().nullable(),
  status: z.string(),
  series: z.number(),
  redeliveredBy: z.string().nullable(),
  attempts: z.array(z.looseObject({ attempt: z.number(), status: z.number().nullable() })),
});
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

const expectProblem = (reply: ApiReply, status: number, code: string, field?: string) => {
  expect(reply.status, reply.body).toBe(status);
  const problem = problemOf(reply);
  expect(problem.code).toBe(code);
  if (field !== undefined) expect(problem.field).toBe(field);
};

describe('webhook endpoints, the delivery log and secret rotation', () => {
  let env: ApiStack;
  let api: ApiCaller;
  let tenant: Awaited<ReturnType<typeof provisionTenant>>;
  let key: string;

  const createEndpoint = async (json: Record<string, unknown>) =>
    api({ method: 'POST', path: '/v1/webhooks/endpoints', key, json });

  /** An accepted cluster of the tenant moved to `provisioning`: its event fans out. */
  const transitioned = async () => {
    const provision = await env.insertAccepted(tenant.id);
    const moved = await commitTransition(env.stack.store, provision, 'provisioning', {
      reason: 'test.provisioning',
      message: 'moved by the test',
      now: new Date(),
    });
    if (!moved) throw new Error('stale');
    return moved;
  };

  beforeAll(async () => {
    env = await startApiStack({
      ASKP_RATE_LIMIT_PER_SECOND: '10000',
      ASKP_RATE_LIMIT_BURST: '10000',
    });
    api = env.api;
    tenant = await provisionTenant(api, env.adminKey, {
      name: 'hooks',
      keys: { all: ['clusters:read', 'clusters:write'] },
    });
    key = tenant.keys.all ?? '';
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('creates, lists, re-enables and deletes endpoints', async () => {
    const created = await createEndpoint({
      url: 'https://hooks.example.com/all',
      description: 'everything',
    });
    expect(created.status, created.body).toBe(201);
    const all = jsonOf(created, endpointShape);
    expect(all).toMatchObject({ eventTypes: [], enabled: true, description: 'everything' });
    expect(all.id).toMatch(/^whe_/);
    const failedOnly = jsonOf(
      await createEndpoint({ url: 'http://hooks.example.com/f', eventTypes: ['cluster.failed'] }),
      endpointShape,
    );

    const first = jsonOf(
      await api({ method: 'GET', path: '/v1/webhooks/endpoints', key, query: { limit: '1' } }),
      pageOf(endpointShape),
    );
    expect(first.items.map((e) => e.id)).toEqual([all.id]);
    const second = jsonOf(
      await api({
        method: 'GET',
        path: '/v1/webhooks/endpoints',
        key,
        query: { limit: '1', cursor: first.nextCursor ?? '' },
      }),
      pageOf(endpointShape),
    );
    expect(second.items.map((e) => e.id)).toEqual([failedOnly.id]);

    await env.stack.store.disableWebhookEndpoint({
      id: all.id,
      reason: 'gone (410)',
      at: new Date(),
    });
    const listed = jsonOf(
      await api({ method: 'GET', path: '/v1/webhooks/endpoints', key }),
      pageOf(endpointShape),
    );
    expect(listed.items[0]).toMatchObject({ enabled: false, disabledReason: 'gone (410)' });
    const enabled = await api({
      method: 'POST',
      path: `/v1/webhooks/endpoints/${all.id}:enable`,
      key,
    });
    expect(jsonOf(enabled, endpointShape)).toMatchObject({ enabled: true, disabledAt: null });

    const deleted = await api({ method: 'DELETE', path: `/v1/webhooks/endpoints/${all.id}`, key });
    expect(jsonOf(deleted, endpointShape).id).toBe(all.id);
    for (const call of [
      { method: 'DELETE', path: `/v1/webhooks/endpoints/${all.id}` },
      { method: 'POST', path: `/v1/webhooks/endpoints/${all.id}:enable` },
      { method: 'DELETE', path: '/v1/webhooks/endpoints/not-an-id' },
    ]) {
      expectProblem(await api({ ...call, key }), 404, 'NOT_FOUND');
    }
    await api({ method: 'DELETE', path: `/v1/webhooks/endpoints/${failedOnly.id}`, key });
  });

  it('validates an endpoint like the create request’s webhook URL', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'ftp://hooks.example.com/x' }, 'url'],
      [{ url: 'https://user:pass@hooks.example.com/x' }, 'url'],
      [{ url: `https://hooks.example.com/${'a'.repeat(2048)}` }, 'url'],
      [{ url: 'not a url' }, 'url'],
      [{ url: 'https://hooks.example.com/x', eventTypes: ['cluster.exploded'] }, 'eventTypes.0'],
      [
        { url: 'https://hooks.example.com/x', eventTypes: ['cluster.failed', 'cluster.failed'] },
        'eventTypes',
      ],
      [{ url: 'https://hooks.example.com/x', secret: 'mine' }, 'secret'],
    ];
    for (const [json, field] of cases) {
      expectProblem(await createEndpoint(json), 400, 'VALIDATION_FAILED', field);
    }
  });

  it('refuses a URL whose literal address is private, loopback, link-local, CGNAT or metadata', async () => {
    // The stack allow-lists 127.0.0.0/8 and ::1 for its loopback receivers; nothing else.
    const refused = [
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:0:a9fe:a9fe]/latest/meta-data',
      'http://[::ffff:169.254.169.254]/',
      'http://100.100.100.200/latest/meta-data',
      'http://100.64.0.1/hook',
      'http://10.0.0.1/hook',
      'http://192.168.1.1/hook',
      'http://172.16.0.1/hook',
      'http://[fd00::1]/hook',
      'http://[fe80::1]/hook',
      'http://0.0.0.0/hook',
    ];
    for (const url of refused) {
      const reply = await createEndpoint({ url });
      expectProblem(reply, 400, 'VALIDATION_FAILED', 'url');
    }
    const create = await api({
      method: 'POST',
      path: '/v1/clusters',
      key,
      json: { name: 'ssrf', region: 'cn-hangzhou', webhook: { url: refused[1] } },
    });
    expectProblem(create, 400, 'VALIDATION_FAILED', 'webhook.url');
    const listed = await api({ method: 'GET', path: '/v1/clusters?limit=100', key });
    expect(listed.body).not.toContain('a9fe');
  });

  it('caps the endpoints of a tenant', async () => {
    const other = await provisionTenant(api, env.adminKey, {
      name: 'many-hooks',
      keys: { all: ['clusters:write'] },
    });
    const call = (i: number) =>
      api({
        method: 'POST',
        path: '/v1/webhooks/endpoints',
        key: other.keys.all,
        json: { url: `https://hooks.example.com/${i}` },
      });
    for (let i = 0; i < 20; i += 1) expect((await call(i)).status).toBe(201);
    expectProblem(await call(20), 409, 'CONFLICT');
  });

  it('lists deliveries with their attempts, filtered and paged, and never a secret', async () => {
    const running = jsonOf(
      await createEndpoint({
        url: 'https://hooks.example.com/a',
        eventTypes: ['cluster.provisioning'],
      }),
      endpointShape,
    );
    const other = jsonOf(
      await createEndpoint({ url: 'https://hooks.example.com/b' }),
      endpointShape,
    );
    const first = await transitioned();
    const second = await transitioned();
    const [row] = await env.stack.store.listDeliveries({ provisionId: first.id });
    if (!row) throw new Error('no delivery');
    await env.stack.store.recordDeliveryAttempt({
      id: row.id,
      at: new Date(),
      status: 503,
      error: null,
      outcome: 'retry',
      nextAttemptAt: new Date(Date.now() + 86_400_000),
      durationMs: 12,
      series: 1,
    });

    const ofFirst = jsonOf(
      await api({
        method: 'GET',
        path: '/v1/webhooks/deliveries',
        key,
        query: { clusterId: first.id },
      }),
      pageOf(deliveryShape),
    );
    expect(ofFirst.items).toHaveLength(2);
    expect(new Set(ofFirst.items.map((d) => d.eventId)).size).toBe(1);
    expect(ofFirst.items.map((d) => d.endpointId).sort()).toEqual([running.id, other.id].sort());
    expect(ofFirst.items.find((d) => d.id === row.id)?.attempts).toMatchObject([
      { attempt: 1, status: 503, durationMs: 12, outcome: 'retry' },
    ]);

    const pages: string[] = [];
    const deliveryPage = pageOf(deliveryShape);
    let cursor: string | null = null;
    do {
      const page: z.output<typeof deliveryPage> = jsonOf(
        await api({
          method: 'GET',
          path: '/v1/webhooks/deliveries',
          key,
          query: { status: 'pending', limit: '1', ...(cursor ? { cursor } : {}) },
        }),
        deliveryPage,
      );
      pages.push(...page.items.map((d) => d.clusterId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages.filter((id) => id === first.id || id === second.id)).toHaveLength(4);
    const delivered = await api({
      method: 'GET',
      path: '/v1/webhooks/deliveries',
      key,
      query: { status: 'delivered' },
    });
    expect(jsonOf(delivered, pageOf(deliveryShape)).items).toEqual([]);
    expect(delivered.body).not.toContain('whsec_');
    expect(JSON.stringify(ofFirst)).not.toContain('whsec_');

    expectProblem(
      await api({ method: 'GET', path: '/v1/webhooks/deliveries', key, query: { status: 'lost' } }),
      400,
      'VALIDATION_FAILED',
      'status',
    );
    expectProblem(
      await api({ method: 'GET', path: '/v1/webhooks/deliveries', key, query: { clusterId: 'x' } }),
      400,
      'VALIDATION_FAILED',
      'clusterId',
    );
    for (const id of [running.id, other.id]) {
      await api({ method: 'DELETE', path: `/v1/webhooks/endpoints/${id}`, key });
    }
  });

  it('redelivers: a new series for the same event, who asked recorded; not to a disabled endpoint', async () => {
    const target = jsonOf(
      await createEndpoint({ url: 'https://hooks.example.com/r' }),
      endpointShape,
    );
    const provision = await transitioned();
    const [row] = await env.stack.store.listDeliveries({ provisionId: provision.id });
    if (!row) throw new Error('no delivery');
    await env.stack.store.recordDeliveryAttempt({
      id: row.id,
      at: new Date(),
      status: 204,
      error: null,
      outcome: 'delivered',
      nextAttemptAt: null,
      series: 1,
    });
    const reply = await api({
      method: 'POST',
      path: `/v1/webhooks/deliveries/${row.id}/redeliver`,
      key,
    });
    expect(reply.status, reply.body).toBe(202);
    const keyId = /^askp_([0-9a-z]+)_/.exec(key)?.[1];
    expect(jsonOf(reply, deliveryShape)).toMatchObject({
      id: row.id,
      eventId: row.eventId,
      status: 'pending',
      series: 2,
      redeliveredBy: keyId,
      attempts: [{ attempt: 1, status: 204 }],
    });

    await env.stack.store.disableWebhookEndpoint({
      id: target.id,
      reason: 'gone (410)',
      at: new Date(),
    });
    expectProblem(
      await api({ method: 'POST', path: `/v1/webhooks/deliveries/${row.id}/redeliver`, key }),
      409,
      'CONFLICT',
    );
    for (const id of ['whd_00000000000000000000000000', 'nope']) {
      expectProblem(
        await api({ method: 'POST', path: `/v1/webhooks/deliveries/${id}/redeliver`, key }),
        404,
        'NOT_FOUND',
      );
    }
  });

  it('gets and patches one endpoint: url, eventTypes, description, enabled', async () => {
    const created = jsonOf(
      await createEndpoint({ url: 'https://hooks.example.com/one', description: 'first' }),
      endpointShape,
    );
    const path = `/v1/webhooks/endpoints/${created.id}`;
    const got = await api({ method: 'GET', path, key });
    expect(got.status, got.body).toBe(200);
    expect(jsonOf(got, endpointShape)).toEqual(created);

    const patch = (json: unknown) =>
      api({
        method: 'PATCH',
        path,
        key,
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify(json),
      });
    const changed = await patch({
      url: 'https://hooks.example.com/two',
      eventTypes: ['cluster.failed'],
      description: null,
    });
    expect(changed.status, changed.body).toBe(200);
    expect(jsonOf(changed, endpointShape)).toMatchObject({
      url: 'https://hooks.example.com/two',
      eventTypes: ['cluster.failed'],
      description: null,
      enabled: true,
    });
    const off = jsonOf(await patch({ enabled: false }), endpointShape);
    expect(off).toMatchObject({ enabled: false, disabledReason: 'disabled by the tenant' });
    // A disabled endpoint gets no events (the fan-out skips it).
    const provision = await transitioned();
    const rows = await env.stack.store.listDeliveries({ provisionId: provision.id });
    expect(rows.map((row) => row.endpointId)).not.toContain(created.id);
    const on = jsonOf(await patch({ enabled: true, eventTypes: [] }), endpointShape);
    expect(on).toMatchObject({ enabled: true, disabledReason: null, eventTypes: [] });
    expect(jsonOf(await api({ method: 'GET', path, key }), endpointShape)).toEqual(on);

    expectProblem(await patch({}), 400, 'VALIDATION_FAILED');
    expectProblem(await patch({ url: 'ftp://x' }), 400, 'VALIDATION_FAILED', 'url');
    expectProblem(await patch({ secret: 'x' }), 400, 'VALIDATION_FAILED', 'secret');
    const other = await provisionTenant(api, env.adminKey, {
      name: 'hooks-other',
      keys: { all: ['clusters:read', 'clusters:write'] },
    });
    for (const method of ['GET', 'PATCH']) {
      expectProblem(
        await api({ method, path, key: other.keys.all, json: { enabled: false } }),
        404,
        'NOT_FOUND',
      );
    }
    expect(jsonOf(await api({ method: 'GET', path, key }), endpointShape).enabled).toBe(true);
  });

  it('pings an endpoint with a signed webhook.ping, and answers with the outcome', async () => {
    const receiver = await startWebhookReceiver({
      verify: ({ headers, body }) => {
        try {
          return JSON.stringify(new Webhook(tenant.webhookSecret).verify(body, headers));
        } catch {
          return null;
        }
      },
    });
    try {
      const endpoint = jsonOf(await createEndpoint({ url: receiver.url }), endpointShape);
      const reply = await api({
        method: 'POST',
        path: `/v1/webhooks/endpoints/${endpoint.id}:ping`,
        key,
      });
      expect(reply.status, reply.body).toBe(200);
      const result = jsonOf(
        reply,
        z.object({
          eventId: z.string(),
          endpointId: z.string(),
          delivered: z.boolean(),
          status: z.number().nullable(),
          error: z.string().nullable(),
          durationMs: z.number(),
        }),
      );
      expect(result).toMatchObject({
        endpointId: endpoint.id,
        delivered: true,
        status: 204,
        error: null,
      });
      expect(receiver.received).toHaveLength(1);
      const [hook] = receiver.received;
      expect(hook?.headers['webhook-id']).toBe(result.eventId);
      expect(JSON.parse(hook?.verifiedAs ?? 'null')).toMatchObject({
        type: 'webhook.ping',
        data: { endpointId: endpoint.id },
      });

      receiver.status = 500;
      const failed = await api({
        method: 'POST',
        path: `/v1/webhooks/endpoints/${endpoint.id}:ping`,
        key,
      });
      expect(JSON.parse(failed.body)).toMatchObject({ delivered: false, status: 500 });
      expectProblem(
        await api({
          method: 'POST',
          path: '/v1/webhooks/endpoints/whe_00000000000000000000000000:ping',
          key,
        }),
        404,
        'NOT_FOUND',
      );
    } finally {
      await receiver.close();
    }
  });

  it('gets one delivery with its attempts; another tenant’s is a 404', async () => {
    await createEndpoint({ url: 'https://hooks.example.com/log' });
    const provision = await transitioned();
    const [row] = await env.stack.store.listDeliveries({ provisionId: provision.id });
    if (!row) throw new Error('no delivery');
    await env.stack.store.recordDeliveryAttempt({
      id: row.id,
      at: new Date(),
      status: 503,
      error: null,
      outcome: 'retry',
      nextAttemptAt: new Date(Date.now() + 5000),
      series: 1,
    });
    const reply = await api({ method: 'GET', path: `/v1/webhooks/deliveries/${row.id}`, key });
    expect(reply.status, reply.body).toBe(200);
    expect(jsonOf(reply, deliveryShape)).toMatchObject({
      id: row.id,
      eventId: row.eventId,
      clusterId: provision.id,
      status: 'pending',
      attempts: [{ attempt: 1, status: 503 }],
    });
    const other = await provisionTenant(api, env.adminKey, {
      name: 'hooks-log-other',
      keys: { read: ['clusters:read'] },
    });
    const theirs = await api({
      method: 'GET',
      path: `/v1/webhooks/deliveries/${row.id}`,
      key: other.keys.read,
    });
    expectProblem(theirs, 404, 'NOT_FOUND');
    expectProblem(
      await api({ method: 'GET', path: '/v1/webhooks/deliveries/nope', key }),
      404,
      'NOT_FOUND',
    );
  });

  it('rotates a tenant’s secret: shown once, the old one kept for 24 hours', async () => {
    const before = await env.stack.store.getTenant(tenant.id);
    const reply = await api({
      method: 'POST',
      path: `/v1/admin/tenants/${tenant.id}/webhook-secret:rotate`,
      key: env.adminKey,
    });
    expect(reply.status, reply.body).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    const rotated = jsonOf(
      reply,
      z.object({
        tenantId: z.string(),
        webhookSecret: z.string(),
        previousSecretExpiresAt: z.string(),
      }),
    );
    expect(rotated.webhookSecret).toMatch(/^whsec_/);
    expect(rotated.webhookSecret).not.toBe(tenant.webhookSecret);
    const after = await env.stack.store.getTenant(tenant.id);
    expect(after).toMatchObject({
      webhookSecret: rotated.webhookSecret,
      previousWebhookSecret: before?.webhookSecret,
      previousSecretExpiresAt: new Date(rotated.previousSecretExpiresAt),
    });
    const window = Date.parse(rotated.previousSecretExpiresAt) - Date.now();
    expect(window).toBeGreaterThan(23 * 3_600_000);
    expect(window).toBeLessThanOrEqual(24 * 3_600_000);
    expectProblem(
      await api({
        method: 'POST',
        path: '/v1/admin/tenants/tnt_nobody/webhook-secret:rotate',
        key: env.adminKey,
      }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await api({
        method: 'POST',
        path: `/v1/admin/tenants/${tenant.id}/webhook-secret:rotate`,
        key,
      }),
      403,
      'FORBIDDEN',
    );
  });
});
