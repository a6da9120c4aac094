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
import { waitFor } from '../support/wait-for.js';

/**
 * The tenant boundary against the operator's account, with tenants over the real HTTP stack
 * (local host, emulated ACK and MNS, the worker running): a network registered for tenant A is
 * refused to tenant B before ACK is asked; "auto" stays open; each tenant's quota is its own and
 * holds under concurrent creates; preflight shows a tenant its own usage, never the account's
 * numbers; ACK's own words never reach a tenant.
 */
const CLUSTER_SCOPES = ['clusters:read', 'clusters:write'];
const A_NETWORK = { region: 'cn-hangzhou', vpcId: 'vpc-emuhz01', vswitchIds: ['vsw-emuhz01a'] };

const expectProblem = (reply: ApiReply, status: number, code: string, field?: string) => {
  expect(reply.status, reply.body).toBe(status);
  expect(reply.headers['content-type']).toBe('application/problem+json');
  const problem = problemOf(reply);
  expect(problem.code).toBe(code);
  if (field !== undefined) expect(problem.field).toBe(field);
  return problem;
};

const findingsShape = z.looseObject({
  ok: z.boolean(),
  findings: z.array(z.looseObject({ check: z.string(), status: z.string(), message: z.string() })),
});

const quotaShape = z.object({
  tenantId: z.string(),
  maxClusters: z.number().nullable(),
  maxMonthlyCost: z.number().nullable(),
  usage: z.object({ clusters: z.number(), usdPerMonth: z.number() }),
});

