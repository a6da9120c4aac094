import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { Provision } from '../../shared/domain/provision.js';
import {
  type ApiCall,
  type ApiCaller,
  type ApiReply,
  clusterShape,
  jsonOf,
  problemOf,
  provisionTenant,
} from '../support/api-client.js';
import { type ApiStack, startApiStack } from '../support/api-stack.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Tenant isolation, as a matrix: for every route that takes a cluster id (read from the OpenAPI
 * document, so a new route joins the matrix or fails it), tenant B's keys — a cluster key and an
 * admin key — on each of tenant A's provisions get a 404 that looks exactly like a missing id,
 * and change nothing: A's rows and timelines, and the queue, are the same before and after.
 */
const CLUSTER_SCOPES = ['clusters:read', 'clusters:write', 'kubeconfig:read'];

describe('tenancy: another tenant’s clusters do not exist', () => {
  let env: ApiStack;
  let api: ApiCaller;
  let a: Awaited<ReturnType<typeof provisionTenant>>;
  let b: Awaited<ReturnType<typeof provisionTenant>>;
  let victims: Provision[];
  /** A's webhook endpoint, and the delivery A's live cluster's transition fanned out to it. */
  let aEndpointId: string;
  let aDeliveryId: string;
  let operations: { operationId: string; method: string; path: string }[];

  /** What B sends to each operation that takes an id. */
  const samples: Record<string, (id: string) => ApiCall> = {
    getCluster: (id) => ({ method: 'GET', path: `/v1/clusters/${id}` }),
    listClusterEvents: (id) => ({ method: 'GET', path: `/v1/clusters/${id}/events` }),
    updateCluster: (id) => ({
      method: 'PATCH',
      path: `/v1/clusters/${id}`,
      json: {
        name: 'hijacked',
        deletionProtection: false,
        labels: { owner: 'b' },
        ttl: '15m',
        endpointPublicAccess: true,
      },
    }),
    deleteCluster: (id) => ({ method: 'DELETE', path: `/v1/clusters/${id}` }),
    getClusterKubeconfig: (id) => ({ method: 'GET', path: `/v1/clusters/${id}/kubeconfig` }),
    listClusterChanges: (id) => ({ method: 'GET', path: `/v1/clusters/${id}/changes` }),
    revokeClusterKubeconfigs: (id) => ({
      method: 'POST',
      path: `/v1/clusters/${id}/kubeconfig:revoke`,
    }),
    upgradeCluster: (id) => ({
      method: 'POST',
      path: `/v1/clusters/${id}:upgrade`,
      json: { kubernetesVersion: '1.33.1-aliyun.1' },
    }),
    listClusterKubeconfigs: (id) => ({ method: 'GET', path: `/v1/clusters/${id}/kubeconfigs` }),
    listClusterAddons: (id) => ({ method: 'GET', path: `/v1/clusters/${id}/addons` }),
    installClusterAddon: (id) => ({
      method: 'POST',
      path: `/v1/clusters/${id}/addons`,
      json: { name: 'metrics-server' },
    }),
    updateClusterAddon: (id) => ({
      method: 'PATCH',
      path: `/v1/clusters/${id}/addons/coredns`,
      json: { config: {} },
    }),
    uninstallClusterAddon: (id) => ({
      method: 'DELETE',
      path: `/v1/clusters/${id}/addons/coredns`,
    }),
    listClusterNodePools: (id) => ({ method: 'GET', path: `/v1/clusters/${id}/node-pools` }),
    createClusterNodePool: (id) => ({
      method: 'POST',
      path: `/v1/clusters/${id}/node-pools`,
      json: { name: 'hijack', instanceTypes: ['ecs.g7.large'], desiredSize: 1 },
    }),
    updateClusterNodePool: (id) => ({
      method: 'PATCH',
      path: `/v1/clusters/${id}/node-pools/default`,
      json: { desiredSize: 5 },
    }),
    deleteClusterNodePool: (id) => ({
      method: 'DELETE',
      path: `/v1/clusters/${id}/node-pools/default`,
    }),
  };

  /** Everything of A's provisions that a write could touch. */
  const snapshot = async () =>
    Promise.all(
      victims.map(async (victim) => ({
        row: await env.stack.store.getProvision({ id: victim.id }),
        events: await env.stack.store.listEvents({ provisionId: victim.id, limit: 1000 }),
      })),
    );

  const sends = () => env.stack.mns.stats().SendMessage ?? 0;

  beforeAll(async () => {
    env = await startApiStack({
      ASKP_RATE_LIMIT_PER_SECOND: '10000',
      ASKP_RATE_LIMIT_BURST: '10000',
    });
    api = env.api;
    a = await provisionTenant(api, env.adminKey, {
      name: 'tenant-a',
      keys: { all: CLUSTER_SCOPES, admin: ['admin'] },
    });
    b = await provisionTenant(api, env.adminKey, {
      name: 'tenant-b',
      keys: { all: CLUSTER_SCOPES, admin: ['admin'] },
    });
    // The poller is off in this stack: the delivery stays pending and is never sent.
    aEndpointId = jsonOf(
      await api({
        method: 'POST',
        path: '/v1/webhooks/endpoints',
        key: a.keys.all,
        json: { url: 'https://hooks.example.com/a', description: 'owner a' },
      }),
      z.object({ id: z.string() }).loose(),
    ).id;
    const created = jsonOf(
      await api({
        method: 'POST',
        path: '/v1/clusters',
        key: a.keys.all,
        json: { name: 'a-live', region: 'cn-hangzhou', labels: { owner: 'a' } },
      }),
      clusterShape,
    );
    const live = await waitFor('A’s cluster to be provisioning', async () => {
      const row = await env.stack.store.getProvision({ id: created.id });
      return row?.state === 'provisioning' ? row : undefined;
    });
    const [delivery] = await env.stack.store.listDeliveries({ provisionId: live.id });
    if (!delivery) throw new Error('A’s transition fanned out to no endpoint');
    aDeliveryId = delivery.id;
    const cancelled = await env.insertAccepted(a.id, { labels: { owner: 'a' } });
    await api({ method: 'DELETE', path: `/v1/clusters/${cancelled.id}`, key: a.keys.all });
    victims = [
      live,
      await env.insertAccepted(a.id, { labels: { owner: 'a' } }),
      await env.insertAccepted(a.id, { labels: { owner: 'a' }, deletionProtection: true }),
      cancelled,
    ];
    const document = z
      .object({ paths: z.record(z.string(), z.record(z.string(), z.unknown())) })
      .loose()
      .parse(JSON.parse((await api({ method: 'GET', path: '/openapi.json' })).body));
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        operationId: z.object({ operationId: z.string() }).loose().parse(operation).operationId,
        method: method.toUpperCase(),
        path,
      })),
    );
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('answers 404 on every id route for each of A’s clusters, and changes nothing', async () => {
    const idRoutes = operations.filter(
      (operation) => operation.path.startsWith('/v1/clusters/') && operation.path.includes('{id}'),
    );
    expect(idRoutes.map((route) => route.operationId).sort()).toEqual(Object.keys(samples).sort());
    const before = await snapshot();
    const sentBefore = sends();
    let tried = 0;
    for (const route of idRoutes) {
      const sample = samples[route.operationId];
      if (!sample) continue;
      for (const victim of victims) {
        for (const key of [b.keys.all, b.keys.admin]) {
          const reply = await api({ ...sample(victim.id), key });
          expect(reply.status, `${route.operationId} on ${victim.state}`).toBe(404);
          expect(problemOf(reply)).toMatchObject({
            code: 'NOT_FOUND',
            detail: `cluster ${victim.id} not found`,
          });
          expect(reply.body).not.toContain('a-live');
          expect(reply.body).not.toContain('owner');
          tried += 1;
        }
      }
    }
    expect(tried).toBe(idRoutes.length * victims.length * 2);
    expect(await snapshot()).toEqual(before);
    expect(sends()).toBe(sentBefore);
  });

  it('answers 404 on every webhook id route for A’s endpoint and delivery, and changes nothing', async () => {
    const samples: Record<string, () => ApiCall> = {
      deleteWebhookEndpoint: () => ({
        method: 'DELETE',
        path: `/v1/webhooks/endpoints/${aEndpointId}`,
      }),
      enableWebhookEndpoint: () => ({
        method: 'POST',
        path: `/v1/webhooks/endpoints/${aEndpointId}:enable`,
      }),
      redeliverWebhook: () => ({
        method: 'POST',
        path: `/v1/webhooks/deliveries/${aDeliveryId}/redeliver`,
      }),
      getWebhookEndpoint: () => ({
        method: 'GET',
        path: `/v1/webhooks/endpoints/${aEndpointId}`,
      }),
      updateWebhookEndpoint: () => ({
        method: 'PATCH',
        path: `/v1/webhooks/endpoints/${aEndpointId}`,
        json: { enabled: false, url: 'https://evil.example.com/' },
      }),
      pingWebhookEndpoint: () => ({
        method: 'POST',
        path: `/v1/webhooks/endpoints/${aEndpointId}:ping`,
      }),
      getWebhookDelivery: () => ({
        method: 'GET',
        path: `/v1/webhooks/deliveries/${aDeliveryId}`,
      }),
    };
    const idRoutes = operations.filter(
      (operation) => operation.path.startsWith('/v1/webhooks/') && operation.path.includes('{id}'),
    );
    expect(idRoutes.map((route) => route.operationId).sort()).toEqual(Object.keys(samples).sort());
    const state = async () => ({
      endpoints: await env.stack.store.listWebhookEndpoints({ tenantId: a.id, limit: 100 }),
      deliveries: await env.stack.store.listTenantDeliveries({ tenantId: a.id, limit: 100 }),
    });
    const before = await state();
    expect(before.endpoints).toHaveLength(1);
    for (const route of idRoutes) {
      const sample = samples[route.operationId];
      if (!sample) continue;
      for (const key of [b.keys.all, b.keys.admin]) {
        const reply = await api({ ...sample(), key });
        expect(reply.status, route.operationId).toBe(404);
        const id = route.path.startsWith('/v1/webhooks/deliveries/') ? aDeliveryId : aEndpointId;
        expect(problemOf(reply).detail).toMatch(
          new RegExp(`^webhook (endpoint|delivery) ${id} not found$`),
        );
        expect(reply.body).not.toContain('hooks.example.com');
      }
    }
    expect(await state()).toEqual(before);
  });

  it('lets no cluster key read or set a tenant’s networks or quota, its own or A’s (403), and changes nothing', async () => {
    const samples: Record<string, (id: string) => ApiCall> = {
      getTenantNetworks: (id) => ({ method: 'GET', path: `/v1/admin/tenants/${id}/networks` }),
      setTenantNetworks: (id) => ({
        method: 'PUT',
        path: `/v1/admin/tenants/${id}/networks`,
        json: {
          networks: [{ region: 'cn-hangzhou', vpcId: 'vpc-emuhz01', vswitchIds: ['vsw-emuhz01a'] }],
        },
      }),
      getTenantQuota: (id) => ({ method: 'GET', path: `/v1/admin/tenants/${id}/quota` }),
      setTenantQuota: (id) => ({
        method: 'PUT',
        path: `/v1/admin/tenants/${id}/quota`,
        json: { maxClusters: 1000, maxMonthlyCost: null },
      }),
    };
    const limitRoutes = operations.filter((operation) =>
      /^\/v1\/admin\/tenants\/\{id\}\/(networks|quota)$/.test(operation.path),
    );
    expect(limitRoutes.map((route) => route.operationId).sort()).toEqual(
      Object.keys(samples).sort(),
    );
    const limits = async (id: string) => ({
      networks: await env.stack.store.getTenantNetworks(id),
      quota: await env.stack.store.getTenantQuota(id),
    });
    const before = { a: await limits(a.id), b: await limits(b.id) };
    for (const route of limitRoutes) {
      const sample = samples[route.operationId];
      if (!sample) continue;
      for (const id of [a.id, b.id]) {
        const reply = await api({ ...sample(id), key: b.keys.all });
        expect(reply.status, `${route.operationId} on ${id}`).toBe(403);
        expect(problemOf(reply).code).toBe('FORBIDDEN');
      }
    }
    expect({ a: await limits(a.id), b: await limits(b.id) }).toEqual(before);
  });

  it('lists none of A’s webhook endpoints or deliveries to B', async () => {
    const lists: ApiCall[] = [
      { method: 'GET', path: '/v1/webhooks/endpoints' },
      { method: 'GET', path: '/v1/webhooks/deliveries' },
      {
        method: 'GET',
        path: '/v1/webhooks/deliveries',
        query: { clusterId: victims[0]?.id ?? '' },
      },
      {
        method: 'GET',
        path: '/v1/webhooks/deliveries',
        query: { status: 'pending', limit: '100' },
      },
    ];
    const page = z.object({ items: z.array(z.unknown()), nextCursor: z.string().nullable() });
    for (const call of lists) {
      for (const key of [b.keys.all, b.keys.admin]) {
        expect(jsonOf(await api({ ...call, key }), page).items).toEqual([]);
      }
    }
    const mine = await api({ method: 'GET', path: '/v1/webhooks/deliveries', key: a.keys.all });
    // A's two: the live cluster's transition and the cancelled one's `cluster.cancelled`.
    expect(jsonOf(mine, page).items).toHaveLength(2);
  });

  it('makes another tenant’s cluster look exactly like a missing one', async () => {
    const victim = victims[0];
    if (!victim) throw new Error('no victim');
    const missing = 'prv_0000000000zzzzzzzzzzzzzzzz';
    const theirs = await api({ method: 'GET', path: `/v1/clusters/${victim.id}`, key: b.keys.all });
    const nobody = await api({ method: 'GET', path: `/v1/clusters/${missing}`, key: b.keys.all });
    /** The reply with the id it names replaced, so only what differs beyond the id remains. */
    const shape = (reply: ApiReply, id: string) => ({
      status: reply.status,
      contentType: reply.headers['content-type'],
      body: reply.body.replaceAll(id, '<id>'),
    });
    expect(shape(theirs, victim.id)).toEqual(shape(nobody, missing));
  });

  it('lists none of A’s clusters to B, whatever the filter', async () => {
    const queries: Record<string, string>[] = [
      { limit: '100' },
      { label: 'owner=a', limit: '100' },
      { state: 'accepted,provisioning,cancelled' },
      { includeDeleted: 'true', region: 'cn-hangzhou', name: 'v' },
    ];
    for (const query of queries) {
      const reply = await api({ method: 'GET', path: '/v1/clusters', key: b.keys.admin, query });
      const page = jsonOf(
        reply,
        z.object({ items: z.array(clusterShape), nextCursor: z.string().nullable() }),
      );
      expect(page.items).toEqual([]);
    }
    const mine = await api({
      method: 'GET',
      path: '/v1/clusters',
      key: a.keys.all,
      query: { label: 'owner=a', includeDeleted: 'true' },
    });
    expect(jsonOf(mine, z.object({ items: z.array(clusterShape) }).loose()).items.length).toBe(
      victims.length,
    );
  });

  it('keeps Idempotency-Keys apart per tenant', async () => {
    const body = { name: 'same', region: 'cn-hangzhou' };
    const headers = { 'idempotency-key': '"shared-key"' };
    const fromA = await api({
      method: 'POST',
      path: '/v1/clusters',
      key: a.keys.all,
      headers,
      json: body,
    });
    const fromB = await api({
      method: 'POST',
      path: '/v1/clusters',
      key: b.keys.all,
      headers,
      json: body,
    });
    expect([fromA.status, fromB.status]).toEqual([202, 202]);
    expect(fromB.headers['idempotent-replayed']).toBeUndefined();
    expect(jsonOf(fromB, clusterShape).id).not.toBe(jsonOf(fromA, clusterShape).id);
  });

  it('keeps the admin routes to admin keys', async () => {
    const aKeyId = /^askp_([0-9a-z]+)_/.exec(a.keys.all ?? '')?.[1] ?? '';
    const reply = await api({
      method: 'POST',
      path: `/v1/admin/api-keys/${aKeyId}:revoke`,
      key: b.keys.all,
    });
    expect(problemOf(reply).code).toBe('FORBIDDEN');
    expect((await api({ method: 'GET', path: '/v1/clusters', key: a.keys.all })).status).toBe(200);
  });
});
