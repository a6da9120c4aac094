import type { Migration } from 'kysely';
import { initial } from './0001_initial.js';
import { apiAccess } from './0002_api_access.js';
import { janitor } from './0003_janitor.js';
import { webhooks } from './0004_webhooks.js';
import { progressAndMetrics } from './0005_progress_and_metrics.js';
import { serviceKeys } from './0006_service_keys.js';
import { tenantLimits } from './0007_tenant_limits.js';
import { webhookFairness } from './0008_webhook_fairness.js';
import { auditAndKubeconfigs } from './0009_audit_and_kubeconfigs.js';
import { uniqueTenantNames } from './0010_unique_tenant_names.js';
import { apiKeyNameAndUse } from './0011_api_key_name_and_use.js';
import { clusterChanges } from './0012_cluster_changes.js';
import { clusterTemplates } from './0015_cluster_templates.js';

/**
 * Every migration, by name, in the order they run. Listed in code instead of read from a folder so
 * that an esbuild bundle carries them: a function's bundle has no migrations directory.
 * Names sort in run order; never rename or edit a released one, add the next number.
 */
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_api_access': apiAccess,
  '0003_janitor': janitor,
  '0004_webhooks': webhooks,
  '0005_progress_and_metrics': progressAndMetrics,
  '0006_service_keys': serviceKeys,
  '0007_tenant_limits': tenantLimits,
  '0008_webhook_fairness': webhookFairness,
  '0009_audit_and_kubeconfigs': auditAndKubeconfigs,
  '0010_unique_tenant_names': uniqueTenantNames,
  '0011_api_key_name_and_use': apiKeyNameAndUse,
  '0012_cluster_changes': clusterChanges,
  '0015_cluster_templates': clusterTemplates,
};

export { MIGRATIONS };
