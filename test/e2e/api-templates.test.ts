import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  type ApiCaller,
  clusterShape,
  jsonOf,
  problemOf,
  provisionTenant,
} from '../support/api-client.js';
import { type ApiStack, startApiStack } from '../support/api-stack.js';

/**
 * Cluster templates over HTTP: saved exactly as given and versioned, checked field by field by
 * the create rules, a create starting from one (the body overriding, labels merging, the spec
 * naming the template and version), preflight from one, and one tenant's templates invisible and
 * unusable to another.
 */
const templateShape = z
  .object({
    name: z.string(),
    spec: z.record(z.string(), z.unknown()),
    version: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();
const listShape = z.object({ items: z.array(templateShape), nextCursor: z.string().nullable() });
const specShape = z.looseObject({
  region: z.string(),
  clusterSpec: z.string(),
  labels: z.record(z.string(), z.string()),
  template: z.object({ name: z.string(), version: z.number() }).optional(),
});

const SCOPES = ['clusters:read', 'clusters:write'];

describe('cluster templates', () => {
  let env: ApiStack;
  let api: ApiCaller;
  let a: Awaited<ReturnType<typeof provisionTenant>>;
  let b: Awaited<ReturnType<typeof provisionTenant>>;

  beforeAll(async () => {
    env = await startApiStack({
      ASKP_RATE_LIMIT_PER_SECOND: '10000',
      ASKP_RATE_LIMIT_BURST: '10000',
    });
    api = env.api;
    a = await provisionTenant(api, env.adminKey, { name: 'templates-a', keys: { all: SCOPES } });
    b = await provisionTenant(api, env.adminKey, { name: 'templates-b', keys: { all: SCOPES } });
  }, 120_000);

  afterAll(async () => {
    await env?.stop();
  });

  const clustersOf = async (key: string | undefined) =>
    jsonOf(
      await api({ method: 'GET', path: '/v1/clusters', key, query: { limit: '100' } }),
      z.object({ items: z.array(z.unknown()) }).loose(),
    ).items.length;

  it('saves a template exactly as given, refuses a second of the same name, and versions each replacement', async () => {
    const saved = await api({
      method: 'POST',
      path: '/v1/templates',
      key: a.keys.all,
      json: { name: 'ci-small', spec: { region: 'cn-hangzhou', ttl: '2h' } },
    });
    expect(saved.status).toBe(201);
    expect(saved.headers.location).toBe('/v1/templates/ci-small');
    // No defaults filled in: the create applies them, so a template follows the service's.
    expect(jsonOf(saved, templateShape)).toMatchObject({
      name: 'ci-small',
      spec: { region: 'cn-hangzhou', ttl: '2h' },
      version: 1,
    });
    const again = await api({
      method: 'POST',
      path: '/v1/templates',
      key: a.keys.all,
      json: { name: 'ci-small', spec: {} },
    });
    expect(again.status).toBe(409);
    expect(problemOf(again)).toMatchObject({ code: 'CONFLICT', field: 'name' });

    const replaced = await api({
      method: 'PUT',
      path: '/v1/templates/ci-small',
      key: a.keys.all,
      json: { spec: { region: 'cn-beijing', ttl: '4h' } },
    });
    expect(replaced.status).toBe(200);
    expect(jsonOf(replaced, templateShape)).toMatchObject({
      spec: { region: 'cn-beijing', ttl: '4h' },
      version: 2,
    });
    const made = await api({
      method: 'PUT',
      path: '/v1/templates/preview',
      key: a.keys.all,
      json: { spec: { endpointPublicAccess: true } },
    });
    expect(made.status).toBe(201);
    expect(jsonOf(made, templateShape).version).toBe(1);

    const first = jsonOf(
      await api({ method: 'GET', path: '/v1/templates', key: a.keys.all, query: { limit: '1' } }),
      listShape,
    );
    expect(first.items.map((t) => t.name)).toEqual(['ci-small']);
    const second = jsonOf(
      await api({
        method: 'GET',
        path: '/v1/templates',
        key: a.keys.all,
        query: { limit: '1', cursor: first.nextCursor ?? '' },
      }),
      listShape,
    );
    expect(second.items.map((t) => t.name)).toEqual(['preview']);
    expect(second.nextCursor).toBeNull();

    const deleted = await api({ method: 'DELETE', path: '/v1/templates/preview', key: a.keys.all });
    expect(jsonOf(deleted, templateShape).name).toBe('preview');
    const gone = await api({ method: 'GET', path: '/v1/templates/preview', key: a.keys.all });
    expect(gone.status).toBe(404);
    expect(problemOf(gone)).toMatchObject({
      code: 'NOT_FOUND',
      detail: 'template preview not found',
    });
  });

  it.each([
    ['the cluster name', { name: 't1', spec: { name: 'x' } }, 'spec.name'],
    [
      'an absolute expiry',
      { name: 't1', spec: { expiresAt: '2099-01-01T00:00:00Z' } },
      'spec.expiresAt',
    ],
    [
      'a serviceCidr with host bits',
      { name: 't1', spec: { serviceCidr: '172.21.0.5/20' } },
      'spec.serviceCidr',
    ],
    ['a region not offered', { name: 't1', spec: { region: 'xx-nowhere-1' } }, 'spec.region'],
    ['a reserved label', { name: 't1', spec: { labels: { 'askp.tenant': 'x' } } }, 'spec.labels'],
    ['a bad template name', { name: 'Bad Name', spec: {} }, 'name'],
    ['an unknown field', { name: 't1', spec: { colour: 'blue' } }, 'spec.colour'],
  ])('refuses a template with %s (400 naming the field, nothing saved)', async (_, json, field) => {
    const reply = await api({ method: 'POST', path: '/v1/templates', key: a.keys.all, json });
    expect(reply.status).toBe(400);
    expect(problemOf(reply).field).toMatch(new RegExp(`^${field.replace('.', '\\.')}`));
    expect((await api({ method: 'GET', path: '/v1/templates/t1', key: a.keys.all })).status).toBe(
      404,
    );
  });

  it('creates a cluster from a template: the body overrides, labels merge, the spec names the template and version', async () => {
    await api({
      method: 'PUT',
      path: '/v1/templates/team-data',
      key: a.keys.all,
      json: {
        spec: {
          region: 'cn-hangzhou',
          clusterSpec: 'ack.pro.small',
          ttl: '8h',
          labels: { team: 'data', env: 'ci' },
        },
      },
    });
    const created = await api({
      method: 'POST',
      path: '/v1/clusters',
      key: a.keys.all,
      json: { name: 'from-template', template: 'team-data', labels: { env: 'preview' } },
    });
    expect(created.status, created.body).toBe(202);
    const cluster = jsonOf(created, clusterShape.extend({ spec: specShape }));
    expect(cluster.spec).toMatchObject({
      region: 'cn-hangzhou',
      clusterSpec: 'ack.pro.small',
      labels: { team: 'data', env: 'preview' },
      template: { name: 'team-data', version: 1 },
    });
    expect(cluster.labels).toEqual({ team: 'data', env: 'preview' });
    // ttl 8h from the template became the expiry.
    const lifetime = Date.parse(cluster.expiresAt ?? '') - Date.parse(cluster.createdAt);
    expect(Math.round(lifetime / 3_600_000)).toBe(8);

    const overridden = jsonOf(
      await api({
        method: 'POST',
        path: '/v1/clusters',
        key: a.keys.all,
        json: { name: 'overridden', template: 'team-data', clusterSpec: 'ack.standard' },
      }),
      clusterShape.extend({ spec: specShape }),
    );
    expect(overridden.spec.clusterSpec).toBe('ack.standard');

    // A replacement is a new version; what was made earlier keeps the version it came from.
    await api({
      method: 'PUT',
      path: '/v1/templates/team-data',
      key: a.keys.all,
      json: { spec: { region: 'cn-hangzhou' } },
    });
    const later = jsonOf(
      await api({
        method: 'POST',
        path: '/v1/clusters',
        key: a.keys.all,
        json: { name: 'later', template: 'team-data' },
      }),
      clusterShape.extend({ spec: specShape }),
    );
    expect(later.spec.template).toEqual({ name: 'team-data', version: 2 });
    const earlier = jsonOf(
      await api({ method: 'GET', path: `/v1/clusters/${cluster.id}`, key: a.keys.all }),
      clusterShape.extend({ spec: specShape }),
    );
    expect(earlier.spec.template).toEqual({ name: 'team-data', version: 1 });
  });

  it('checks the merge by the create rules and writes nothing when it fails', async () => {
    const before = await clustersOf(a.keys.all);
    const unknown = await api({
      method: 'POST',
      path: '/v1/clusters',
      key: a.keys.all,
      json: { name: 'nope', template: 'no-such-template' },
    });
    expect(unknown.status).toBe(400);
    expect(problemOf(unknown)).toMatchObject({ code: 'VALIDATION_FAILED', field: 'template' });

    await api({
      method: 'PUT',
      path: '/v1/templates/with-ttl',
      key: a.keys.all,
      json: { spec: { region: 'cn-hangzhou', ttl: '1h' } },
    });
    const both = await api({
      method: 'POST',
      path: '/v1/clusters',
      key: a.keys.all,
      json: {
        name: 'nope',
        template: 'with-ttl',
        expiresAt: new Date(Date.now() + 7_200_000).toISOString(),
      },
    });
    expect(both.status).toBe(400);
    expect(problemOf(both).field).toBe('expiresAt');

    await api({
      method: 'PUT',
      path: '/v1/templates/no-region',
      key: a.keys.all,
      json: { spec: { ttl: '1h' } },
    });
    const noRegion = await api({
      method: 'POST',
      path: '/v1/clusters',
      key: a.keys.all,
      json: { name: 'nope', template: 'no-region' },
    });
    expect(noRegion.status).toBe(400);
    expect(problemOf(noRegion).field).toBe('region');
    expect(await clustersOf(a.keys.all)).toBe(before);
  });

  it('preflights a create from a template', async () => {
    const reply = await api({
      method: 'POST',
      path: '/v1/clusters:preflight',
      key: a.keys.all,
      json: { name: 'pf', template: 'with-ttl' },
    });
    expect(reply.status, reply.body).toBe(200);
    expect(jsonOf(reply, z.looseObject({ ok: z.boolean() })).ok).toBe(true);
  });

  it("keeps one tenant's templates from another: 404 to read or delete, unusable in a create, names free", async () => {
    const mine = async () =>
      jsonOf(await api({ method: 'GET', path: '/v1/templates', key: a.keys.all }), listShape).items;
    const before = await mine();
    expect(before.map((t) => t.name)).toContain('team-data');
    for (const call of [
      { method: 'GET', path: '/v1/templates/team-data' },
      { method: 'DELETE', path: '/v1/templates/team-data' },
    ]) {
      const reply = await api({ ...call, key: b.keys.all });
      expect(reply.status, call.method).toBe(404);
      expect(reply.body).not.toContain('cn-hangzhou');
    }
    const create = await api({
      method: 'POST',
      path: '/v1/clusters',
      key: b.keys.all,
      json: { name: 'borrowed', template: 'team-data' },
    });
    expect(create.status).toBe(400);
    expect(problemOf(create).field).toBe('template');
    expect(
      jsonOf(await api({ method: 'GET', path: '/v1/templates', key: b.keys.all }), listShape).items,
    ).toEqual([]);
    // B's template of the same name is B's own; A's stays as it was.
    const own = await api({
      method: 'PUT',
      path: '/v1/templates/team-data',
      key: b.keys.all,
      json: { spec: { region: 'cn-beijing' } },
    });
    expect(own.status).toBe(201);
    expect(await mine()).toEqual(before);
  });
});
