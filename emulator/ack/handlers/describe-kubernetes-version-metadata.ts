import { EMULATED_REGIONS, EMULATED_VERSIONS, upgradableVersionsOf } from '../catalog.js';
import { ackErrors } from '../errors.js';
import type { AckHandler } from './handler.js';

/**
 * DescribeKubernetesVersionMetadata `GET /api/v1/metadata/versions`. Unlike the rest of ACK its
 * query names are PascalCase (Region, ClusterType, Profile, Mode, KubernetesVersion) and the body
 * is a bare JSON array. Region and ClusterType are required; Mode defaults to `creatable`, and
 * is ignored when KubernetesVersion is given (both per the SDK's doc).
 * The emulator models ASK only, so every ManagedKubernetes profile gets the same table.
 */
// The SDK doc lists Default, Edge and Serverless; Terraform's data source adds Acs.
const PROFILES = ['Default', 'Edge', 'Serverless', 'Acs'];

const describeKubernetesVersionMetadata: AckHandler = (request) => {
  const { Region, ClusterType, Mode, KubernetesVersion, Profile } = request.query;
  if (Region === undefined || Region === '')
    throw ackErrors.invalidParameter('Region is required.');
  if (ClusterType === undefined || ClusterType === '') {
    throw ackErrors.invalidParameter('ClusterType is required.');
  }
  if (!EMULATED_REGIONS.includes(Region)) {
    throw ackErrors.invalidParameter(`Region ${Region} is not supported.`);
  }
  if (Profile !== undefined && Profile !== '' && !PROFILES.includes(Profile)) {
    throw ackErrors.invalidParameter(`Profile ${Profile} is invalid: use ${PROFILES.join(', ')}.`);
  }
  const mode = Mode === undefined || Mode === '' ? 'creatable' : Mode;
  if (mode !== 'creatable' && mode !== 'supported') {
    throw ackErrors.invalidParameter('Mode must be creatable or supported.');
  }
  const versions =
    ClusterType !== 'ManagedKubernetes'
      ? []
      : EMULATED_VERSIONS.filter((entry) =>
          KubernetesVersion !== undefined && KubernetesVersion !== ''
            ? entry.version === KubernetesVersion
            : mode === 'supported' || entry.creatable,
        );
  return {
    status: 200,
    body: versions.map((entry) => ({
      version: entry.version,
      release_date: entry.releaseDate,
      expiration_date: entry.expirationDate,
      creatable: entry.creatable,
      upgradable_versions: upgradableVersionsOf(entry.version),
      capabilities: {},
      images: [],
      meta_data: {},
      runtimes: [{ name: 'containerd', version: '1.6.36' }],
    })),
  };
};

export { describeKubernetesVersionMetadata };
