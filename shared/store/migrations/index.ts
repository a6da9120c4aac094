import type { Kysely, Migration } from 'kysely';

/**
 * A migration whose module loads when it runs: a function's cold start only checks which names
 * the database has (schema-status.ts), so no migration's code is in its start-up bundle.
 */
const loadedWhenRun = (load: () => Promise<Migration>): Migration => ({
  up: async (db: Kysely<unknown>) => (await load()).up(db),
  down: async (db: Kysely<unknown>) => {
    const { down } = await load();
    if (down) await down(db);
  },
});

/**
 * Every migration, by name, in the order they run. Listed in code instead of read from a folder so
 * that an esbuild bundle carries them: a function's bundle has no migrations directory.
 * Names sort in run order; never rename or edit a released one, add the next number.
 */
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': loadedWhenRun(async () => (await import('./0001_initial.js')).initial),
  '0002_api_access': loadedWhenRun(async () => (await import('./0002_api_access.js')).apiAccess),
  '0003_janitor': loadedWhenRun(async () => (await import('./0003_janitor.js')).janitor),
  '0004_webhooks': loadedWhenRun(async () => (await import('./0004_webhooks.js')).webhooks),
  '0005_progress_and_metrics': loadedWhenRun(
    async () => (await import('./0005_progress_and_metrics.js')).progressAndMetrics,
  ),
  '0006_service_keys': loadedWhenRun(
    async () => (await import('./0006_service_keys.js')).serviceKeys,
  ),
  '0007_tenant_limits': loadedWhenRun(
    async () => (await import('./0007_tenant_limits.js')).tenantLimits,
  ),
  '0008_webhook_fairness': loadedWhenRun(
    async () => (await import('./0008_webhook_fairness.js')).webhookFairness,
  ),
  '0009_audit_and_kubeconfigs': loadedWhenRun(
    async () => (await import('./0009_audit_and_kubeconfigs.js')).auditAndKubeconfigs,
  ),
  '0010_unique_tenant_names': loadedWhenRun(
    async () => (await import('./0010_unique_tenant_names.js')).uniqueTenantNames,
  ),
  '0011_api_key_name_and_use': loadedWhenRun(
    async () => (await import('./0011_api_key_name_and_use.js')).apiKeyNameAndUse,
  ),
  '0012_cluster_changes': loadedWhenRun(
    async () => (await import('./0012_cluster_changes.js')).clusterChanges,
  ),
  '0015_cluster_templates': loadedWhenRun(
    async () => (await import('./0015_cluster_templates.js')).clusterTemplates,
  ),
};

export { MIGRATIONS };
