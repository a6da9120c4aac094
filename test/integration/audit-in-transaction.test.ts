import {
  InsertQueryNode,
  type Kysely,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  SelectQueryNode,
  type UnknownRow,
} from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { issueApiKey } from '../../shared/access/issue-api-key.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import type { Database } from '../../shared/store/schema.js';
import type { Store } from '../../shared/store/store.port.js';
import { type ApiCaller, jsonOf } from '../support/api-client.js';
import { type ApiStack, startApiStack } from '../support/api-stack.js';

/**
 * The audit record of a tenant, key, rotation or cluster mutation commits in the mutation's own
 * transaction. A failure between the mutation and the audit write (here: the database refusing
 * the audit insert, injected below the store, on a real PGlite database) leaves neither — the
 * caller gets a 500 and retries — and a success leaves exactly one record, not a second one
 * appended after the commit.
 */
const insertsAudit = (node: OperationNode): boolean =>
  InsertQueryNode.is(node) && node.into?.table.identifier.name === 'audit_records';

class FailingAuditInsert implements KyselyPlugin {
  public failing = false;
  public transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    // The insert on its own, or one of the data-modifying CTEs of a one-statement create.
    const ctes = SelectQueryNode.is(node) ? (node.with?.expressions ?? []) : [];
    if (this.failing && (insertsAudit(node) || ctes.some((cte) => insertsAudit(cte.expression))))
      throw new Error('injected: the audit insert failed');
    return node;
  }
  public async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const auditPage = z.object({
  items: z.array(z.looseObject({ action: z.string(), target: z.string(), tenantId: z.string() })),
});

describe('audit records commit with the mutation they describe', () => {
  const plugin = new FailingAuditInsert();
  let apiStack: ApiStack;
  let db: Kysely<Database>;
  let store: Store;
  let close: () => Promise<void>;
  let api: ApiCaller;
  let adminKey: string;
  let tenantId: string;

  const audits = async (action: string) =>
    jsonOf(
      await api({ method: 'GET', path: '/v1/admin/audit', key: adminKey, query: { action } }),
      auditPage,
    ).items;

  beforeAll(async () => {
    // The stack serves ACK and MNS; the API under test runs in-process on a store of its own
    // whose audit inserts the test can make fail.
    apiStack = await startApiStack();
    const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
    await migrateToLatest(opened.db);
    db = opened.db;
    close = opened.close;
    store = createKyselyStore({ db: db.withPlugin(plugin) });
    tenantId = 'tnt_00000000000000000000000001';
    await store.createTenant({
      id: tenantId,
      name: 'ops',
      webhookSecret: 'whsec_x',
      at: new Date(),
    });
    adminKey = (
      await issueApiKey(
        { store, clock: { now: () => new Date() } },
        {
          tenantId,
          scopes: ['admin', 'clusters:read', 'clusters:write', 'kubeconfig:read'],
        },
      )
    ).key;
    api = apiStack.inProcess({ store });
  }, 120_000);

  afterAll(async () => {
    await close?.();
    await apiStack?.stop();
  });

  it('a tenant, a key, a revocation, a rotation and a cluster are not written when their audit record cannot be', async () => {
    const keyToRevoke = jsonOf(
      await api({
        method: 'POST',
        path: '/v1/admin/api-keys',
        key: adminKey,
        json: { tenantId, scopes: ['clusters:read'] },
      }),
      z.looseObject({ id: z.string() }),
    ).id;
    const secretBefore = (await store.getTenant(tenantId))?.webhookSecret;
    const keysBefore = (await store.listApiKeys({ tenantId, limit: 100 })).length;

    plugin.failing = true;
    try {
      const tenant = await api({
        method: 'POST',
        path: '/v1/admin/tenants',
        key: adminKey,
        json: { name: 'never-made' },
      });
      expect(tenant.status).toBe(500);
      const key = await api({
        method: 'POST',
        path: '/v1/admin/api-keys',
        key: adminKey,
        json: { tenantId, scopes: ['clusters:read'] },
      });
      expect(key.status).toBe(500);
      const revoke = await api({
        method: 'POST',
        path: `/v1/admin/api-keys/${keyToRevoke}:revoke`,
        key: adminKey,
      });
      expect(revoke.status).toBe(500);
      const rotate = await api({
        method: 'POST',
        path: `/v1/admin/tenants/${tenantId}/webhook-secret:rotate`,
        key: adminKey,
      });
      expect(rotate.status).toBe(500);
      const cluster = await api({
        method: 'POST',
        path: '/v1/clusters',
        key: adminKey,
        json: { name: 'never-made', region: 'cn-hangzhou' },
      });
      expect(cluster.status).toBe(500);
    } finally {
      plugin.failing = false;
    }

    expect(await store.findTenantsByName('never-made')).toEqual([]);
    expect((await store.listApiKeys({ tenantId, limit: 100 })).length).toBe(keysBefore);
    expect((await store.getApiKey(keyToRevoke))?.revokedAt).toBeNull();
    expect((await store.getTenant(tenantId))?.webhookSecret).toBe(secretBefore);
    const clusters = await api({ method: 'GET', path: '/v1/clusters', key: adminKey });
    expect(jsonOf(clusters, z.looseObject({ items: z.array(z.unknown()) })).items).toEqual([]);
    for (const action of ['tenant.create', 'api_key.revoke', 'tenant.webhook_secret.rotate'])
      expect(await audits(action)).toEqual([]);
    expect(await audits('cluster.create')).toEqual([]);
  }, 60_000);

  it('a mutation that commits has exactly one record, written with it', async () => {
    const tenant = await api({
      method: 'POST',
      path: '/v1/admin/tenants',
      key: adminKey,
      json: { name: 'made' },
    });
    expect(tenant.status).toBe(201);
    const madeId = jsonOf(tenant, z.looseObject({ id: z.string() })).id;
    expect(await audits('tenant.create')).toEqual([
      expect.objectContaining({ tenantId: madeId, target: `tenant:${madeId}` }),
    ]);

    const rotated = await api({
      method: 'POST',
      path: `/v1/admin/tenants/${madeId}/webhook-secret:rotate`,
      key: adminKey,
    });
    expect(rotated.status).toBe(200);
    expect(await audits('tenant.webhook_secret.rotate')).toHaveLength(1);

    const cluster = await api({
      method: 'POST',
      path: '/v1/clusters',
      key: adminKey,
      json: { name: 'made', region: 'cn-hangzhou' },
    });
    expect(cluster.status).toBe(202);
    const clusterId = jsonOf(cluster, z.looseObject({ id: z.string() })).id;
    expect(await audits('cluster.create')).toEqual([
      expect.objectContaining({ tenantId, target: `cluster:${clusterId}` }),
    ]);
  }, 60_000);
});
