import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { insertProvisionQuery } from '../../shared/store/insert-provision-statement.js';
import type { Database } from '../../shared/store/schema.js';

/**
 * The create's one writing statement is sent as a named prepared statement, one per SQL text
 * and connection (shared/store/prepared-pool.ts). That only pays, and only stays bounded, if
 * every create compiles to the same text: the values must all be parameters.
 */
const db = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new PostgresIntrospector(kysely),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const input = (n: number, options: { expires: boolean; labels: Record<string, string> }) => {
  const at = new Date(Date.UTC(2026, 0, n));
  const id = `prv_${n}`;
  return {
    provision: {
      id,
      tenantId: `ten_${n}`,
      name: `c${n}`,
      region: n % 2 === 0 ? 'cn-hangzhou' : 'cn-beijing',
      spec: createClusterRequestSchema.parse({ name: `c${n}`, region: 'cn-hangzhou' }),
      clusterName: `c${n}-x`,
      labels: options.labels,
      expiresAt: options.expires ? at : null,
      createdAt: at,
    },
    event: {
      type: 'provision.accepted' as const,
      state: 'accepted' as const,
      message: `accepted ${n}`,
      source: 'service' as const,
      at,
    },
    job: { v: 1 as const, kind: 'create' as const, provisionId: id },
    outboxId: `obx_${n}`,
  };
};

const audit = (n: number, sourceIp: string | null) => ({
  id: `aud_${n}`,
  at: new Date(Date.UTC(2026, 0, n)),
  action: 'cluster.create' as const,
  actorKeyId: `key_${n}`,
  actorTenantId: `ten_${n}`,
  tenantId: `ten_${n}`,
  target: `cluster:prv_${n}`,
  sourceIp,
  requestId: `req_${n}`,
});

describe("the create's writing statement, as it is prepared", () => {
  it('compiles every create to one text, marked for preparing, with every value a parameter', () => {
    const a = insertProvisionQuery(db, input(1, { expires: false, labels: {} })).compile();
    const b = insertProvisionQuery(
      db,
      input(2, { expires: true, labels: { team: 'x' } }),
    ).compile();
    expect(b.sql).toBe(a.sql);
    expect(a.sql).toMatch(/\/\* askp:prepare \*\/$/);
    expect(a.sql).not.toContain('prv_1');
    expect(b.parameters).toContain('prv_2');
  });

  it('compiles every audited create to one text too, whatever the caller address', () => {
    const a = insertProvisionQuery(db, {
      ...input(1, { expires: false, labels: {} }),
      audit: audit(1, null),
    }).compile();
    const b = insertProvisionQuery(db, {
      ...input(2, { expires: true, labels: { a: 'b' } }),
      audit: audit(2, '10.0.0.1'),
    }).compile();
    expect(b.sql).toBe(a.sql);
    expect(a.sql).toMatch(/\/\* askp:prepare \*\/$/);
    expect(a.sql).toContain('"audit_records"');
  });
});
