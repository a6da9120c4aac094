import type { Selectable } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { DomainError } from '../../shared/domain/errors.js';
import {
  newProvisionRow,
  patchColumns,
  provisionFromRow,
} from '../../shared/store/provision-row.js';
import type { ProvisionsTable } from '../../shared/store/schema.js';

const CREATED = new Date('2030-01-01T00:00:00.000Z');

const spec = createClusterRequestSchema.parse({
  name: 'demo',
  region: 'cn-hangzhou',
  labels: { team: 'data' },
});

/** What the database hands back for a freshly inserted row: jsonb already parsed to objects. */
const storedRow = (overrides: Partial<Selectable<ProvisionsTable>> = {}) => {
  const inserted = newProvisionRow({
    id: 'prv_0000000000000000000001',
    tenantId: 'ten_1',
    name: 'demo',
    region: 'cn-hangzhou',
    spec,
    clusterName: 'demo-0000000001',
    labels: { team: 'data' },
    expiresAt: null,
    createdAt: CREATED,
  });
  const row: Selectable<ProvisionsTable> = {
    id: inserted.id,
    tenant_id: inserted.tenant_id,
    name: inserted.name,
    region: inserted.region,
    spec: JSON.parse(String(inserted.spec)),
    state: 'accepted',
    version: 1,
    cluster_name: inserted.cluster_name,
    cluster_id: null,
    task_id: null,
    ack_state: null,
    endpoints: null,
    create_pending_at: null,
    attempts: 0,
    lease_owner: null,
    lease_until: null,
    error: null,
    labels: JSON.parse(String(inserted.labels)),
    expires_at: null,
    created_at: CREATED,
    updated_at: CREATED,
  };
  return { ...row, ...overrides };
};

describe('provision rows', () => {
  it('reads a stored spec back exactly as written: defaults kept, none invented', () => {
    const provision = provisionFromRow(storedRow());
    expect(provision.spec).toEqual(spec);
    expect(provision.spec.network).toBe('auto');
    expect(provision.labels).toEqual({ team: 'data' });
  });

  it('stores jsonb columns as JSON text, because pg would turn arrays into Postgres arrays', () => {
    const row = newProvisionRow({
      id: 'prv_0000000000000000000001',
      tenantId: 'ten_1',
      name: 'demo',
      region: 'cn-hangzhou',
      spec: { ...spec, addons: [{ name: 'metrics-server' }] },
      clusterName: 'demo-0000000001',
      labels: {},
      expiresAt: null,
      createdAt: CREATED,
    });
    expect(typeof row.spec).toBe('string');
    expect(JSON.parse(String(row.spec)).addons).toEqual([{ name: 'metrics-server' }]);
  });

  it('refuses to store a spec the request schema rejects', () => {
    expect(() =>
      newProvisionRow({
        id: 'prv_0000000000000000000001',
        tenantId: 'ten_1',
        name: 'demo',
        region: 'cn-hangzhou',
        spec: { ...spec, serviceCidr: '8.8.8.0/24' },
        clusterName: 'demo-0000000001',
        labels: {},
        expiresAt: null,
        createdAt: CREATED,
      }),
    ).toThrow(DomainError);
  });

  it('fails loudly with INTERNAL on a corrupted jsonb or state column, naming the row', () => {
    const badSpec = () => provisionFromRow(storedRow({ spec: { name: 'demo' } }));
    expect(badSpec).toThrow(/prv_0000000000000000000001 has an invalid spec/);
    const badState = () => provisionFromRow(storedRow({ state: 'exploded' }));
    expect(badState).toThrow(DomainError);
    const badError = () => provisionFromRow(storedRow({ error: { code: 1 } }));
    expect(badError).toThrow(/invalid error/);
  });

  it('patches only the columns a patch names; null clears a column', () => {
    expect(patchColumns({})).toEqual({});
    const columns = patchColumns({
      clusterId: 'c123',
      leaseOwner: null,
      endpoints: { intranet: 'https://10.0.0.1:6443' },
      error: null,
    });
    expect(columns).toEqual({
      cluster_id: 'c123',
      lease_owner: null,
      endpoints: '{"intranet":"https://10.0.0.1:6443"}',
      error: null,
    });
  });
});
