import { addonsFor, EMULATED_REGIONS } from '../catalog.js';
import { ackErrors } from '../errors.js';
import type { AckHandler } from './handler.js';

/**
 * ListAddons `GET /addons?region_id&cluster_type&profile&cluster_spec&cluster_version`: the
 * addons a new cluster of that kind may install (ListAddonsRequest doc: "the region_id,
 * cluster_type, profile, cluster_spec, and cluster_version parameters must be specified
 * together"), answered `{addons: [{name, version, category, install_by_default, managed, …}]}`.
 * The `cluster_id` form (addons of an existing cluster) is not served. An unknown region or
 * version answers an empty list (UNVERIFIED; ACK may refuse instead).
 */

const REQUIRED = ['region_id', 'cluster_type', 'profile', 'cluster_spec', 'cluster_version'];

const listAddons: AckHandler = (request) => {
  const query = request.query;
  if (query.cluster_id !== undefined && query.cluster_id !== '') {
    throw ackErrors.invalidParameter(
      'The ACK emulator serves ListAddons for new clusters only (no cluster_id).',
    );
  }
  for (const field of REQUIRED) {
    if (query[field] === undefined || query[field] === '') {
      throw ackErrors.invalidParameter(`${field} is required: ${REQUIRED.join(', ')} go together.`);
    }
  }
  const regionId = query.region_id ?? '';
  const serverless = query.cluster_type === 'ManagedKubernetes' && query.profile === 'Serverless';
  const addons =
    serverless && EMULATED_REGIONS.includes(regionId)
      ? addonsFor(regionId, query.cluster_version ?? '')
      : [];
  return {
    status: 200,
    body: {
      addons: addons.map((addon) => ({
        name: addon.name,
        version: addon.version,
        category: addon.category,
        install_by_default: addon.installByDefault,
        managed: addon.managed,
        architecture: ['amd64', 'arm64'],
        config_schema: '{}',
        supported_actions: ['Install', 'Upgrade', 'Uninstall'],
      })),
    },
  };
};

export { listAddons };
