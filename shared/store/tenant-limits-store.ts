import type { Kysely } from 'kysely';
import { NO_QUOTA, RELEASED_STATES } from '../tenancy/tenant-quota.js';
import { specFromColumn } from './provision-row.js';
import type { Database } from './schema.js';
import type { TenantLimitsStore } from './tenant-limits.port.js';

const tenantExists = async (db: Kysely<Database>, tenantId: string): Promise<boolean> =>
  (await db.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst()) !==
  undefined;

const createTenantLimitsStore = (db: Kysely<Database>): TenantLimitsStore => ({
  getTenantNetworks: async (tenantId) => {
    const rows = await db
      .selectFrom('tenant_networks')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('region')
      .orderBy('vpc_id')
      .execute();
    return rows.map((row) => ({
      region: row.region,
      vpcId: row.vpc_id,
      vswitchIds: [...row.vswitch_ids],
    }));
  },

  setTenantNetworks: async ({ tenantId, networks }) =>
    db.transaction().execute(async (trx) => {
      // The tenant row is locked so two PUTs of one tenant apply one after the other.
      const tenant = await trx
        .selectFrom('tenants')
        .select('id')
        .where('id', '=', tenantId)
        .forUpdate()
        .executeTakeFirst();
      if (tenant === undefined) return false;
      await trx.deleteFrom('tenant_networks').where('tenant_id', '=', tenantId).execute();
      if (networks.length > 0) {
        await trx
          .insertInto('tenant_networks')
          .values(
            networks.map((network) => ({
              tenant_id: tenantId,
              region: network.region,
              vpc_id: network.vpcId,
              vswitch_ids: [...network.vswitchIds],
            })),
          )
          .execute();
      }
      return true;
    }),

  getTenantQuota: async (tenantId) => {
    const row = await db
      .selectFrom('tenant_quotas')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return row === undefined
      ? NO_QUOTA
      : { maxClusters: row.max_clusters, maxMonthlyCost: row.max_monthly_cost };
  },

  setTenantQuota: async ({ tenantId, quota, at }) => {
    if (!(await tenantExists(db, tenantId))) return false;
    await db
      .insertInto('tenant_quotas')
      .values({
        tenant_id: tenantId,
        max_clusters: quota.maxClusters,
        max_monthly_cost: quota.maxMonthlyCost,
        updated_at: at,
      })
      .onConflict((conflict) =>
        conflict.column('tenant_id').doUpdateSet({
          max_clusters: quota.maxClusters,
          max_monthly_cost: quota.maxMonthlyCost,
          updated_at: at,
        }),
      )
      .execute();
    return true;
  },

  heldClusterSpecs: async (tenantId) => {
    const rows = await db
      .selectFrom('provisions')
      .select(['id', 'spec'])
      .where('tenant_id', '=', tenantId)
      .where('state', 'not in', [...RELEASED_STATES])
      .execute();
    return rows.map((row) => specFromColumn(row.id, row.spec));
  },
});

export { createTenantLimitsStore };
