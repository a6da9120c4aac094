import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { createLogger } from '../../shared/logger.js';
import {
  type ApiCall,
  type ApiCaller,
  type ApiReply,
  httpApi,
  jsonOf,
  problemOf,
  provisionTenant,
} from '../support/api-client.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Two tenants over the real HTTP stack: what each does is in the audit log under its own key id,
 * only an admin reads it, each tenant sees only its own clusters' kubeconfig records, a kubeconfig
 * lives 60 minutes unless asked otherwise and never longer than the configured maximum, and no
 * secret created here (API keys, webhook secrets, kubeconfigs) is ever in an audit record.
 */
const MAX_MINUTES = 120;

const auditRecord = z
  .object({
    id: z.string(),
    at: z.string(),
    action: z.string(),
    actorKeyId: z.string(),
    actorTenantId: z.string(),
    tenantId: z.string(),
    target: z.string(),
    sourceIp: z.string().nullable(),
    requestId: z.string(),
  })
  .strict();
const auditPage = z.object({ items: z.array(auditRecord), nextCursor: z.string().nullable() });
const issuancePage = z.object({
  items: z.array(
    z.looseObject({
      id: z.string(),
      clusterId: z.string(),
      keyId: z.string(),
      issuedAt: z.string(),
      expiresAt: z.string(),
      revokedAt: z.string().nullable(),
      requestId: z.string(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

const keyIdOf = (key: string | undefined): string =>
  /^askp_([0-9a-z]+)_/.exec(key ?? '')?.[1] ?? '';

describe('two tenants: the audit log and the kubeconfig records', () => {
  let dataDir: string;
  let stack: LocalStack;
  let http: ApiCaller;
  let a: Awaited<ReturnType<typeof provisionTenant>>;
  let b: Awaited<ReturnType<typeof provisionTenant>>;
  let aCluster: string;
  let bCluster: string;
  /** Every secret this file made or was handed: none may appear in an audit record. */
  const secrets: string[] = [];
  const createRequestIds: Record<string, string> = {};

  const admin = (call: Omit<ApiCall, 'key'>) => http({ ...call, key: stack.apiKey });

  const runningCluster = async (key: string | undefined, name: string): Promise<string> => {
    const created = await http({
      method: 'POST',
      path: '/v1/clusters',
      key,
      json: { name, region: 'cn-hangzhou' },
    });
    expect(created.status).toBe(202);
    const { id } = jsonOf(created, z.looseObject({ id: z.string() }));
    createRequestIds[id] = created.headers['x-request-id'] ?? '';
    await waitFor(`${name} to be running`, async () => {
      const view = jsonOf(
        await http({ method: 'GET', path: `/v1/clusters/${id}`, key }),
        z.looseObject({ state: z.string() }),
      );
      return view.state === 'running' ? true : undefined;
    });
    return id;
  };

  /** Every page of the audit log for this query, walking the cursors. */
  const allAudit = async (
    query: Record<string, string>,
  ): Promise<z.output<typeof auditRecord>[]> => {
    const items: z.output<typeof auditRecord>[] = [];
    let cursor: string | null = null;
    do {
      const page: z.output<typeof auditPage> = jsonOf(
        await admin({
          method: 'GET',
          path: '/v1/admin/audit',
          query: { ...query, limit: '3', ...(cursor ? { cursor } : {}) },
        }),
        auditPage,
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return items;
  };

  const kubeconfig = (key: string | undefined, id: string, query: Record<string, string> = {}) =>
    http({ method: 'GET', path: `/v1/clusters/${id}/kubeconfig`, key, query });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'askp-audit-'));
    stack = await startLocalStack({
      env: { ASKP_LOG_LEVEL: 'warn', ASKP_KUBECONFIG_MAX_MINUTES: String(MAX_MINUTES) },
      dataDir,
      apiPort: 0,
      ackPort: 0,
      mnsPort: 0,
      kubePort: 0,
      createSeconds: 2,
      timerIntervalSeconds: 0.5,
      logger: createLogger({ level: 'warn' }),
    });
    http = httpApi(stack.apiUrl);
    const scopes = ['clusters:read', 'clusters:write', 'kubeconfig:read'];
    a = await provisionTenant(http, stack.apiKey, { name: 'tenant-a', keys: { all: scopes } });
    b = await provisionTenant(http, stack.apiKey, { name: 'tenant-b', keys: { all: scopes } });
    secrets.push(stack.apiKey, stack.webhookSecret, a.webhookSecret, b.webhookSecret);
    secrets.push(...Object.values(a.keys), ...Object.values(b.keys));
    const endpoint = await http({
      method: 'POST',
      path: '/v1/webhooks/endpoints',
      key: a.keys.all,
      json: { url: 'https://hooks.example.com/a?token=sekret-token-a' },
    });
    expect(endpoint.status).toBe(201);
    secrets.push('sekret-token-a');
    [aCluster, bCluster] = await Promise.all([
      runningCluster(a.keys.all, 'audit-a'),
      runningCluster(b.keys.all, 'audit-b'),
    ]);
    const patched = await http({
      method: 'PATCH',
      path: `/v1/clusters/${aCluster}`,
      key: a.keys.all,
      json: { labels: { team: 'a' } },
    });
    expect(patched.status).toBe(200);
    const rotated = await admin({
      method: 'POST',
      path: `/v1/admin/tenants/${b.id}/webhook-secret:rotate`,
    });
    expect(rotated.status).toBe(200);
    secrets.push(jsonOf(rotated, z.looseObject({ webhookSecret: z.string() })).webhookSecret);
  });

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('issues a 60-minute kubeconfig by default and records it under the key that asked', async () => {
    const reply = await kubeconfig(a.keys.all, aCluster);
    expect(reply.status).toBe(200);
    const issued = jsonOf(
      reply,
      z.looseObject({ kubeconfig: z.string(), expiresAt: z.string(), issuanceId: z.string() }),
    );
    secrets.push(issued.kubeconfig);
    const records = jsonOf(
      await http({ method: 'GET', path: `/v1/clusters/${aCluster}/kubeconfigs`, key: a.keys.all }),
      issuancePage,
    );
    const record = records.items.find((item) => item.id === issued.issuanceId);
    expect(record).toMatchObject({
      clusterId: aCluster,
      keyId: keyIdOf(a.keys.all),
      expiresAt: new Date(issued.expiresAt).toISOString(),
      revokedAt: null,
      requestId: reply.headers['x-request-id'],
    });
    // ACK sets the expiry from TemporaryDurationMinutes: 60 unless the caller asks.
    const lifetimeMinutes =
      (Date.parse(record?.expiresAt ?? '') - Date.parse(record?.issuedAt ?? '')) / 60_000;
    expect(lifetimeMinutes).toBeGreaterThan(59);
    expect(lifetimeMinutes).toBeLessThanOrEqual(60.5);
    expect(JSON.stringify(records)).not.toContain('certificate-authority-data');
  });

  it('refuses a duration over the maximum with a 400 naming durationMinutes, and records nothing', async () => {
    const before = await stack.store.listKubeconfigIssuances({ tenantId: a.id, limit: 100 });
    const over = await kubeconfig(a.keys.all, aCluster, {
      durationMinutes: String(MAX_MINUTES + 1),
    });
    expect(over.status).toBe(400);
    expect(problemOf(over)).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(over.body).toContain('durationMinutes');
    expect(await stack.store.listKubeconfigIssuances({ tenantId: a.id, limit: 100 })).toEqual(
      before,
    );
    const atMax = await kubeconfig(a.keys.all, aCluster, { durationMinutes: String(MAX_MINUTES) });
    expect(atMax.status).toBe(200);
    secrets.push(jsonOf(atMax, z.looseObject({ kubeconfig: z.string() })).kubeconfig);
  });

  it('keeps each tenant’s kubeconfig records to that tenant', async () => {
    const bReply = await kubeconfig(b.keys.all, bCluster, { durationMinutes: '15' });
    expect(bReply.status).toBe(200);
    secrets.push(jsonOf(bReply, z.looseObject({ kubeconfig: z.string() })).kubeconfig);
    const theirs = await http({
      method: 'GET',
      path: `/v1/clusters/${aCluster}/kubeconfigs`,
      key: b.keys.all,
    });
    expect(theirs.status).toBe(404);
    expect((await kubeconfig(b.keys.all, aCluster)).status).toBe(404);
    const bRecords = jsonOf(
      await http({ method: 'GET', path: `/v1/clusters/${bCluster}/kubeconfigs`, key: b.keys.all }),
      issuancePage,
    );
    expect(bRecords.items.map((item) => item.keyId)).toEqual([keyIdOf(b.keys.all)]);
    const aRecords = await stack.store.listKubeconfigIssuances({ tenantId: a.id, limit: 100 });
    expect(aRecords.length).toBeGreaterThanOrEqual(2);
    expect(new Set(aRecords.map((item) => item.keyId))).toEqual(new Set([keyIdOf(a.keys.all)]));
  });

  it('shows tenant A’s mutations in the audit log under A’s key id, with the source address and request id', async () => {
    const records = await allAudit({ tenantId: a.id });
    const byA = records.filter((record) => record.actorKeyId === keyIdOf(a.keys.all));
    const actions = byA.map((record) => record.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'webhook_endpoint.create',
        'cluster.create',
        'cluster.update',
        'kubeconfig.issue',
      ]),
    );
    expect(actions.filter((action) => action === 'kubeconfig.issue')).toHaveLength(2);
    for (const record of byA) {
      expect(record.actorTenantId).toBe(a.id);
      expect(record.tenantId).toBe(a.id);
      expect(record.sourceIp).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    }
    const created = byA.find((record) => record.action === 'cluster.create');
    expect(created).toMatchObject({
      target: `cluster:${aCluster}`,
      requestId: createRequestIds[aCluster],
    });
    // The admin's own actions on A: the tenant and its key.
    const byAdmin = records.filter((record) => record.actorKeyId === keyIdOf(stack.apiKey));
    expect(byAdmin.map((record) => record.action).sort()).toEqual(
      ['api_key.create', 'tenant.create'].sort(),
    );
    expect(byAdmin.every((record) => record.actorTenantId === 'tnt_local')).toBe(true);
    // Newest first.
    expect(records.map((record) => record.id)).toEqual(
      [...records.map((record) => record.id)].sort().reverse(),
    );
    expect(records.some((record) => record.tenantId === b.id)).toBe(false);
  });

  it('filters by action, and B’s actions are B’s', async () => {
    const rotations = await allAudit({ action: 'tenant.webhook_secret.rotate' });
    expect(rotations.map((record) => [record.tenantId, record.target])).toEqual([
      [b.id, `tenant:${b.id}`],
    ]);
    const bIssues = await allAudit({ tenantId: b.id, action: 'kubeconfig.issue' });
    expect(bIssues.map((record) => record.actorKeyId)).toEqual([keyIdOf(b.keys.all)]);
    const unknown = await admin({
      method: 'GET',
      path: '/v1/admin/audit',
      query: { action: 'cluster.explode' },
    });
    expect(unknown.status).toBe(400);
    expect(problemOf(unknown)).toMatchObject({ field: 'action' });
  });

  it('refuses the audit log to a tenant key (403) and does not record refusals', async () => {
    const before = await stack.store.listAudit({ limit: 1000 });
    for (const key of [a.keys.all, b.keys.all]) {
      const reply: ApiReply = await http({ method: 'GET', path: '/v1/admin/audit', key });
      expect(reply.status).toBe(403);
      expect(problemOf(reply).code).toBe('FORBIDDEN');
    }
    const refused = await http({
      method: 'POST',
      path: '/v1/admin/tenants',
      key: a.keys.all,
      json: { name: 'not-allowed' },
    });
    expect(refused.status).toBe(403);
    expect(await stack.store.listAudit({ limit: 1000 })).toEqual(before);
  });

  it('refuses an edited audit cursor with a 400', async () => {
    const page = jsonOf(
      await admin({ method: 'GET', path: '/v1/admin/audit', query: { limit: '1' } }),
      auditPage,
    );
    const cursor = page.nextCursor ?? '';
    expect(cursor).not.toBe('');
    const edited = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;
    const reply = await admin({
      method: 'GET',
      path: '/v1/admin/audit',
      query: { cursor: edited },
    });
    expect(reply.status).toBe(400);
    expect(problemOf(reply)).toMatchObject({ field: 'cursor' });
  });

  it('holds no secret in any audit record, over the API or in the database', async () => {
    const overApi = JSON.stringify(await allAudit({}));
    const stored = JSON.stringify(await stack.store.listAudit({ limit: 10_000 }));
    expect(secrets.length).toBeGreaterThanOrEqual(10);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(overApi).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
    // Nor any piece of a key's secret part, nor a kubeconfig's certificate data.
    for (const text of [overApi, stored]) {
      expect(text).not.toMatch(/askp_[0-9a-z]+_/);
      expect(text).not.toContain('whsec_');
      expect(text).not.toContain('certificate-authority-data');
    }
  });
});
