import type { AckAddon, AckInstalledAddon, ClusterApi } from '../ack/cluster-api.port.js';
import type { ChangeRequest } from '../domain/cluster-change.js';
import { DomainError } from '../domain/errors.js';
import type { Provision } from '../domain/provision.js';
import type { AckCatalog } from '../provisioning/ack-catalog.js';
import { assertAddonAllowed } from '../tenancy/addon-policy.js';

/**
 * The addon changes of `…/addons` (issue #17), checked before anything is written, so a refused
 * request never puts the cluster into `updating`:
 *
 * - the service's policy first, the same one a create passes (the allow-list
 *   `ASKP_ADDON_ALLOW_LIST` and each addon's config keys: shared/tenancy/addon-policy.ts);
 * - then ACK's catalog for the cluster's current Kubernetes version (ListAddons, cached): the
 *   addon must be in it, and a version named must be the one it offers (400 naming the field);
 * - then what is installed (ListClusterAddonInstances): installing an installed addon, changing
 *   or uninstalling one that is not installed is a 409 naming `name`.
 *
 * The answers plan the same change for the same request while it runs (an install is not listed
 * until its task succeeded, an upgrade shows the old version until then), so a repeated request
 * answers the change under way.
 */

interface AddonPlanDeps {
  api: ClusterApi;
  catalog: AckCatalog;
  allowList: readonly string[];
}

interface AddonState {
  kubernetesVersion: string;
  offered: AckAddon[];
  installed: AckInstalledAddon[];
}

const refuse = (field: string, message: string): DomainError =>
  new DomainError('VALIDATION_FAILED', message, { field });

const conflict = (message: string): DomainError =>
  new DomainError('CONFLICT', message, { field: 'name' });

const targetOf = (provision: Provision) => ({
  clusterId: provision.clusterId ?? '',
  regionId: provision.region,
});

/** The cluster's Kubernetes version now: the spec's, else what ACK reports. */
const currentVersion = async (api: ClusterApi, provision: Provision): Promise<string> => {
  const version =
    provision.spec.kubernetesVersion ??
    (provision.clusterId === null
      ? null
      : ((await api.describeCluster(targetOf(provision)))?.currentVersion ?? null));
  if (version === null) {
    throw new DomainError('CONFLICT', `cluster ${provision.id} has no Kubernetes version yet`);
  }
  return version;
};

/** What ACK offers the cluster and what it has installed. */
const readAddonState = async (
  deps: Pick<AddonPlanDeps, 'api' | 'catalog'>,
  provision: Provision,
): Promise<AddonState> => {
  if (provision.clusterId === null || !['running', 'updating'].includes(provision.state)) {
    throw new DomainError(
      'CONFLICT',
      `cluster ${provision.id} is ${provision.state}: only a running cluster has addons to show or change`,
    );
  }
  const kubernetesVersion = await currentVersion(deps.api, provision);
  const [offered, installed] = await Promise.all([
    deps.catalog.addons({
      regionId: provision.region,
      kubernetesVersion,
      clusterSpec: provision.spec.clusterSpec,
    }),
    deps.api.listInstalledAddons(targetOf(provision)),
  ]);
  return { kubernetesVersion, offered, installed };
};

/** The catalog's entry for `name`, and the version to use (the catalog's when none is asked). */
const offeredVersion = (state: AddonState, name: string, asked: string | undefined): string => {
  const entry = state.offered.find((addon) => addon.name === name);
  if (entry === undefined) {
    throw refuse(
      'name',
      `ACK offers no addon ${name} for Kubernetes ${state.kubernetesVersion}; GET /v1/options lists them`,
    );
  }
  const version = entry.version ?? asked;
  if (version === undefined) {
    throw refuse('version', `ACK names no version of ${name}: say which one`);
  }
  if (asked !== undefined && asked !== version) {
    throw refuse(
      'version',
      `version: ACK offers ${name} ${version} for Kubernetes ${state.kubernetesVersion}, not ${asked}`,
    );
  }
  return version;
};

const installedAddon = (state: AddonState, name: string): AckInstalledAddon => {
  const addon = state.installed.find((entry) => entry.name === name);
  if (addon === undefined) throw conflict(`addon ${name} is not installed in this cluster`);
  return addon;
};

const configString = (config: Record<string, unknown> | undefined): string | undefined =>
  config === undefined ? undefined : JSON.stringify(config);

/** `POST /v1/clusters/{id}/addons`. */
const planAddonInstall = async (
  deps: AddonPlanDeps,
  provision: Provision,
  request: { name: string; version?: string; config?: Record<string, unknown> },
): Promise<ChangeRequest> => {
  assertAddonAllowed(request, deps.allowList);
  const state = await readAddonState(deps, provision);
  const version = offeredVersion(state, request.name, request.version);
  if (state.installed.some((addon) => addon.name === request.name)) {
    throw conflict(
      `addon ${request.name} is already installed: PATCH …/addons/${request.name} changes it`,
    );
  }
  const config = configString(request.config);
  return {
    kind: 'addon-install',
    params: { name: request.name, version, ...(config === undefined ? {} : { config }) },
  };
};

/**
 * `PATCH /v1/clusters/{id}/addons/{name}`: a new version is an upgrade (with the config, if
 * given); the config alone is a reconfiguration. `null` when nothing would change (the version
 * asked is the one installed, no config).
 */
const planAddonUpdate = async (
  deps: AddonPlanDeps,
  provision: Provision,
  name: string,
  request: { version?: string; config?: Record<string, unknown> },
): Promise<ChangeRequest | null> => {
  assertAddonAllowed(
    { name, ...(request.config === undefined ? {} : { config: request.config }) },
    deps.allowList,
  );
  const state = await readAddonState(deps, provision);
  const addon = installedAddon(state, name);
  const config = configString(request.config);
  if (request.version !== undefined && request.version !== addon.version) {
    const version = offeredVersion(state, name, request.version);
    return {
      kind: 'addon-upgrade',
      params: {
        name,
        fromVersion: addon.version ?? '',
        version,
        ...(config === undefined ? {} : { config }),
      },
    };
  }
  if (config === undefined) return null;
  return { kind: 'addon-config', params: { name, config } };
};

/** `DELETE /v1/clusters/{id}/addons/{name}`. */
const planAddonUninstall = async (
  deps: AddonPlanDeps,
  provision: Provision,
  name: string,
): Promise<ChangeRequest> => {
  const state = await readAddonState(deps, provision);
  installedAddon(state, name);
  return { kind: 'addon-uninstall', params: { name } };
};

export type { AddonPlanDeps, AddonState };
export { planAddonInstall, planAddonUninstall, planAddonUpdate, readAddonState };
