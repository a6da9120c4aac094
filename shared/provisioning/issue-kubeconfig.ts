import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { Clock } from '../clock.js';
import type { AuditRecord } from '../domain/audit.js';
import { DomainError, ValidationError } from '../domain/errors.js';
import type { KubeconfigIssuance } from '../domain/kubeconfig-issuance.js';
import { newId } from '../ids.js';
import type { KubeconfigIssuanceStore } from '../store/kubeconfig-issuance.port.js';
import type { ProvisionStore } from '../store/provision.port.js';
import { loadProvision } from './load-provision.js';

interface KubeconfigLimits {
  maxMinutes: number;
  defaultMinutes: number;
}

/**
 * A kubeconfig for one of the tenant's running clusters, fetched from ACK
 * (DescribeClusterUserKubeconfig, for the API function's own RAM identity) and recorded before it
 * is handed out: the issuance row (who, which cluster, until when) and its audit record commit
 * together, so no kubeconfig leaves unrecorded. The kubeconfig itself is never stored.
 */
const issueKubeconfig = async (
  deps: {
    store: ProvisionStore & KubeconfigIssuanceStore;
    clock: Clock;
    clusterApi: () => Promise<ClusterApi>;
    limits: KubeconfigLimits;
  },
  input: {
    tenantId: string;
    keyId: string;
    provisionId: string;
    durationMinutes: number | undefined;
    privateIp: boolean | undefined;
    requestId: string;
    audit: (subject: { tenantId: string; target: string }) => AuditRecord;
  },
): Promise<{ issuance: KubeconfigIssuance; kubeconfig: string }> => {
  const { maxMinutes, defaultMinutes } = deps.limits;
  if (input.durationMinutes !== undefined && input.durationMinutes > maxMinutes) {
    const message = `durationMinutes: at most ${maxMinutes} minutes on this service`;
    throw new ValidationError(message, [{ field: 'durationMinutes', message }]);
  }
  const provision = await loadProvision(deps.store, {
    tenantId: input.tenantId,
    id: input.provisionId,
  });
  // A cluster under a change (updating) still serves its API.
  if (!['running', 'updating'].includes(provision.state) || !provision.clusterId) {
    throw new DomainError(
      'CONFLICT',
      `cluster ${provision.id} is ${provision.state}: a kubeconfig exists only while it is running`,
    );
  }
  // ACK answers the public credential unless PrivateIpAddress=true (its default is false):
  // a cluster without a public endpoint has only the intranet one.
  const publicEndpoint = provision.spec.endpointPublicAccess;
  if (input.privateIp === false && !publicEndpoint) {
    throw new DomainError(
      'CONFLICT',
      `cluster ${provision.id} has no public API server endpoint: ask with privateIp=true`,
      { field: 'privateIp' },
    );
  }
  const api = await deps.clusterApi();
  const issued = await api.describeKubeconfig({
    clusterId: provision.clusterId,
    regionId: provision.region,
    temporaryDurationMinutes: input.durationMinutes ?? defaultMinutes,
    privateIpAddress: input.privateIp ?? !publicEndpoint,
  });
  const now = deps.clock.now();
  const issuance: KubeconfigIssuance = {
    id: newId('kcf', now.getTime()),
    tenantId: provision.tenantId,
    keyId: input.keyId,
    provisionId: provision.id,
    clusterId: provision.clusterId,
    region: provision.region,
    issuedAt: now,
    expiresAt: issued.expiration,
    requestId: input.requestId,
    revokedAt: null,
  };
  await deps.store.recordKubeconfigIssuance({
    issuance,
    audit: input.audit({ tenantId: provision.tenantId, target: `cluster:${provision.id}` }),
  });
  return { issuance, kubeconfig: issued.config };
};

/** A page of one cluster's issuances, newest first; `nextBeforeId` is null on the last page. */
const listKubeconfigIssuances = async (
  deps: { store: ProvisionStore & KubeconfigIssuanceStore },
  input: { tenantId: string; provisionId: string; beforeId?: string; limit: number },
): Promise<{ items: KubeconfigIssuance[]; nextBeforeId: string | null }> => {
  const provision = await loadProvision(deps.store, {
    tenantId: input.tenantId,
    id: input.provisionId,
  });
  const rows = await deps.store.listKubeconfigIssuances({
    tenantId: provision.tenantId,
    provisionId: provision.id,
    ...(input.beforeId === undefined ? {} : { beforeId: input.beforeId }),
    limit: input.limit + 1,
  });
  const items = rows.slice(0, input.limit);
  return { items, nextBeforeId: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
};

export type { KubeconfigLimits };
export { issueKubeconfig, listKubeconfigIssuances };
