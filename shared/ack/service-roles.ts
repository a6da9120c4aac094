/**
 * The RAM service roles an account must have authorised before ACK can create and run an ACK
 * Serverless cluster, per ACK's roles doc (alibabacloud.com/help/doc-detail/86483.htm), plus
 * AliyunECIContainerGroupRole, which serverless pods need (terraform-provider-alicloud#2565).
 * The quick-authorisation set in the console may hold more (UNVERIFIED: the doc's list changes).
 * A preflight passes these to ClusterApi.checkServiceRoles.
 */
const ASK_SERVICE_ROLES = [
  'AliyunCSDefaultRole',
  'AliyunCSServerlessKubernetesRole',
  'AliyunCSManagedNetworkRole',
  'AliyunCSManagedCsiRole',
  'AliyunCSManagedCmsRole',
  'AliyunCSManagedLogRole',
  'AliyunCSKubernetesAuditRole',
  'AliyunECIContainerGroupRole',
] as const;

type AskServiceRole = (typeof ASK_SERVICE_ROLES)[number];

export type { AskServiceRole };
export { ASK_SERVICE_ROLES };
