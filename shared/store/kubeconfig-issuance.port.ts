import type { AuditRecord } from '../domain/audit.js';
import type { KubeconfigIssuance } from '../domain/kubeconfig-issuance.js';

/** The kubeconfigs handed out (never the kubeconfigs themselves). */
interface KubeconfigIssuanceStore {
  /** The issuance and its audit record, in one transaction; a repeated id changes nothing. */
  recordKubeconfigIssuance(input: {
    issuance: KubeconfigIssuance;
    audit: AuditRecord;
  }): Promise<void>;
  /**
   * One tenant's issuances, newest first, older than `beforeId`; narrowed to a provision or a
   * key, and with `liveAt` to those neither expired nor revoked at that time.
   */
  listKubeconfigIssuances(input: {
    tenantId: string;
    provisionId?: string;
    keyId?: string;
    liveAt?: Date;
    beforeId?: string;
    limit: number;
  }): Promise<KubeconfigIssuance[]>;
  /**
   * Marks every issuance of the provision issued up to `issuedBy` and not yet revoked as revoked
   * at `at` (RevokeK8sClusterKubeConfig invalidates all of them at once). Returns how many.
   */
  markKubeconfigsRevoked(input: { provisionId: string; issuedBy: Date; at: Date }): Promise<number>;
}

export type { KubeconfigIssuanceStore };
