import type { ClusterApi } from '../ack/cluster-api.port.js';
import {
  MANAGED_BY_VALUE,
  TAG_MANAGED_BY,
  TAG_PROVISION_ID,
  TAG_TENANT_ID,
} from '../domain/cluster-name.js';
import { DomainError, isDomainError } from '../domain/errors.js';
import type { Provision } from '../domain/provision.js';

/**
 * Tells ACK what a PATCH changed that ACK holds too: deletion protection (ModifyCluster) and the
 * labels (TagResources, with our own tags kept, since they are how we recognise the cluster).
 * It sends the provision's current values, so it is idempotent: a PATCH repeated after a failed
 * sync syncs again even though the row no longer changes. A label removed from the provision stays
 * as a tag in ACK (the port has no UntagResources yet).
 */
const syncClusterSettings = async (
  api: ClusterApi,
  provision: Provision,
  what: { deletionProtection: boolean; labels: boolean },
): Promise<void> => {
  const clusterId = provision.clusterId;
  if (!clusterId) return;
  try {
    if (what.deletionProtection) {
      await api.modifyCluster({
        clusterId,
        regionId: provision.region,
        deletionProtection: provision.spec.deletionProtection,
      });
    }
    if (what.labels) {
      await api.tagResources({
        regionId: provision.region,
        clusterIds: [clusterId],
        tags: {
          ...provision.labels,
          [TAG_PROVISION_ID]: provision.id,
          [TAG_TENANT_ID]: provision.tenantId,
          [TAG_MANAGED_BY]: MANAGED_BY_VALUE,
        },
      });
    }
  } catch (error) {
    if (!isDomainError(error)) throw error;
    throw new DomainError(
      error.code,
      `the change is saved, but ACK was not updated (${error.message}); repeat the PATCH to retry`,
      {
        retryable: error.retryable,
        ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
        cause: error,
      },
    );
  }
};

export { syncClusterSettings };
