import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { bodyFingerprint } from '../../shared/http/canonical-json.js';
import { newId } from '../../shared/ids.js';
import {
  type ApiCall,
  type ApiCaller,
  type ApiReply,
  clusterShape,
  jsonOf,
  problemOf,
  provisionTenant,
} from '../support/api-client.js';
import { type ApiStack, manualClock, startApiStack } from '../support/api-stack.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Every endpoint, every scope and every error type, black-box over HTTP against one local stack
 * (plus, where a test needs its own clock or a failing store, the same API function called
 * in-process against that stack's store). Every reply is checked for x-request-id and, when it is
 * an error, for problem+json; every error code seen is recorded and compared, at the end, with the
 * codes the OpenAPI document says the API can answer with.
 */
const ALL_CLUSTER_SCOPES = ['clusters:read', 'clusters:write', 'kubeconfig:read'];
const SCOPES = [...ALL_CLUSTER_SCOPES, 'admin'];

const seenCodes = new Set<string>();

const checked =
  (call: ApiCaller): ApiCaller =>
  async (input) => {
    const reply = await call(input);
    expect(reply.headers['x-request-id'], `${input.method} ${input.path}`).toBeTruthy();
    if (reply.status >= 400) {
      expect(reply.headers['content-type']).toBe('application/problem+json');
      const problem = problemOf(reply);
      expect(problem.status).toBe(reply.status);
      expect(problem.type).toBe(
        `https://ask-provisioner.dev/problems/${problem.code.toLowerCase().replaceAll('_', '-')}`,
      );
      seenCodes.add(problem.code);
    }
    return reply;
  };

const expectProblem = (reply: ApiReply, status: number, code: string, field?: string) => {
  expect(reply.status, reply.body).toBe(status);
  const problem = problemOf(reply);
  expect(problem.code).toBe(code);
  if (field !== undefined) expect(problem.field).toBe(field);
  return problem;
};

const cluster = (reply: ApiReply) => jsonOf(reply, clusterShape);

/** The tests (not suites) under a file or suite task, at any depth. */
interface TaskNode {
  id: string;
  name: string;
  type: string;
  result?: { state?: string };
  tasks?: TaskNode[];
}
const testsOf = (node: TaskNode): TaskNode[] =>
  node.type === 'test' ? [node] : (node.tasks ?? []).flatMap(testsOf);
const clusterList = (reply: ApiReply) =>
  jsonOf(reply, z.object({ items: z.array(clusterShape), nextCursor: z.string().nullable() }));

describe('the REST API, endpoint by endpoint', () => {
  let env: ApiStack;
  let api: ApiCaller;
  let tenant: Awaited<ReturnType<typeof provisionTenant>>;
  let document: { paths: Record<string, Record<string, unknown>> };
  /** A key with every cluster scope for the test tenant. */
  let key: string;

  const create = async (body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    api({
      method: 'POST',
      path: '/v1/clusters',
      key,
      headers,
      json: { name: 'e2e', region: 'cn-hangzhou', ...body },
    });

  const provisioning = async (body: Record<string, unknown> = {}) => {
    const created = cluster(await create(body));
    return waitFor('the worker to create the cluster', async () => {
      const current = cluster(
        await api({ method: 'GET', path: `/v1/clusters/${created.id}`, key }),
      );
      return current.state === 'provisioning' ? current : undefined;
    });
  };

  beforeAll(async () => {
    env = await startApiStack({
      ASKP_RATE_LIMIT_PER_SECOND: '10000',
      ASKP_RATE_LIMIT_BURST: '10000',
    });
    api = checked(env.api);
    const keys: Record<string, string[]> = {
      all: ALL_CLUSTER_SCOPES,
      admin: ['admin'],
    };
    for (const scope of SCOPES) {
      keys[`only:${scope}`] = [scope];
      keys[`lacks:${scope}`] = ALL_CLUSTER_SCOPES.filter((item) => item !== scope);
    }
    tenant = await provisionTenant(api, env.adminKey, { name: 'endpoints', keys });
    key = tenant.keys.all ?? '';
    const reply = await api({ method: 'GET', path: '/openapi.json' });
    document = JSON.parse(reply.body);
  });

  afterAll(async () => {
    await env?.stop();
  });

  describe('service', () => {
    it('answers /healthz and /openapi.json without a key', async () => {
      const health = await api({ method: 'GET', path: '/healthz' });
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
      const openapi = await api({ method: 'GET', path: '/openapi.json' });
      expect(JSON.parse(openapi.body)).toMatchObject({ openapi: expect.stringMatching(/^3\.1\./) });
    });

    it('refuses unknown paths (404), methods (405 with Allow) and query parameters (400)', async () => {
      expectProblem(await api({ method: 'GET', path: '/v1/nothing', key }), 404, 'NOT_FOUND');
      const put = await api({ method: 'PUT', path: '/v1/clusters', key });
      expectProblem(put, 405, 'METHOD_NOT_ALLOWED');
      expect(put.headers.allow).toBe('POST, GET, HEAD, OPTIONS');
      const unknown = await api({ method: 'GET', path: '/healthz', query: { verbose: '1' } });
      expect(expectProblem(unknown, 400, 'VALIDATION_FAILED', 'verbose').detail).toContain(
        'unknown query parameter verbose',
      );
    });
  });

  describe('authentication and scopes', () => {
    it('refuses a missing, malformed or unknown key with 401', async () => {
      for (const authorization of [
        undefined,
        'Bearer',
        'Basic dXNlcjpwYXNz',
        'Bearer askp_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        `Bearer ${key}x`,
      ]) {
        const reply = await api({
          method: 'GET',
          path: '/v1/clusters',
          ...(authorization ? { headers: { authorization } } : {}),
        });
        const problem = expectProblem(reply, 401, 'UNAUTHENTICATED');
        expect(reply.body).not.toContain(key);
        expect(problem.detail).toContain('Bearer askp_<id>_<secret>');
      }
    });

    it('gives each operation to a key with its scope, and 403 to a key without it', async () => {
      const webhookEndpoint = () =>
        env.stack.store.createWebhookEndpoint({
          id: newId('whe'),
          tenantId: tenant.id,
          url: 'https://hooks.example.com/sample',
          eventTypes: [],
          description: null,
          at: new Date(),
        });
      /** A delivered delivery of the tenant's (redelivery is allowed for one). */
      const webhookDelivery = async () => {
        const provision = await env.insertAccepted(tenant.id);
        const id = newId('whd');
        await env.stack.store.applyTransition({
          id: provision.id,
          expectedVersion: provision.version,
          transition: {
            to: 'cancelled',
            patch: {},
            event: {
              type: 'test.cancelled',
              state: 'cancelled',
              message: 'sample',
              source: 'service',
              at: new Date(),
            },
          },
          webhooks: [
            {
              id,
              eventId: newId('evt'),
              tenantId: tenant.id,
              provisionId: provision.id,
              url: 'https://hooks.example.com/sample',
              eventType: 'cluster.failed',
              payload: '{}',
              nextAttemptAt: new Date(Date.now() + 86_400_000),
            },
          ],
        });
        return id;
      };
      const NEEDS_RUNNING = new Set([
        'getClusterKubeconfig',
        'revokeClusterKubeconfigs',
        'upgradeCluster',
        'listClusterAddons',
        'installClusterAddon',
        'updateClusterAddon',
        'uninstallClusterAddon',
        // A serverless cluster (all this stack inserts) has no node pools: 409 naming profile.
        'createClusterNodePool',
        'updateClusterNodePool',
        'deleteClusterNodePool',
      ]);
      let templates = 0;
      // Tenant names are unique (ignoring case): each sample that makes a tenant names a new one.
      let tenants = 0;
      const tenantName = (base: string): string => {
        tenants += 1;
        return `${base}-${tenants}`;
      };
      const template = async (): Promise<string> => {
        templates += 1;
        const made = await env.stack.store.createTemplate({
          tenantId: tenant.id,
          name: `sample-${templates}`,
          spec: { region: 'cn-hangzhou' },
          at: new Date(),
        });
        return made?.name ?? '';
      };
      const samples: Record<string, () => Promise<ApiCall>> = {
        createCluster: async () => ({
          method: 'POST',
          path: '/v1/clusters',
          json: { name: 'scoped', region: 'cn-hangzhou' },
        }),
        listClusters: async () => ({ method: 'GET', path: '/v1/clusters' }),
        getCluster: async () => ({
          method: 'GET',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}`,
        }),
        listClusterEvents: async () => ({
          method: 'GET',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}/events`,
        }),
        updateCluster: async () => ({
          method: 'PATCH',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}`,
          json: { labels: { scoped: 'yes' } },
        }),
        deleteCluster: async () => ({
          method: 'DELETE',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}`,
        }),
        listClusterChanges: async () => ({
          method: 'GET',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}/changes`,
        }),
        // Not running in this stack: past the scope check, 409 "only a running cluster".
        revokeClusterKubeconfigs: async () => ({
          method: 'POST',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}/kubeconfig:revoke`,
        }),
        // Not running either: 409 before ACK is asked which versions it offers.
        upgradeCluster: async () => ({
          method: 'POST',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}:upgrade`,
          json: { kubernetesVersion: '1.33.1-aliyun.1' },
        }),
        // Not running either: the addon routes answer 409 before ACK is asked what is installed.
        listClusterAddons: async () => ({
          method: 'GET',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}/addons`,
        }),
        installClusterAddon: async () => ({
          method: 'POST',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}/addons`,
          json: { name: 'metrics-server' },
        }),
        updateClusterAddon: async () => ({
          method: 'PATCH',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}/addons/coredns`,
          json: { version: 'v1' },
        }),
        uninstallClusterAddon: async () => ({
          method: 'DELETE',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}/addons/coredns`,
        }),
        createTenant: async () => ({
          method: 'POST',
          path: '/v1/admin/tenants',
          json: { name: tenantName('scoped') },
        }),
        createApiKey: async () => ({
          method: 'POST',
          path: '/v1/admin/api-keys',
          json: { tenantId: tenant.id, scopes: ['clusters:read'] },
        }),
        listApiKeys: async () => ({ method: 'GET', path: '/v1/admin/api-keys' }),
        // Clusters in this stack never finish creating: past the scope check, 409 "not running".
        getClusterKubeconfig: async () => ({
          method: 'GET',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}/kubeconfig`,
        }),
        listClusterKubeconfigs: async () => ({
          method: 'GET',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}/kubeconfigs`,
        }),
        listClusterNodePools: async () => ({
          method: 'GET',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}/node-pools`,
        }),
        createClusterNodePool: async () => ({
          method: 'POST',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}/node-pools`,
          json: { name: 'extra', instanceTypes: ['ecs.g7.large'], desiredSize: 1 },
        }),
        updateClusterNodePool: async () => ({
          method: 'PATCH',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}/node-pools/default`,
          json: { desiredSize: 2 },
        }),
        deleteClusterNodePool: async () => ({
          method: 'DELETE',
          path: `/v1/clusters/${(await env.insertAccepted(tenant.id)).id}/node-pools/default`,
        }),
        listAudit: async () => ({
          method: 'GET',
          path: '/v1/admin/audit',
          query: { tenantId: tenant.id, action: 'cluster.create' },
        }),
        preflightCluster: async () => ({
          method: 'POST',
          path: '/v1/clusters:preflight',
          json: { name: 'scoped', region: 'cn-hangzhou' },
        }),
        getOptions: async () => ({ method: 'GET', path: '/v1/options?region=cn-beijing' }),
        createWebhookEndpoint: async () => ({
          method: 'POST',
          path: '/v1/webhooks/endpoints',
          json: { url: 'https://hooks.example.com/scoped', eventTypes: ['cluster.running'] },
        }),
        listWebhookEndpoints: async () => ({ method: 'GET', path: '/v1/webhooks/endpoints' }),
        deleteWebhookEndpoint: async () => ({
          method: 'DELETE',
          path: `/v1/webhooks/endpoints/${(await webhookEndpoint()).id}`,
        }),
        getWebhookEndpoint: async () => ({
          method: 'GET',
          path: `/v1/webhooks/endpoints/${(await webhookEndpoint()).id}`,
        }),
        updateWebhookEndpoint: async () => ({
          method: 'PATCH',
          path: `/v1/webhooks/endpoints/${(await webhookEndpoint()).id}`,
          json: { description: 'scoped' },
        }),
        // A closed loopback port (the local stack allows loopback): refused at once, still a 200.
        pingWebhookEndpoint: async () => {
          const endpoint = await env.stack.store.createWebhookEndpoint({
            id: newId('whe'),
            tenantId: tenant.id,
            url: 'http://127.0.0.1:9/ping',
            eventTypes: [],
            description: null,
            at: new Date(),
          });
          return { method: 'POST', path: `/v1/webhooks/endpoints/${endpoint.id}:ping` };
        },
        getWebhookDelivery: async () => ({
          method: 'GET',
          path: `/v1/webhooks/deliveries/${await webhookDelivery()}`,
        }),
        enableWebhookEndpoint: async () => ({
          method: 'POST',
          path: `/v1/webhooks/endpoints/${(await webhookEndpoint()).id}:enable`,
        }),
        listWebhookDeliveries: async () => ({
          method: 'GET',
          path: '/v1/webhooks/deliveries',
          query: { status: 'pending' },
        }),
        redeliverWebhook: async () => ({
          method: 'POST',
          path: `/v1/webhooks/deliveries/${await webhookDelivery()}/redeliver`,
        }),
        createTemplate: async () => {
          templates += 1;
          return {
            method: 'POST',
            path: '/v1/templates',
            json: { name: `scoped-${templates}`, spec: { region: 'cn-hangzhou' } },
          };
        },
        listTemplates: async () => ({ method: 'GET', path: '/v1/templates' }),
        getTemplate: async () => ({ method: 'GET', path: `/v1/templates/${await template()}` }),
        putTemplate: async () => ({
          method: 'PUT',
          path: `/v1/templates/${await template()}`,
          json: { spec: { ttl: '8h' } },
        }),
        deleteTemplate: async () => ({
          method: 'DELETE',
          path: `/v1/templates/${await template()}`,
        }),
        listJanitorRuns: async () => ({ method: 'GET', path: '/v1/admin/janitor/runs' }),
        getMetrics: async () => ({ method: 'GET', path: '/metrics' }),
        listTenants: async () => ({ method: 'GET', path: '/v1/admin/tenants' }),
        getTenant: async () => ({ method: 'GET', path: `/v1/admin/tenants/${tenant.id}` }),
        getTenantDefaults: async () => ({
          method: 'GET',
          path: `/v1/admin/tenants/${tenant.id}/defaults`,
        }),
        setTenantDefaults: async () => ({
          method: 'PUT',
          path: `/v1/admin/tenants/${(await provisionTenant(api, env.adminKey, { name: tenantName('defaults'), keys: {} })).id}/defaults`,
          json: { defaultTtl: '8h', defaultIdleAfter: null },
        }),
        rotateWebhookSecret: async () => ({
          method: 'POST',
          path: `/v1/admin/tenants/${(await provisionTenant(api, env.adminKey, { name: tenantName('rotated'), keys: {} })).id}/webhook-secret:rotate`,
        }),
        getTenantNetworks: async () => ({
          method: 'GET',
          path: `/v1/admin/tenants/${tenant.id}/networks`,
        }),
        setTenantNetworks: async () => ({
          method: 'PUT',
          path: `/v1/admin/tenants/${(await provisionTenant(api, env.adminKey, { name: tenantName('networks'), keys: {} })).id}/networks`,
          json: {
            networks: [
              { region: 'cn-hangzhou', vpcId: 'vpc-emuhz01', vswitchIds: ['vsw-emuhz01a'] },
            ],
          },
        }),
        getTenantQuota: async () => ({
          method: 'GET',
          path: `/v1/admin/tenants/${tenant.id}/quota`,
        }),
        setTenantQuota: async () => ({
          method: 'PUT',
          path: `/v1/admin/tenants/${(await provisionTenant(api, env.adminKey, { name: tenantName('quota'), keys: {} })).id}/quota`,
          json: { maxClusters: 5, maxMonthlyCost: null },
        }),
        revokeApiKey: async () => {
          const spare = await provisionTenant(api, env.adminKey, {
            name: tenantName('spare'),
            keys: { one: ['clusters:read'] },
          });
          const id = /^askp_([0-9a-z]+)_/.exec(spare.keys.one ?? '')?.[1];
          return { method: 'POST', path: `/v1/admin/api-keys/${id}:revoke` };
        },
      };
      let checkedOperations = 0;
      for (const item of Object.values(document.paths)) {
        for (const operation of Object.values(item)) {
          const { operationId, 'x-required-scope': scope } = z
            .looseObject({ operationId: z.string(), 'x-required-scope': z.string().optional() })
            .parse(operation);
          if (scope === undefined) continue;
          const sample = samples[operationId];
          expect(sample, `a sample request for ${operationId}`).toBeDefined();
          if (!sample) continue;
          const denied = await api({ ...(await sample()), key: tenant.keys[`lacks:${scope}`] });
          expectProblem(denied, 403, 'FORBIDDEN');
          expect(problemOf(denied).detail).toContain(scope);
          const allowed = await api({ ...(await sample()), key: tenant.keys[`only:${scope}`] });
          // Past the scope check these need a running cluster, which this stack never has.
          if (NEEDS_RUNNING.has(operationId)) expectProblem(allowed, 409, 'CONFLICT');
          else
            expect(allowed.status, `${operationId} with ${scope}: ${allowed.body}`).toBeLessThan(
              300,
            );
          checkedOperations += 1;
        }
      }
      expect(checkedOperations).toBe(Object.keys(samples).length);
    });

    it('lets an admin key act on its own tenant’s clusters', async () => {
      const mine = await env.insertAccepted(tenant.id);
      const reply = await api({
        method: 'GET',
        path: `/v1/clusters/${mine.id}`,
        key: tenant.keys.admin,
      });
      expect(reply.status).toBe(200);
    });

    it('refuses an expired key', async () => {
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      const created = await api({
        method: 'POST',
        path: '/v1/admin/api-keys',
        key: env.adminKey,
        json: { tenantId: tenant.id, scopes: ['clusters:read'], expiresAt },
      });
      const expiring = jsonOf(created, z.object({ key: z.string() }).loose()).key;
      expect((await api({ method: 'GET', path: '/v1/clusters', key: expiring })).status).toBe(200);
      const later = checked(
        env.inProcess({ clock: manualClock(new Date(Date.parse(expiresAt) + 1000)) }),
      );
      expectProblem(
        await later({ method: 'GET', path: '/v1/clusters', key: expiring }),
        401,
        'UNAUTHENTICATED',
      );
    });
  });

  describe('POST /v1/clusters', () => {
    it('accepts a name and a region: 202, Location and the cluster', async () => {
      const reply = await create({ labels: { team: 'e2e' } });
      expect(reply.status).toBe(202);
      const body = cluster(reply);
      expect(reply.headers.location).toBe(`/v1/clusters/${body.id}`);
      expect(body).toMatchObject({
        state: 'accepted',
        labels: { team: 'e2e' },
        deletionProtection: false,
      });
    });

    it('names the field at fault, unknown fields included', async () => {
      expectProblem(await create({ name: '-bad' }), 400, 'VALIDATION_FAILED', 'name');
      expectProblem(
        await create({ network: { vpcId: 'nope' } }),
        400,
        'VALIDATION_FAILED',
        'network.vpcId',
      );
      expectProblem(await create({ colour: 'blue' }), 400, 'VALIDATION_FAILED', 'colour');
      expectProblem(
        await create({ webhook: { url: 'https://x.example', secret: 's' } }),
        400,
        'VALIDATION_FAILED',
        'webhook.secret',
      );
      expectProblem(
        await create({ labels: { a: 'x\u0000' } }),
        400,
        'VALIDATION_FAILED',
        'labels.a',
      );
    });

    it('refuses a network not registered for the tenant (403) and a create past its quota (403), writing nothing', async () => {
      const limited = await provisionTenant(api, env.adminKey, {
        name: 'networks-and-quota',
        keys: { all: ALL_CLUSTER_SCOPES },
      });
      const limitedKey = limited.keys.all ?? '';
      const post = (json: Record<string, unknown>) =>
        api({
          method: 'POST',
          path: '/v1/clusters',
          key: limitedKey,
          json: { name: 'limited', region: 'cn-hangzhou', ...json },
        });
      expectProblem(
        await post({ network: { vpcId: 'vpc-emuhz01', vswitchIds: ['vsw-emuhz01a'] } }),
        403,
        'NETWORK_NOT_ALLOWED',
        'network.vpcId',
      );
      const quota = await api({
        method: 'PUT',
        path: `/v1/admin/tenants/${limited.id}/quota`,
        key: env.adminKey,
        json: { maxClusters: 0, maxMonthlyCost: null },
      });
      expect(quota.status, quota.body).toBe(200);
      expectProblem(await post({}), 403, 'TENANT_QUOTA_EXCEEDED');
      const listed = await api({ method: 'GET', path: '/v1/clusters', key: limitedKey });
      expect(clusterList(listed).items).toEqual([]);
    });

    it('refuses a body that is not JSON (400), not JSON at all (415) or too large (413)', async () => {
      const base = { method: 'POST', path: '/v1/clusters', key };
      expectProblem(
        await api({ ...base, headers: { 'content-type': 'application/json' }, body: '{"name":' }),
        400,
        'VALIDATION_FAILED',
        'body',
      );
      expectProblem(
        await api({ ...base, headers: { 'content-type': 'text/plain' }, body: '{}' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'Content-Type',
      );
      expectProblem(
        await api({
          ...base,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'x', region: 'cn-hangzhou', pad: 'x'.repeat(70_000) }),
        }),
        413,
        'PAYLOAD_TOO_LARGE',
      );
    });

    it('honours Idempotency-Key: replay, mismatch (422), in flight (409), malformed (400)', async () => {
      const idemKey = `"endpoints-${Date.now()}"`;
      const first = await create({ name: 'idem' }, { 'idempotency-key': idemKey });
      const again = await create({ name: 'idem' }, { 'idempotency-key': idemKey });
      expect(again.status).toBe(202);
      expect(again.body).toBe(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expectProblem(
        await create({ name: 'other' }, { 'idempotency-key': idemKey }),
        422,
        'IDEMPOTENCY_KEY_MISMATCH',
        'Idempotency-Key',
      );
      expectProblem(
        await create({}, { 'idempotency-key': '"unterminated' }),
        400,
        'VALIDATION_FAILED',
        'Idempotency-Key',
      );
      // Another instance is still working on this key (its claim is live).
      const busy = 'endpoints-busy';
      const body = { name: 'e2e', region: 'cn-hangzhou', deletionProtection: false };
      await env.stack.store.beginIdempotentRequest({
        claim: { tenantId: tenant.id, key: busy, owner: 'another-instance' },
        fingerprint: bodyFingerprint(JSON.stringify(body)),
        now: new Date(),
        lockedUntil: new Date(Date.now() + 3_600_000),
        expiresAt: new Date(Date.now() + 86_400_000),
      });
      const inFlight = await api({
        method: 'POST',
        path: '/v1/clusters',
        key,
        headers: { 'idempotency-key': `"${busy}"` },
        json: body,
      });
      expectProblem(inFlight, 409, 'IDEMPOTENCY_IN_FLIGHT', 'Idempotency-Key');
      expect(inFlight.headers['retry-after']).toBe('1');
    });
  });

  describe('GET /v1/clusters/{id} and its events', () => {
    it('returns the cluster and its timeline', async () => {
      const created = cluster(await create());
      const reply = await api({ method: 'GET', path: `/v1/clusters/${created.id}`, key });
      expect(cluster(reply).id).toBe(created.id);
      const events = jsonOf(
        await api({ method: 'GET', path: `/v1/clusters/${created.id}/events`, key }),
        z.object({ id: z.string(), events: z.array(z.object({ state: z.string() }).loose()) }),
      );
      expect(events.events[0]?.state).toBe('accepted');
    });

    it('answers 404 for ids that are unknown or malformed', async () => {
      for (const id of ['prv_00000000000000000000000000', 'nope', '%E2%82%AC', "x' or '1'='1"]) {
        for (const suffix of ['', '/events']) {
          const path = `/v1/clusters/${encodeURIComponent(id)}${suffix}`;
          expectProblem(await api({ method: 'GET', path, key }), 404, 'NOT_FOUND');
        }
      }
    });
  });

  describe('GET /v1/clusters', () => {
    it('filters by labels (all must match) and pages with an opaque cursor', async () => {
      const run = `r${Date.now()}`;
      const made: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const flavour = index % 2 === 0 ? 'prod' : 'dev';
        made.push(cluster(await create({ labels: { run, env: flavour } })).id);
      }
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = clusterList(
          await api({
            method: 'GET',
            path: '/v1/clusters',
            key,
            query: { label: `run=${run}`, limit: '2', ...(cursor ? { cursor } : {}) },
          }),
        );
        pages.push(page.items.map((item) => item.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual(made);

      // A repeated parameter: in the path, since `query` holds one value per name.
      const labels = new URLSearchParams([
        ['label', `run=${run}`],
        ['label', 'env=prod'],
      ]);
      const both = await api({ method: 'GET', path: `/v1/clusters?${labels}`, key });
      const prod = jsonOf(both, z.object({ items: z.array(clusterShape) }).loose());
      expect(prod.items.map((item) => item.id)).toEqual([made[0], made[2], made[4]]);
    });

    it('filters by state, repeated or comma-separated', async () => {
      const cancelled = await env.insertAccepted(tenant.id, { labels: { pick: 'state' } });
      await api({ method: 'DELETE', path: `/v1/clusters/${cancelled.id}`, key });
      const accepted = await env.insertAccepted(tenant.id, { labels: { pick: 'state' } });
      const list = async (state: string) =>
        clusterList(
          await api({
            method: 'GET',
            path: '/v1/clusters',
            key,
            query: { state, label: 'pick=state', limit: '100' },
          }),
        ).items.map((item) => item.id);
      expect(await list('cancelled')).toContain(cancelled.id);
      expect(await list('cancelled')).not.toContain(accepted.id);
      expect(await list('accepted,cancelled')).toEqual(
        expect.arrayContaining([accepted.id, cancelled.id]),
      );
    });

    it('names the query parameter at fault', async () => {
      const cases: [Record<string, string>, string][] = [
        [{ limit: '0' }, 'limit'],
        [{ limit: '101' }, 'limit'],
        [{ limit: 'ten' }, 'limit'],
        [{ state: 'exploded' }, 'state'],
        [{ label: 'novalue' }, 'label'],
        [{ label: 'a=1,a=2' }, 'label'],
        [{ cursor: 'garbage' }, 'cursor'],
        [{ sort: 'name' }, 'sort'],
      ];
      for (const [query, field] of cases) {
        expectProblem(
          await api({ method: 'GET', path: '/v1/clusters', key, query }),
          400,
          'VALIDATION_FAILED',
          field,
        );
      }
    });
  });

  describe('PATCH /v1/clusters/{id}', () => {
    it('changes name, labels, deletion protection and expiry, as a merge patch', async () => {
      const target = await provisioning();
      const path = `/v1/clusters/${target.id}`;
      const reply = await api({
        method: 'PATCH',
        path,
        key,
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({
          name: 'renamed',
          labels: { a: '1' },
          deletionProtection: true,
          ttl: '2h',
        }),
      });
      expect(reply.status, reply.body).toBe(200);
      const patched = cluster(reply);
      expect(patched).toMatchObject({
        name: 'renamed',
        labels: { a: '1' },
        deletionProtection: true,
      });
      expect(Date.parse(patched.expiresAt ?? '') - Date.parse(patched.updatedAt)).toBe(7_200_000);

      const cleared = cluster(
        await api({ method: 'PATCH', path, key, json: { expiresAt: null, labels: null } }),
      );
      expect(cleared).toMatchObject({
        name: 'renamed',
        labels: {},
        expiresAt: null,
        deletionProtection: true,
      });
      const at = new Date(Date.now() + 86_400_000).toISOString();
      expect(
        cluster(await api({ method: 'PATCH', path, key, json: { expiresAt: at } })).expiresAt,
      ).toBe(at);

      const events = await api({ method: 'GET', path: `${path}/events`, key });
      expect(events.body).toContain('provision.updated');
    });

    it('refuses empty, contradictory, unknown and impossible changes', async () => {
      const target = await env.insertAccepted(tenant.id);
      const path = `/v1/clusters/${target.id}`;
      const cases: [unknown, string][] = [
        [{}, 'body'],
        [{ ttl: '2h', expiresAt: new Date(Date.now() + 3_600_000).toISOString() }, 'expiresAt'],
        [{ colour: 'blue' }, 'colour'],
        [{ name: null }, 'name'],
        [{ deletionProtection: 'yes' }, 'deletionProtection'],
        [{ endpointPublicAccess: 'yes' }, 'endpointPublicAccess'],
        [{ ttl: '1m' }, 'ttl'],
        [{ expiresAt: '2000-01-01T00:00:00Z' }, 'expiresAt'],
        [{ labels: { 'aliyun:x': '1' } }, 'labels.aliyun:x'],
      ];
      for (const [json, field] of cases) {
        expectProblem(
          await api({ method: 'PATCH', path, key, json }),
          400,
          'VALIDATION_FAILED',
          field,
        );
      }
    });

    it('refuses to open the public endpoint of a cluster that is not running yet (409), writing no change', async () => {
      const target = await provisioning();
      const path = `/v1/clusters/${target.id}`;
      const reply = await api({ method: 'PATCH', path, key, json: { endpointPublicAccess: true } });
      expectProblem(reply, 409, 'CONFLICT');
      expect(problemOf(reply).detail).toContain('only a running cluster can be changed');
      const changes = await api({ method: 'GET', path: `${path}/changes`, key });
      expect(changes.status).toBe(200);
      expect(JSON.parse(changes.body)).toEqual({ id: target.id, changes: [] });
    });

    it('refuses to change a cancelled cluster (409)', async () => {
      const target = await env.insertAccepted(tenant.id);
      await api({ method: 'DELETE', path: `/v1/clusters/${target.id}`, key });
      const reply = await api({
        method: 'PATCH',
        path: `/v1/clusters/${target.id}`,
        key,
        json: { name: 'x' },
      });
      expectProblem(reply, 409, 'CONFLICT');
    });
  });

  describe('DELETE /v1/clusters/{id}', () => {
    it('cancels an accepted cluster at once, and answers the same when asked again', async () => {
      const target = await env.insertAccepted(tenant.id);
      const path = `/v1/clusters/${target.id}`;
      const first = await api({ method: 'DELETE', path, key });
      expect(first.status).toBe(202);
      expect(cluster(first).state).toBe('cancelled');
      const eventsBefore = (await api({ method: 'GET', path: `${path}/events`, key })).body;
      const again = await api({ method: 'DELETE', path, key });
      expect(again.status).toBe(202);
      expect(cluster(again)).toEqual(cluster(first));
      expect((await api({ method: 'GET', path: `${path}/events`, key })).body).toBe(eventsBefore);
    });

    it('moves a cluster with an ACK cluster to deleting and queues exactly one delete job', async () => {
      const target = await provisioning();
      const sends = () => env.stack.mns.stats().SendMessage ?? 0;
      const before = sends();
      const reply = await api({ method: 'DELETE', path: `/v1/clusters/${target.id}`, key });
      expect(reply.status).toBe(202);
      expect(cluster(reply).state).toBe('deleting');
      expect(sends()).toBe(before + 1);
      const again = await api({ method: 'DELETE', path: `/v1/clusters/${target.id}`, key });
      expect(again.status).toBe(202);
      expect(['deleting', 'deleted']).toContain(cluster(again).state);
      expect(sends()).toBe(before + 1);
    });

    it('refuses while deletion protection is on, and says how to turn it off', async () => {
      const target = await env.insertAccepted(tenant.id, { deletionProtection: true });
      const path = `/v1/clusters/${target.id}`;
      const refused = expectProblem(
        await api({ method: 'DELETE', path, key }),
        409,
        'DELETION_PROTECTED',
        'deletionProtection',
      );
      expect(refused.detail).toContain('"deletionProtection": false');
      await api({ method: 'PATCH', path, key, json: { deletionProtection: false } });
      expect(cluster(await api({ method: 'DELETE', path, key })).state).toBe('cancelled');
    });
  });

  describe('admin: tenants and API keys', () => {
    it('creates a tenant and shows its webhook secret once', async () => {
      const reply = await api({
        method: 'POST',
        path: '/v1/admin/tenants',
        key: env.adminKey,
        json: { name: 'acme' },
      });
      expect(reply.status).toBe(201);
      expect(JSON.parse(reply.body)).toMatchObject({
        name: 'acme',
        webhookSecret: expect.stringMatching(/^whsec_/),
      });
      expectProblem(
        await api({
          method: 'POST',
          path: '/v1/admin/tenants',
          key: env.adminKey,
          json: { name: '' },
        }),
        400,
        'VALIDATION_FAILED',
        'name',
      );
    });

    it('refuses a second tenant with the same name, ignoring case: 409 naming name, nothing written', async () => {
      const first = await api({
        method: 'POST',
        path: '/v1/admin/tenants',
        key: env.adminKey,
        json: { name: 'Unique-Co' },
      });
      expect(first.status).toBe(201);
      const countNamed = async () => {
        const reply = await api({
          method: 'GET',
          path: '/v1/admin/tenants',
          key: env.adminKey,
          query: { limit: '100' },
        });
        const { items } = JSON.parse(reply.body) as { items: { name: string }[] };
        return items.filter((item) => item.name.toLowerCase() === 'unique-co').length;
      };
      for (const name of ['Unique-Co', 'unique-co', 'UNIQUE-CO']) {
        expectProblem(
          await api({
            method: 'POST',
            path: '/v1/admin/tenants',
            key: env.adminKey,
            json: { name },
          }),
          409,
          'CONFLICT',
          'name',
        );
      }
      expect(await countNamed()).toBe(1);
    });

    it('PUT of a tenant’s defaults with one field says what to send for the other, and writes nothing', async () => {
      const created = await provisionTenant(api, env.adminKey, { name: 'one-field', keys: {} });
      const path = `/v1/admin/tenants/${created.id}/defaults`;
      const set = await api({
        method: 'PUT',
        path,
        key: env.adminKey,
        json: { defaultTtl: '8h', defaultIdleAfter: '2h' },
      });
      expect(set.status).toBe(200);
      const problem = expectProblem(
        await api({ method: 'PUT', path, key: env.adminKey, json: { defaultTtl: '1h' } }),
        400,
        'VALIDATION_FAILED',
        'defaultIdleAfter',
      );
      expect(JSON.stringify(problem)).toContain(
        'send defaultIdleAfter too, with its current value (GET /v1/admin/tenants/{id}/defaults shows it) or null for none',
      );
      const after = await api({ method: 'GET', path, key: env.adminKey });
      expect(JSON.parse(after.body)).toMatchObject({ defaultTtl: '8h', defaultIdleAfter: '2h' });
    });

    it('issues keys once, lists them without secrets, and revokes them', async () => {
      const created = await provisionTenant(api, env.adminKey, {
        name: 'keys',
        keys: { a: ['clusters:read'], b: ['clusters:write'], c: ['admin'] },
      });
      const secrets = Object.values(created.keys).map((full) => full.split('_').slice(2).join('_'));
      const listed: string[] = [];
      let cursor: string | undefined;
      do {
        const reply = await api({
          method: 'GET',
          path: '/v1/admin/api-keys',
          key: env.adminKey,
          query: { tenantId: created.id, limit: '2', ...(cursor ? { cursor } : {}) },
        });
        for (const secret of secrets) expect(reply.body).not.toContain(secret);
        expect(reply.body).not.toMatch(/secretHash|"key"/);
        const page = jsonOf(
          reply,
          z.object({
            items: z.array(z.object({ id: z.string(), tenantId: z.string() }).loose()),
            nextCursor: z.string().nullable(),
          }),
        );
        listed.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(listed).toHaveLength(3);

      const victim = listed[0] ?? '';
      const victimKey = Object.values(created.keys).find((full) =>
        full.startsWith(`askp_${victim}_`),
      );
      const revoke = () =>
        api({ method: 'POST', path: `/v1/admin/api-keys/${victim}:revoke`, key: env.adminKey });
      const first = await revoke();
      expect(first.status).toBe(200);
      expect(JSON.parse(first.body)).toMatchObject({ id: victim, revokedAt: expect.any(String) });
      expect((await revoke()).body).toBe(first.body);
      expectProblem(
        await api({ method: 'GET', path: '/v1/clusters', key: victimKey }),
        401,
        'UNAUTHENTICATED',
      );
      for (const id of ['00000000deadbeef', 'NOT-AN-ID']) {
        expectProblem(
          await api({ method: 'POST', path: `/v1/admin/api-keys/${id}:revoke`, key: env.adminKey }),
          404,
          'NOT_FOUND',
        );
      }
    });

    it('keeps a key’s name and records when it was last used, behind the request', async () => {
      const issued = await api({
        method: 'POST',
        path: '/v1/admin/api-keys',
        key: env.adminKey,
        json: { tenantId: tenant.id, scopes: ['clusters:read'], name: 'ci-pipeline' },
      });
      expect(issued.status).toBe(201);
      const created = jsonOf(
        issued,
        z
          .object({ id: z.string(), key: z.string(), name: z.string(), lastUsedAt: z.null() })
          .loose(),
      );
      expect(created.name).toBe('ci-pipeline');
      expect((await api({ method: 'GET', path: '/v1/clusters', key: created.key })).status).toBe(
        200,
      );
      const usedKey = async () => {
        const listed = await api({
          method: 'GET',
          path: '/v1/admin/api-keys',
          key: env.adminKey,
          query: { tenantId: tenant.id, limit: '100' },
        });
        const page = jsonOf(
          listed,
          z
            .object({
              items: z.array(
                z
                  .object({
                    id: z.string(),
                    name: z.string().nullable(),
                    lastUsedAt: z.string().nullable(),
                  })
                  .loose(),
              ),
            })
            .loose(),
        );
        return page.items.find((item) => item.id === created.id);
      };
      // Written by the rate-limit statement of the key's first request on an instance (then at
      // most once a minute, behind the requests).
      const seen = await waitFor('the key’s lastUsedAt', async () => {
        const item = await usedKey();
        return item?.lastUsedAt ? item : undefined;
      });
      expect(seen.name).toBe('ci-pipeline');
      expect(Date.parse(seen.lastUsedAt ?? '')).toBeGreaterThan(Date.parse('2020-01-01T00:00:00Z'));
    });

    it('names the field of a bad key request', async () => {
      const cases: [unknown, string][] = [
        [{ tenantId: 'tnt_nobody', scopes: ['clusters:read'] }, 'tenantId'],
        [{ tenantId: tenant.id, scopes: [] }, 'scopes'],
        [{ tenantId: tenant.id, scopes: ['root'] }, 'scopes.0'],
        [
          { tenantId: tenant.id, scopes: ['admin'], expiresAt: '2001-01-01T00:00:00Z' },
          'expiresAt',
        ],
        [{ tenantId: tenant.id, scopes: ['admin'], note: 'x' }, 'note'],
      ];
      for (const [json, field] of cases) {
        expectProblem(
          await api({ method: 'POST', path: '/v1/admin/api-keys', key: env.adminKey, json }),
          400,
          'VALIDATION_FAILED',
          field,
        );
      }
    });
  });

  describe('rate limits and failures (in-process, on the stack’s store)', () => {
    it('answers 429 with Retry-After once a key’s bucket is empty, and refills it', async () => {
      const fresh = await provisionTenant(api, env.adminKey, {
        name: 'limited',
        keys: { one: ['clusters:read'] },
      });
      const clock = manualClock(new Date());
      const limited = checked(
        env.inProcess({
          clock,
          env: { ASKP_RATE_LIMIT_PER_SECOND: '1', ASKP_RATE_LIMIT_BURST: '3' },
        }),
      );
      const call = () => limited({ method: 'GET', path: '/v1/clusters', key: fresh.keys.one });
      for (const left of [2, 1, 0]) {
        const reply = await call();
        expect(reply.status).toBe(200);
        expect(reply.headers['ratelimit-policy']).toBe('"per-key";q=3;w=3');
        expect(reply.headers.ratelimit).toBe(`"per-key";r=${left};t=${3 - left}`);
      }
      const refused = await call();
      expectProblem(refused, 429, 'RATE_LIMITED');
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.headers.ratelimit).toBe('"per-key";r=0;t=3');
      clock.advance(1000);
      expect((await call()).status).toBe(200);
    });

    it('answers a failure of ours with a bare 500 that leaks nothing', async () => {
      const broken = checked(
        env.inProcess({
          store: {
            ...env.stack.store,
            listProvisions: async () => {
              throw new Error('connection to 10.0.0.5 failed: password=hunter2');
            },
          },
        }),
      );
      const reply = await broken({ method: 'GET', path: '/v1/clusters', key });
      const problem = expectProblem(reply, 500, 'INTERNAL');
      expect(problem.detail).toBe('the service failed to handle the request');
      expect(reply.body).not.toMatch(/hunter2|10\.0\.0\.5/);
    });
  });

  // An aggregate over the whole file: it means something only when every other test ran and
  // passed, so otherwise it says so and skips instead of failing along with them.
  it('produced every error type the OpenAPI document lists', ({ task, skip }) => {
    const notPassed = testsOf(task.file)
      .filter((test) => test.id !== task.id && test.result?.state !== 'pass')
      .map((test) => test.name);
    if (notPassed.length > 0) {
      const reason = `the error-type coverage check needs every other test of this file to pass; ${notPassed.length} did not (first: ${notPassed[0]})`;
      console.warn(reason);
      skip(reason);
    }
    const documented = new Set<string>();
    for (const item of Object.values(document.paths)) {
      for (const operation of Object.values(item)) {
        const { responses } = z
          .looseObject({
            responses: z.record(
              z.string(),
              z.looseObject({ 'x-problem-codes': z.array(z.string()).optional() }),
            ),
          })
          .parse(operation);
        for (const response of Object.values(responses)) {
          for (const code of response['x-problem-codes'] ?? []) documented.add(code);
        }
      }
    }
    expect(documented.size).toBeGreaterThan(10);
    // 405 belongs to no operation: it answers a method the path does not have.
    expect([...seenCodes].sort()).toEqual([...documented, 'METHOD_NOT_ALLOWED'].sort());
  });
});