describe('cross-tenant: networks and quotas', () => {
  let env: ApiStack;
  let api: ApiCaller;
  type Tenant = Awaited<ReturnType<typeof provisionTenant>>;
  let a: Tenant;
  let b: Tenant;

  const tenant = (name: string) =>
    provisionTenant(api, env.adminKey, { name, keys: { all: CLUSTER_SCOPES } });
  const keyOf = (t: Tenant): string => t.keys.all ?? '';

  const create = (t: Tenant, json: Record<string, unknown> = {}) =>
    api({
      method: 'POST',
      path: '/v1/clusters',
      key: keyOf(t),
      json: { name: 'x', region: 'cn-hangzhou', ...json },
    });
  const preflight = (key: string, json: Record<string, unknown> = {}) =>
    api({
      method: 'POST',
      path: '/v1/clusters:preflight',
      key,
      json: { name: 'x', region: 'cn-hangzhou', ...json },
    });
  const admin = (method: 'GET' | 'PUT', path: string, json?: unknown) =>
    api({ method, path, key: env.adminKey, ...(json === undefined ? {} : { json }) });
  /** The tenant's provisions not deleted, cancelled or failed, read from the store. */
  const held = async (t: Tenant) => (await env.stack.store.heldClusterSpecs(t.id)).length;
  const ackCreates = () => env.stack.ack.stats().CreateCluster ?? 0;

  beforeAll(async () => {
    env = await startApiStack({
      ASKP_RATE_LIMIT_PER_SECOND: '10000',
      ASKP_RATE_LIMIT_BURST: '10000',
    });
    api = env.api;
    a = await tenant('tenant-a');
    b = await tenant('tenant-b');
    const put = await admin('PUT', `/v1/admin/tenants/${a.id}/networks`, {
      networks: [A_NETWORK],
    });
    expect(put.status, put.body).toBe(200);
  });

  afterAll(async () => {
    await env?.stop();
  });

  describe('networks', () => {
    it('shows an admin the networks registered for a tenant, and none for another', async () => {
      const mine = await admin('GET', `/v1/admin/tenants/${a.id}/networks`);
      expect(JSON.parse(mine.body)).toEqual({ tenantId: a.id, networks: [A_NETWORK] });
      const theirs = await admin('GET', `/v1/admin/tenants/${b.id}/networks`);
      expect(JSON.parse(theirs.body)).toEqual({ tenantId: b.id, networks: [] });
      // The registration is a mutation: it is in the audit log, about A.
      const audit = await api({
        method: 'GET',
        path: '/v1/admin/audit',
        key: env.adminKey,
        query: { tenantId: a.id, action: 'tenant.networks.set' },
      });
      const records = jsonOf(
        audit,
        z.looseObject({ items: z.array(z.looseObject({ tenantId: z.string() })) }),
      );
      expect(records.items.map((record) => record.tenantId)).toEqual([a.id]);
    });

    it('refuses A’s VPC to B on create and preflight (403 naming network.vpcId), asking ACK nothing and writing nothing', async () => {
      const creates = ackCreates();
      const sent = env.stack.mns.stats().SendMessage ?? 0;
      const network = { vpcId: A_NETWORK.vpcId, vswitchIds: A_NETWORK.vswitchIds };
      const refused = expectProblem(
        await create(b, { network }),
        403,
        'NETWORK_NOT_ALLOWED',
        'network.vpcId',
      );
      expect(refused.detail).not.toMatch(/exist/i);
      expectProblem(
        await preflight(keyOf(b), { network }),
        403,
        'NETWORK_NOT_ALLOWED',
        'network.vpcId',
      );
      expect(await held(b)).toBe(0);
      expect(ackCreates()).toBe(creates);
      expect(env.stack.mns.stats().SendMessage ?? 0).toBe(sent);
    });

    it('refuses a VPC that exists nowhere exactly like one that exists: no existence oracle', async () => {
      const real = problemOf(
        await create(b, { network: { vpcId: 'vpc-emuhz01', vswitchIds: ['vsw-emuhz01a'] } }),
      );
      const made = problemOf(
        await create(b, { network: { vpcId: 'vpc-nowhere01', vswitchIds: ['vsw-nowhere01'] } }),
      );
      expect(made.detail.replace('vpc-nowhere01', 'ID')).toBe(
        real.detail.replace('vpc-emuhz01', 'ID'),
      );
    });

    it('refuses A a vSwitch not registered for it, naming its index', async () => {
      expectProblem(
        await create(a, {
          network: { vpcId: A_NETWORK.vpcId, vswitchIds: ['vsw-emuhz01a', 'vsw-emuhz01b'] },
        }),
        403,
        'NETWORK_NOT_ALLOWED',
        'network.vswitchIds.1',
      );
    });

    it('accepts A’s own registered network, and "auto" for B', async () => {
      const mine = await create(a, {
        network: { vpcId: A_NETWORK.vpcId, vswitchIds: A_NETWORK.vswitchIds },
      });
      expect(mine.status, mine.body).toBe(202);
      const auto = await create(b, { network: 'auto' });
      expect(auto.status, auto.body).toBe(202);
      const checked = jsonOf(await preflight(keyOf(b)), findingsShape);
      expect(checked.findings.map((finding) => finding.check)).toContain('network');
    });

    it('refuses an addon outside the allow-list and a config it does not know (400 naming the field)', async () => {
      expectProblem(
        await create(b, { addons: [{ name: 'coredns' }, { name: 'terway-eniip' }] }),
        400,
        'VALIDATION_FAILED',
        'addons.1.name',
      );
      expectProblem(
        await create(b, {
          addons: [{ name: 'logtail-ds', config: { sls_project_name: 'operator-audit' } }],
        }),
        400,
        'VALIDATION_FAILED',
        'addons.0.config',
      );
      const known = await create(b, {
        name: 'ingress',
        addons: [
          { name: 'nginx-ingress-controller', config: { IngressSlbNetworkType: 'intranet' } },
        ],
      });
      expect(known.status, known.body).toBe(202);
    });

    it('tells a tenant why ACK refused a registered network in our words, never ACK’s', async () => {
      const c = await tenant('tenant-c');
      // Registered by the operator but not in the account: ACK refuses it at CreateCluster.
      const put = await admin('PUT', `/v1/admin/tenants/${c.id}/networks`, {
        networks: [{ region: 'cn-hangzhou', vpcId: 'vpc-gone0001', vswitchIds: ['vsw-gone0001'] }],
      });
      expect(put.status, put.body).toBe(200);
      const created = jsonOf(
        await create(c, { network: { vpcId: 'vpc-gone0001', vswitchIds: ['vsw-gone0001'] } }),
        clusterShape,
      );
      const failed = await waitFor('the create to fail', async () => {
        const reply = await api({
          method: 'GET',
          path: `/v1/clusters/${created.id}`,
          key: keyOf(c),
        });
        const body = jsonOf(reply, z.looseObject({ state: z.string(), error: z.unknown() }));
        return body.state === 'failed' ? reply.body : undefined;
      });
      // The worker's preflight (the VPC API) or ACK finds it; either way our words name the
      // field, and ACK's own text ("The VPC … does not exist in region …") never comes back.
      expect(failed).toContain('network.vpcId');
      expect(failed).not.toMatch(/The VPC vpc-gone0001 does not exist in region|InvalidParameter/);
      const events = await api({
        method: 'GET',
        path: `/v1/clusters/${created.id}/events`,
        key: keyOf(c),
      });
      expect(events.body).not.toMatch(
        /The VPC vpc-gone0001 does not exist in region|InvalidParameter/,
      );
    });
  });

  describe('quotas', () => {
    it('keeps each tenant’s quota its own: A full does not stop B', async () => {
      const d = await tenant('tenant-d');
      const e = await tenant('tenant-e');
      const put = await admin('PUT', `/v1/admin/tenants/${d.id}/quota`, {
        maxClusters: 1,
        maxMonthlyCost: null,
      });
      expect(jsonOf(put, quotaShape)).toMatchObject({ maxClusters: 1, usage: { clusters: 0 } });
      expect((await create(d)).status).toBe(202);
      const refused = expectProblem(await create(d), 403, 'TENANT_QUOTA_EXCEEDED');
      expect(refused.detail).toContain('1 of at most 1');
      expect(await held(d)).toBe(1);
      // E has no quota of its own and is not counted against D's.
      expect((await create(e)).status).toBe(202);
      expect((await create(e)).status).toBe(202);
      const quota = jsonOf(await admin('GET', `/v1/admin/tenants/${d.id}/quota`), quotaShape);
      expect(quota.usage.clusters).toBe(1);
      expect(quota.usage.usdPerMonth).toBeGreaterThan(0);
    });

    it('frees a place when a cluster is cancelled', async () => {
      const f = await tenant('tenant-f');
      await admin('PUT', `/v1/admin/tenants/${f.id}/quota`, {
        maxClusters: 1,
        maxMonthlyCost: null,
      });
      const first = await env.insertAccepted(f.id);
      expectProblem(await create(f), 403, 'TENANT_QUOTA_EXCEEDED');
      const cancel = await api({
        method: 'DELETE',
        path: `/v1/clusters/${first.id}`,
        key: keyOf(f),
      });
      expect(cancel.status, cancel.body).toBeLessThan(300);
      expect((await create(f)).status).toBe(202);
    });

    it('refuses a cluster whose monthly cost would pass maxMonthlyCost', async () => {
      const g = await tenant('tenant-g');
      await admin('PUT', `/v1/admin/tenants/${g.id}/quota`, {
        maxClusters: null,
        maxMonthlyCost: 1,
      });
      expectProblem(await create(g), 403, 'TENANT_QUOTA_EXCEEDED');
      expect(await held(g)).toBe(0);
    });

    it('accepts exactly 3 of 20 concurrent creates against maxClusters=3', async () => {
      const h = await tenant('tenant-h');
      await admin('PUT', `/v1/admin/tenants/${h.id}/quota`, {
        maxClusters: 3,
        maxMonthlyCost: null,
      });
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, index) => create(h, { name: `race-${index}` })),
      );
      const statuses = replies.map((reply) => reply.status);
      expect(statuses.filter((status) => status === 202)).toHaveLength(3);
      expect(statuses.filter((status) => status === 403)).toHaveLength(17);
      for (const reply of replies.filter((r) => r.status === 403)) {
        expect(problemOf(reply).code).toBe('TENANT_QUOTA_EXCEEDED');
      }
      expect(await held(h)).toBe(3);
    });

    it('shows a tenant its own usage in preflight and never the account’s numbers; an admin sees them', async () => {
      const i = await tenant('tenant-i');
      await admin('PUT', `/v1/admin/tenants/${i.id}/quota`, {
        maxClusters: 2,
        maxMonthlyCost: null,
      });
      const report = jsonOf(await preflight(keyOf(i)), findingsShape);
      const own = report.findings.find((finding) => finding.check === 'tenant-quota');
      expect(own).toMatchObject({ status: 'pass', message: '0 of 2 clusters in use' });
      const account = report.findings.find((finding) => finding.check === 'quota');
      expect(account?.message).not.toMatch(/\d+ of \d+|left/);
      const operator = jsonOf(await preflight(env.adminKey), findingsShape);
      expect(operator.findings.find((finding) => finding.check === 'quota')?.message).toMatch(
        /\d+ of \d+/,
      );
    });
  });

  describe('admin routes', () => {
    it('answers 404 for an unknown tenant and 400 naming the field for a bad body', async () => {
      expectProblem(await admin('GET', '/v1/admin/tenants/tnt_nobody/networks'), 404, 'NOT_FOUND');
      expectProblem(
        await admin('PUT', '/v1/admin/tenants/tnt_nobody/quota', {
          maxClusters: 1,
          maxMonthlyCost: 1,
        }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await admin('PUT', `/v1/admin/tenants/${b.id}/networks`, {
          networks: [{ region: 'cn-hangzhou', vpcId: 'subnet-1', vswitchIds: ['vsw-emuhz01a'] }],
        }),
        400,
        'VALIDATION_FAILED',
        'networks.0.vpcId',
      );
      expectProblem(
        await admin('PUT', `/v1/admin/tenants/${b.id}/quota`, { maxClusters: 3 }),
        400,
        'VALIDATION_FAILED',
        'maxMonthlyCost',
      );
      expectProblem(
        await admin('PUT', `/v1/admin/tenants/${b.id}/quota`, {
          maxClusters: -1,
          maxMonthlyCost: null,
        }),
        400,
        'VALIDATION_FAILED',
        'maxClusters',
      );
      // Nothing was written by the refusals.
      expect(JSON.parse((await admin('GET', `/v1/admin/tenants/${b.id}/networks`)).body)).toEqual({
        tenantId: b.id,
        networks: [],
      });
    });

    it('refuses a tenant key on every limits route (403), for its own tenant too', async () => {
      for (const [method, path, json] of [
        ['GET', `/v1/admin/tenants/${b.id}/networks`, undefined],
        ['PUT', `/v1/admin/tenants/${b.id}/networks`, { networks: [A_NETWORK] }],
        ['GET', `/v1/admin/tenants/${b.id}/quota`, undefined],
        ['PUT', `/v1/admin/tenants/${b.id}/quota`, { maxClusters: null, maxMonthlyCost: null }],
      ] as const) {
        const reply = await api({ method, path, key: keyOf(b), ...(json ? { json } : {}) });
        expectProblem(reply, 403, 'FORBIDDEN');
      }
      expect(await env.stack.store.getTenantNetworks(b.id)).toEqual([]);
    });
  });
});
