/**
 * A kubeconfig the service fetched from ACK for a tenant. The kubeconfig itself is never kept;
 * this is who asked for it (`keyId`), for which cluster, and until when it works. ACK revokes the
 * kubeconfigs of one calling identity on one cluster (RevokeK8sClusterKubeConfig), so revoking
 * what a key or a tenant fetched means: every cluster among its live issuances.
 */
interface KubeconfigIssuance {
  id: string;
  tenantId: string;
  keyId: string;
  provisionId: string;
  clusterId: string;
  region: string;
  issuedAt: Date;
  expiresAt: Date;
  requestId: string;
  revokedAt: Date | null;
}

export type { KubeconfigIssuance };
