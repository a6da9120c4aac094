import type { ClusterSpec } from '../domain/cluster-spec.js';
import { DomainError } from '../domain/errors.js';
import { defaultZoneOf } from '../domain/regions.js';
import type { AckCatalog } from './ack-catalog.js';

/**
 * A create request made whole and checked against what ACK offers, before anything is written:
 *
 * - `kubernetesVersion`: the requested one must be creatable in the region; without one, the
 *   newest creatable is chosen here and stored, so `GET /v1/clusters/{id}` shows it;
 * - `zoneId`: with `network: "auto"`, ACK must be told the zone of the VPC it creates; the
 *   region's default zone when the request names none;
 * - `addons`: CoreDNS is added unless the request names it (`{"name": "coredns", "disabled":
 *   true}` opts out): without it Kubernetes service names do not resolve in an ACK Serverless
 *   cluster (ACK docs, "ASK service discovery and DNS"); every addon must be in ACK's catalog
 *   (ListAddons) for the region, version and spec.
 *
 * Refusals are VALIDATION_FAILED naming the field. ACK being unreachable is thrown as it comes
 * (retryable), never turned into a refusal.
 */

const COREDNS = 'coredns';

const refuse = (field: string, message: string): DomainError =>
  new DomainError('VALIDATION_FAILED', message, { field });

const chooseVersion = async (catalog: AckCatalog, spec: ClusterSpec): Promise<string> => {
  const creatable = await catalog.creatableVersions(spec.region);
  if (spec.kubernetesVersion !== undefined) {
    if (creatable.includes(spec.kubernetesVersion)) return spec.kubernetesVersion;
    throw refuse(
      'kubernetesVersion',
      `kubernetesVersion ${spec.kubernetesVersion} cannot be created in ${spec.region}; creatable: ${creatable.join(', ') || 'none'}`,
    );
  }
  const newest = creatable[0];
  if (newest === undefined) {
    throw refuse('region', `ACK offers no creatable Kubernetes version in ${spec.region}`);
  }
  return newest;
};

const resolveCreateSpec = async (catalog: AckCatalog, spec: ClusterSpec): Promise<ClusterSpec> => {
  const kubernetesVersion = await chooseVersion(catalog, spec);
  const addons = spec.addons.some((addon) => addon.name === COREDNS)
    ? spec.addons
    : [...spec.addons, { name: COREDNS }];
  const offered = await catalog.addons({
    regionId: spec.region,
    kubernetesVersion,
    clusterSpec: spec.clusterSpec,
  });
  const names = new Set(offered.map((addon) => addon.name));
  addons.forEach((addon, index) => {
    if (!names.has(addon.name)) {
      throw refuse(
        `addons.${index}.name`,
        `ACK offers no addon ${addon.name} for ${kubernetesVersion} in ${spec.region}; GET /v1/options lists them`,
      );
    }
  });
  const zoneId = spec.network === 'auto' ? (spec.zoneId ?? defaultZoneOf(spec.region)) : undefined;
  return {
    ...spec,
    kubernetesVersion,
    addons,
    ...(zoneId === undefined ? {} : { zoneId }),
  };
};

export { COREDNS, resolveCreateSpec };
