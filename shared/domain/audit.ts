/**
 * What the audit trail records: the mutations the API accepts, one action name each. A mutating
 * route without an action here does not compile into the route table (endpoint.ts), and
 * test/unit/audit-routes.test.ts fails for a mutating route that declares none.
 */
const AUDIT_ACTIONS = [
  'tenant.create',
  'tenant.defaults.set',
  'tenant.networks.set',
  'tenant.quota.set',
  'tenant.webhook_secret.rotate',
  'api_key.create',
  'api_key.revoke',
  'cluster.create',
  'cluster.update',
  'cluster.delete',
  'cluster.upgrade',
  'addon.install',
  'addon.update',
  'addon.uninstall',
  'kubeconfig.issue',
  'kubeconfig.revoke',
  'node_pool.create',
  'node_pool.update',
  'node_pool.delete',
  'webhook_endpoint.create',
  'webhook_endpoint.update',
  'webhook_endpoint.delete',
  'webhook_endpoint.enable',
  'webhook_endpoint.ping',
  'webhook_delivery.redeliver',
  'template.create',
  'template.replace',
  'template.delete',
] as const;

type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One accepted mutation. `actorTenantId` is the tenant of the key that did it, `tenantId` the
 * tenant it concerned (they differ for an admin acting on another tenant). `target` names the
 * thing changed (`<kind>:<id>`). Never a request body, never a secret.
 */
interface AuditRecord {
  id: string;
  at: Date;
  action: AuditAction;
  actorKeyId: string;
  actorTenantId: string;
  tenantId: string;
  target: string;
  /** The caller's address as Function Compute saw it; null when the trigger did not say. */
  sourceIp: string | null;
  requestId: string;
}

/**
 * The request's audit record, made for what the use case changed, to be written in the use case's
 * own transaction (shared/http/audit-trail.ts `take`): the record then commits with the change or
 * not at all.
 */
type AuditTaker = (subject: { tenantId: string; target: string }) => AuditRecord;

export type { AuditAction, AuditRecord, AuditTaker };
export { AUDIT_ACTIONS };
