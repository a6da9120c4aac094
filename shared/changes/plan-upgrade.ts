import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { ChangeRequest } from '../domain/cluster-change.js';
import { DomainError } from '../domain/errors.js';
import type { Provision } from '../domain/provision.js';

const notOffered = (wanted: string, current: string, offered: string[]): DomainError =>
  new DomainError(
    'VALIDATION_FAILED',
    `kubernetesVersion: ${wanted} is not an upgrade ACK offers for ${current}` +
      (offered.length === 0 ? ' (it offers none)' : ` (it offers ${offered.join(', ')})`),
    { field: 'kubernetesVersion' },
  );

/**
 * The upgrade change for `POST /v1/clusters/{id}:upgrade`, checked against ACK before anything is
 * written: only a version DescribeKubernetesVersionMetadata lists among the current version's
 * `upgradable_versions` is accepted (a 400 naming kubernetesVersion otherwise), so a refused
 * request never puts the cluster into `updating`. The current version is the spec's, else what
 * ACK reports (a cluster created without one runs ACK's default). The spec still says the old
 * version while the upgrade runs, so the same request again plans the same change (idempotent).
 */
const planUpgrade = async (
  api: ClusterApi,
  provision: Provision,
  kubernetesVersion: string,
): Promise<ChangeRequest> => {
  const current =
    provision.spec.kubernetesVersion ??
    (provision.clusterId === null
      ? null
      : ((await api.describeCluster({ clusterId: provision.clusterId, regionId: provision.region }))
          ?.currentVersion ?? null));
  if (current === null) throw notOffered(kubernetesVersion, 'an unknown version', []);
  const offered = await api.listUpgradableVersions({
    regionId: provision.region,
    kubernetesVersion: current,
  });
  if (!offered.includes(kubernetesVersion)) throw notOffered(kubernetesVersion, current, offered);
  return { kind: 'upgrade', params: { fromVersion: current, kubernetesVersion } };
};

export { planUpgrade };
