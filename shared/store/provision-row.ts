import type { Insertable, Selectable, Updateable } from 'kysely';
import * as z from 'zod';
import type { ClusterSpec } from '../domain/cluster-spec.js';
import { clusterSpecSchema } from '../domain/cluster-spec.js';
import { DomainError } from '../domain/errors.js';
import type {
  NewProvisionEvent,
  Provision,
  ProvisionEvent,
  ProvisionPatch,
} from '../domain/provision.js';
import { PROVISION_STATES } from '../domain/provision-state.js';
import type { ProvisionEventsTable, ProvisionsTable } from './schema.js';
import type { NewProvision, ProvisionSettings } from './store.port.js';

/**
 * Provision and event rows ⇄ domain objects. Everything read from a jsonb or CHECKed column is
 * parsed here, so a row that somebody edited by hand fails loudly at the boundary instead of deep
 * inside a handler.
 */

const stateSchema = z.enum(PROVISION_STATES);
const sourceSchema = z.enum(['service', 'ack']);
const labelsSchema = z.record(z.string(), z.string());
const endpointsSchema = z
  .object({ intranet: z.string().optional(), internet: z.string().optional() })
  .nullable();
const errorSchema = z.object({ code: z.string(), message: z.string() }).nullable();

const parseColumn = <T>(
  schema: z.ZodType<T>,
  value: unknown,
  where: { table: string; id: string; column: string },
): T => {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problem = z.prettifyError(result.error);
  throw new DomainError(
    'INTERNAL',
    `stored ${where.table} row ${where.id} has an invalid ${where.column}: ${problem}`,
  );
};

/**
 * The spec is stored as the request schema's full output (defaults applied), so reading it back
 * through the same schema validates it without inventing anything: every defaulted key is present.
 */
const specForStorage = (spec: ClusterSpec): string =>
  JSON.stringify(
    parseColumn(clusterSpecSchema, spec, {
      table: 'provisions',
      id: '(new)',
      column: 'spec',
    }),
  );

const jsonOrNull = (value: object | null): string | null =>
  value === null ? null : JSON.stringify(value);

const newProvisionRow = (provision: NewProvision): Insertable<ProvisionsTable> => ({
  id: provision.id,
  tenant_id: provision.tenantId,
  name: provision.name,
  region: provision.region,
  spec: specForStorage(provision.spec),
  state: 'accepted',
  version: 1,
  cluster_name: provision.clusterName,
  cluster_id: null,
  task_id: null,
  ack_state: null,
  endpoints: null,
  create_pending_at: null,
  attempts: 0,
  lease_owner: null,
  lease_until: null,
  error: null,
  labels: JSON.stringify(provision.labels),
  expires_at: provision.expiresAt,
  created_at: provision.createdAt,
  updated_at: provision.createdAt,
});

/** Only the keys the patch names: an absent key leaves the column alone, `null` clears it. */
const patchColumns = (patch: ProvisionPatch): Updateable<ProvisionsTable> => {
  const columns: Updateable<ProvisionsTable> = {};
  if (patch.clusterId !== undefined) columns.cluster_id = patch.clusterId;
  if (patch.taskId !== undefined) columns.task_id = patch.taskId;
  if (patch.ackState !== undefined) columns.ack_state = patch.ackState;
  if (patch.endpoints !== undefined) columns.endpoints = jsonOrNull(patch.endpoints);
  if (patch.createPendingAt !== undefined) columns.create_pending_at = patch.createPendingAt;
  if (patch.attempts !== undefined) columns.attempts = patch.attempts;
  if (patch.leaseOwner !== undefined) columns.lease_owner = patch.leaseOwner;
  if (patch.leaseUntil !== undefined) columns.lease_until = patch.leaseUntil;
  if (patch.error !== undefined) columns.error = jsonOrNull(patch.error);
  return columns;
};

/** The columns a PATCH rewrites; the spec keeps the same settings as the columns. */
const settingsColumns = (settings: ProvisionSettings): Updateable<ProvisionsTable> => ({
  name: settings.name,
  labels: JSON.stringify(settings.labels),
  expires_at: settings.expiresAt,
  spec: specForStorage(settings.spec),
});

/** A stored spec read back on its own (the quota check reads only the specs of held provisions). */
const specFromColumn = (id: string, value: unknown): ClusterSpec =>
  parseColumn(clusterSpecSchema, value, { table: 'provisions', id, column: 'spec' });

const provisionFromRow = (row: Selectable<ProvisionsTable>): Provision => {
  const where = (column: string) => ({ table: 'provisions', id: row.id, column });
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    region: row.region,
    spec: parseColumn(clusterSpecSchema, row.spec, where('spec')),
    state: parseColumn(stateSchema, row.state, where('state')),
    version: row.version,
    clusterName: row.cluster_name,
    clusterId: row.cluster_id,
    taskId: row.task_id,
    ackState: row.ack_state,
    endpoints: parseColumn(endpointsSchema, row.endpoints, where('endpoints')),
    createPendingAt: row.create_pending_at,
    attempts: row.attempts,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    error: parseColumn(errorSchema, row.error, where('error')),
    labels: parseColumn(labelsSchema, row.labels, where('labels')),
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
};

const eventRow = (
  provisionId: string,
  sequence: number,
  event: NewProvisionEvent,
): Insertable<ProvisionEventsTable> => ({
  provision_id: provisionId,
  sequence,
  type: event.type,
  state: event.state,
  message: event.message,
  source: event.source,
  at: event.at,
});

const eventFromRow = (row: Selectable<ProvisionEventsTable>): ProvisionEvent => {
  const where = (column: string) => ({
    table: 'provision_events',
    id: `${row.provision_id}#${row.sequence}`,
    column,
  });
  return {
    provisionId: row.provision_id,
    sequence: row.sequence,
    type: row.type,
    state: parseColumn(stateSchema, row.state, where('state')),
    message: row.message,
    source: parseColumn(sourceSchema, row.source, where('source')),
    at: row.at,
  };
};

export {
  eventFromRow,
  eventRow,
  newProvisionRow,
  parseColumn,
  patchColumns,
  provisionFromRow,
  settingsColumns,
  specForStorage,
  specFromColumn,
  stateSchema,
};
