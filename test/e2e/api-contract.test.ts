import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  type ApiCaller,
  type ApiReply,
  clusterShape,
  jsonOf,
  problemOf,
  provisionTenant,
} from '../support/api-client.js';
import { type ApiStack, startApiStack } from '../support/api-stack.js';

/**
 * What docs/api.md promises and a caller relies on, over HTTP: PATCH `labels` is an RFC 7396
 * merge, lists filter by region and name prefix and leave deleted clusters out unless asked,
 * the timeline pages, and API keys list by creation time.
 */
const listShape = z.object({ items: z.array(clusterShape), nextCursor: z.string().nullable() });
const eventsShape = z.object({
  id: z.string(),
  events: z.array(z.looseObject({ sequence: z.number(), type: z.string() })),
  nextCursor: z.string().nullable(),
});

describe('the API contract', () => {
  let env: ApiStack;
  let api: ApiCaller;
  let tenant: Awaited<ReturnType<typeof provisionTenant>>;
  let key: string;

  const patch = (id: string, json: unknown): Promise<ApiReply> =>
    api({
      method: 'PATCH',
      path: `/v1/clusters/${id}`,
      key,
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify(json),
    });

  const list = async (query: Record<string, string>) => {
    const reply = await api({ method: 'GET', path: '/v1/clusters', key, query });
    expect(reply.status, reply.body).toBe(200);
    return jsonOf(reply, listShape);
  };

  beforeAll(async () => {
    env = await startApiStack({
      ASKP_RATE_LIMIT_PER_SECOND: '10000',
      ASKP_RATE_LIMIT_BURST: '10000',
    });
    api = env.api;
    tenant = await provisionTenant(api, env.adminKey, {
      name: 'contract',
      keys: { all: ['clusters:read', 'clusters:write'] },
    });
    key = tenant.keys.all ?? '';
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('merges labels key by key (RFC 7396): null removes a key, others merge, labels: null clears', async () => {
    const provision = await env.insertAccepted(tenant.id, {
      labels: { team: 'data', env: 'ci', scratch: 'yes' },
    });
    const merged = await patch(provision.id, {
      labels: { env: 'prod', owner: 'ana', scratch: null },
    });
    expect(merged.status, merged.body).toBe(200);
    expect(jsonOf(merged, clusterShape).labels).toEqual({
      team: 'data',
      env: 'prod',
      owner: 'ana',
    });

    // Removing a key that is not there changes nothing and is no error.
    const absent = await patch(provision.id, { labels: { nothing: null } });
    expect(jsonOf(absent, clusterShape).labels).toEqual({
      team: 'data',
      env: 'prod',
      owner: 'ana',
    });

    const events = jsonOf(
      await api({ method: 'GET', path: `/v1/clusters/${provision.id}/events`, key }),
      eventsShape,
    );
    expect(events.events.filter((event) => event.type === 'provision.updated')).toHaveLength(1);

    const eleven = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v']));
    const tooMany = await patch(provision.id, { labels: eleven });
    expect(tooMany.status).toBe(400);
    expect(problemOf(tooMany).field).toBe('labels');

    const cleared = await patch(provision.id, { labels: null });
    expect(jsonOf(cleared, clusterShape).labels).toEqual({});
    const got = await api({ method: 'GET', path: `/v1/clusters/${provision.id}`, key });
    expect(jsonOf(got, clusterShape).labels).toEqual({});

    const badValue = await patch(provision.id, { labels: { team: 7 } });
    expect(badValue.status).toBe(400);
    expect(problemOf(badValue).field).toBe('labels.team');
  });

  it('takes a PATCH ttl from 15m, as documented', async () => {
    const provision = await env.insertAccepted(tenant.id);
    const reply = await patch(provision.id, { ttl: '15m' });
    expect(reply.status, reply.body).toBe(200);
    expect(problemOf(await patch(provision.id, { ttl: '14m' })).field).toBe('ttl');
  });

  it('filters clusters by region and name prefix, and leaves deleted ones out unless asked', async () => {
    const other = await provisionTenant(api, env.adminKey, {
      name: 'contract-lists',
      keys: { all: ['clusters:read', 'clusters:write'] },
    });
    key = other.keys.all ?? '';
    try {
      const created: Record<string, string> = {};
      for (const [name, region] of [
        ['ci-41', 'cn-hangzhou'],
        ['ci-42', 'cn-shanghai'],
        ['dev-1', 'cn-hangzhou'],
        ['ci-gone', 'cn-hangzhou'],
      ] as const) {
        const reply = await api({
          method: 'POST',
          path: '/v1/clusters',
          key,
          json: { name, region },
        });
        expect(reply.status, reply.body).toBe(202);
        created[name] = jsonOf(reply, clusterShape).id;
      }
      // An accepted cluster that is deleted is cancelled; so may the worker get there first and
      // make it `deleting`: either way it is out of the live list once it is cancelled/deleted.
      const gone = created['ci-gone'] ?? '';
      const inserted = await env.insertAccepted(other.id);
      const cancel = await api({ method: 'DELETE', path: `/v1/clusters/${inserted.id}`, key });
      expect(cancel.status, cancel.body).toBe(202);
      expect(jsonOf(cancel, clusterShape).state).toBe('cancelled');

      const names = (page: z.output<typeof listShape>) =>
        page.items.map((item) => item.name).sort();
      expect(names(await list({ region: 'cn-hangzhou' }))).toEqual(['ci-41', 'ci-gone', 'dev-1']);
      expect(names(await list({ name: 'ci-' }))).toEqual(['ci-41', 'ci-42', 'ci-gone']);
      expect(names(await list({ name: 'ci-4', region: 'cn-shanghai' }))).toEqual(['ci-42']);
      expect(names(await list({ name: 'CI-' }))).toEqual([]);

      const live = await list({});
      expect(live.items.map((item) => item.id)).not.toContain(inserted.id);
      expect(live.items.map((item) => item.id)).toContain(gone);
      const all = await list({ includeDeleted: 'true' });
      expect(all.items.map((item) => item.id)).toContain(inserted.id);
      const explicit = await list({ state: 'cancelled' });
      expect(explicit.items.map((item) => item.id)).toEqual([inserted.id]);
      expect((await list({ includeDeleted: 'false' })).items).toHaveLength(live.items.length);

      for (const [name, value] of [
        ['region', 'Hangzhou!'],
        ['name', 'a%'],
        ['includeDeleted', 'yes'],
      ] as const) {
        const bad = await api({
          method: 'GET',
          path: '/v1/clusters',
          key,
          query: { [name]: value },
        });
        expect(bad.status).toBe(400);
        expect(problemOf(bad).field).toBe(name);
      }
    } finally {
      key = tenant.keys.all ?? '';
    }
  });

  it('pages the timeline: limit, nextCursor, and a cursor bound to its cluster', async () => {
    const provision = await env.insertAccepted(tenant.id);
    for (const ttl of ['1h', '2h', '3h', '4h']) {
      expect((await patch(provision.id, { ttl })).status).toBe(200);
    }
    const path = `/v1/clusters/${provision.id}/events`;
    const all = jsonOf(await api({ method: 'GET', path, key }), eventsShape);
    expect(all.events.length).toBe(5);
    expect(all.nextCursor).toBeNull();

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { limit: '2', ...(cursor ? { cursor } : {}) };
      const page = jsonOf(await api({ method: 'GET', path, key, query }), eventsShape);
      expect(page.events.length).toBeLessThanOrEqual(2);
      seen.push(...page.events.map((event) => event.sequence));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(all.events.map((event) => event.sequence));

    const first = jsonOf(
      await api({ method: 'GET', path, key, query: { limit: '1' } }),
      eventsShape,
    );
    const another = await env.insertAccepted(tenant.id);
    const foreign = await api({
      method: 'GET',
      path: `/v1/clusters/${another.id}/events`,
      key,
      query: { cursor: first.nextCursor ?? '' },
    });
    expect(foreign.status).toBe(400);
    expect(problemOf(foreign).field).toBe('cursor');
    const tooMany = await api({ method: 'GET', path, key, query: { limit: '1001' } });
    expect(problemOf(tooMany).field).toBe('limit');
  });

  it('reads tenants: a page of them, one with its defaults, the defaults alone; never a secret', async () => {
    const admin = env.adminKey;
    const created = await provisionTenant(api, admin, { name: 'contract-reads', keys: {} });
    const put = await api({
      method: 'PUT',
      path: `/v1/admin/tenants/${created.id}/defaults`,
      key: admin,
      json: { defaultTtl: '8h', defaultIdleAfter: null },
    });
    expect(put.status, put.body).toBe(200);

    const one = await api({ method: 'GET', path: `/v1/admin/tenants/${created.id}`, key: admin });
    expect(one.status, one.body).toBe(200);
    expect(JSON.parse(one.body)).toEqual({
      id: created.id,
      name: 'contract-reads',
      createdAt: expect.any(String),
      previousSecretExpiresAt: null,
      defaults: { defaultTtl: '8h', defaultIdleAfter: null },
    });
    expect(one.body).not.toContain('whsec_');
    const defaults = await api({
      method: 'GET',
      path: `/v1/admin/tenants/${created.id}/defaults`,
      key: admin,
    });
    expect(JSON.parse(defaults.body)).toEqual({
      tenantId: created.id,
      defaultTtl: '8h',
      defaultIdleAfter: null,
    });

    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const reply = await api({
        method: 'GET',
        path: '/v1/admin/tenants',
        key: admin,
        query: { limit: '2', ...(cursor ? { cursor } : {}) },
      });
      expect(reply.status, reply.body).toBe(200);
      expect(reply.body).not.toContain('whsec_');
      const page = jsonOf(
        reply,
        z.object({
          items: z.array(z.looseObject({ id: z.string() })),
          nextCursor: z.string().nullable(),
        }),
      );
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(ids).toContain(created.id);
    expect(ids).toContain(tenant.id);
    expect([...ids].sort()).toEqual(ids);

    for (const path of ['/v1/admin/tenants/tnt_nobody', '/v1/admin/tenants/tnt_nobody/defaults']) {
      expect(problemOf(await api({ method: 'GET', path, key: admin })).code).toBe('NOT_FOUND');
    }
    // Tenant reads are the operator's: a tenant's own key gets 403.
    const denied = await api({ method: 'GET', path: '/v1/admin/tenants', key });
    expect(denied.status).toBe(403);
  });

  it('says what to send for the other default when PUT names one', async () => {
    const reply = await api({
      method: 'PUT',
      path: `/v1/admin/tenants/${tenant.id}/defaults`,
      key: env.adminKey,
      json: { defaultTtl: '4h' },
    });
    expect(reply.status).toBe(400);
    const problem = problemOf(reply);
    expect(problem.field).toBe('defaultIdleAfter');
    expect(problem.detail).toContain('send defaultIdleAfter too');
    expect(problem.detail).toContain('null');
  });

  it('lists API keys by creation time, oldest first, across pages', async () => {
    const keysTenant = await provisionTenant(api, env.adminKey, {
      name: 'contract-keys',
      keys: Object.fromEntries(
        Array.from({ length: 6 }, (_, i) => [`k${i}`, ['clusters:read']] as const),
      ),
    });
    const shape = z.object({
      items: z.array(z.looseObject({ id: z.string(), createdAt: z.string() })),
      nextCursor: z.string().nullable(),
    });
    const items: { id: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const reply = await api({
        method: 'GET',
        path: '/v1/admin/api-keys',
        key: env.adminKey,
        query: { tenantId: keysTenant.id, limit: '4', ...(cursor ? { cursor } : {}) },
      });
      const page = jsonOf(reply, shape);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(items).toHaveLength(6);
    const issued = Object.values(keysTenant.keys).map((full) => full.split('_')[1]);
    // Issued one after another: the list follows that order, whatever the random ids say.
    expect(items.map((item) => item.id)).toEqual(issued);
    const times = items.map((item) => item.createdAt);
    expect([...times].sort()).toEqual(times);
  });
});
