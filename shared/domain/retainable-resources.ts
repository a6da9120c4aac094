/**
 * The resource types DeleteCluster can keep or delete with an ACK Serverless cluster: the
 * `delete_options[].resource_type` values of ACK's DeleteCluster, as the SDK's typings list them
 * (@alicloud/cs20151215 dist/models/DeleteClusterRequest.d.ts, DeleteClusterRequestDeleteOptions:
 * SLB deleted by default, the others retained by default). ACK keeps ALB, SLS projects and PrivateZone zones unless told otherwise, and
 * they keep billing, so the delete job names every type and deletes it unless the operator
 * retains it (ASKP_DELETE_RETAIN). The one list the config, the ACK port and the delete job use.
 */
const RETAINABLE_RESOURCE_TYPES = [
  'SLB',
  'ALB',
  'SLS_Data',
  'SLS_ControlPlane',
  'PrivateZone',
] as const;

type RetainableResourceType = (typeof RETAINABLE_RESOURCE_TYPES)[number];

export type { RetainableResourceType };
export { RETAINABLE_RESOURCE_TYPES };
