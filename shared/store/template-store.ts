import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import * as z from 'zod';
import { parseColumn } from './provision-row.js';
import type { ClusterTemplatesTable, Database } from './schema.js';
import type { ClusterTemplate, TemplateStore } from './template.port.js';

const specColumnSchema = z.record(z.string(), z.unknown());

const templateFromRow = (row: Selectable<ClusterTemplatesTable>): ClusterTemplate => ({
  tenantId: row.tenant_id,
  name: row.name,
  spec: parseColumn(specColumnSchema, row.spec, {
    table: 'cluster_templates',
    id: `${row.tenant_id}/${row.name}`,
    column: 'spec',
  }),
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The row of a template's first version. */
const firstVersion = (input: {
  tenantId: string;
  name: string;
  spec: Readonly<Record<string, unknown>>;
  at: Date;
}) => ({
  tenant_id: input.tenantId,
  name: input.name,
  spec: JSON.stringify(input.spec),
  version: 1,
  created_at: input.at,
  updated_at: input.at,
});

const createTemplateStore = (db: Kysely<Database>): TemplateStore => ({
  createTemplate: async ({ tenantId, name, spec, at }) => {
    const row = await db
      .insertInto('cluster_templates')
      .values(firstVersion({ tenantId, name, spec, at }))
      .onConflict((conflict) => conflict.columns(['tenant_id', 'name']).doNothing())
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? null : templateFromRow(row);
  },

  putTemplate: async ({ tenantId, name, spec, at }) => {
    // One statement: two replacements at once each add one to the version, none is lost.
    const row = await db
      .insertInto('cluster_templates')
      .values(firstVersion({ tenantId, name, spec, at }))
      .onConflict((conflict) =>
        conflict.columns(['tenant_id', 'name']).doUpdateSet({
          spec: (eb) => eb.ref('excluded.spec'),
          version: sql<number>`cluster_templates.version + 1`,
          updated_at: (eb) => eb.ref('excluded.updated_at'),
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return { template: templateFromRow(row), created: row.version === 1 };
  },

  getTemplate: async ({ tenantId, name }) => {
    const row = await db
      .selectFrom('cluster_templates')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? null : templateFromRow(row);
  },

  listTemplates: async ({ tenantId, afterName, limit }) => {
    let query = db.selectFrom('cluster_templates').selectAll().where('tenant_id', '=', tenantId);
    if (afterName !== undefined) query = query.where('name', '>', afterName);
    const rows = await query.orderBy('name').limit(limit).execute();
    return rows.map(templateFromRow);
  },

  deleteTemplate: async ({ tenantId, name }) => {
    const result = await db
      .deleteFrom('cluster_templates')
      .where('tenant_id', '=', tenantId)
      .where('name', '=', name)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  },
});

export { createTemplateStore };
