import {
  addonsFor,
  EMULATED_REGIONS,
  EMULATED_VERSIONS,
  networkOf,
  newestCreatableVersion,
  zonesOf,
} from './catalog.js';
import { ackErrors } from './errors.js';
import { validateNodePools } from './node-pools.js';
import { validateTags } from './tag-rules.js';
import type { StoredAddon, StoredNodePool, StoredTag } from './types.js';

/**
 * CreateCluster validation, following the rules the SDK documents for each field. The emulator
 * models ACK Serverless (profile Serverless) and ACK managed clusters with node pools (profile
 * absent or Default, `nodepools` required, node-pools.ts); other cluster types and profiles are
 * refused outright. A client that forgets `profile=Serverless` sends no pools and fails fast.
 */

interface CreateClusterSpec {
  name: string;
  regionId: string;
  clusterType: string;
  profile: string;
  clusterSpec: string;
  kubernetesVersion: string;
  /** null: ACK creates the VPC and a vSwitch itself. */
  vpcId: string | null;
  vswitchIds: string[];
  zoneId: string;
  serviceCidr: string;
  endpointPublicAccess: boolean;
  snatEntry: boolean;
  deletionProtection: boolean;
  tags: StoredTag[];
  addons: StoredAddon[];
  timezone: string;
  /** A managed cluster's pools; empty for ACK Serverless. */
  nodePools: StoredNodePool[];
}

type Body = Record<string, unknown>;

// 1–63 characters: letters, digits, Chinese characters and hyphens, not starting with a hyphen.
const NAME_PATTERN = /^[\p{Script=Han}A-Za-z0-9][\p{Script=Han}A-Za-z0-9-]{0,62}$/u;
const CLUSTER_SPECS = ['ack.standard', 'ack.pro.small'];
// ACK's default service CIDR for ASK (UNVERIFIED: taken from the console default).
const DEFAULT_SERVICE_CIDR = '172.21.0.0/20';

const optionalString = (body: Body, field: string): string | undefined => {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw ackErrors.invalidParameter(`${field} must be a string.`);
  return value;
};

const requiredString = (body: Body, field: string): string => {
  const value = optionalString(body, field);
  if (value === undefined) throw ackErrors.invalidParameter(`${field} is required.`);
  return value;
};

const optionalBoolean = (body: Body, field: string): boolean => {
  const value = body[field];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw ackErrors.invalidParameter(`${field} must be a boolean.`);
  return value;
};

const isRecord = (value: unknown): value is Body =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const ipv4ToInt = (address: string): number | undefined => {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255))
    return undefined;
  return parts.reduce((sum, part) => sum * 256 + part, 0);
};

/** Valid: 10.0.0.0/16-24, 172.16-31.0.0/16-24, 192.168.0.0/16-24 (the SDK's doc). */
const validateServiceCidr = (cidr: string): void => {
  const [address = '', prefixText = ''] = cidr.split('/');
  const prefix = Number(prefixText);
  const start = ipv4ToInt(address);
  const ok =
    start !== undefined &&
    Number.isInteger(prefix) &&
    prefix >= 16 &&
    prefix <= 24 &&
    (address.startsWith('10.') ||
      /^172\.(1[6-9]|2\d|3[01])\./.test(address) ||
      address.startsWith('192.168.'));
  if (!ok) {
    throw ackErrors.invalidParameter(
      `service_cidr ${cidr} is invalid: use 10.0.0.0/16-24, 172.16-31.0.0/16-24 or 192.168.0.0/16-24.`,
    );
  }
  // A network address has no host bits (UNVERIFIED whether ACK refuses 172.21.0.5/20 or masks it).
  if (start % 2 ** (32 - prefix) !== 0) {
    throw ackErrors.invalidParameter(
      `service_cidr ${cidr} has host bits set: it is not a network address.`,
    );
  }
};

/** ACK's name rule, for CreateCluster `name` and ModifyCluster `cluster_name`. */
const validateClusterName = (name: string, field: string): string => {
  if ([...name].length > 63 || !NAME_PATTERN.test(name)) {
    throw ackErrors.invalidParameter(
      `${field} ${name} is invalid: 1-63 characters, letters, digits, Chinese characters or hyphens (-), not starting with a hyphen.`,
    );
  }
  return name;
};

const validateAddons = (value: unknown): StoredAddon[] => {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw ackErrors.invalidParameter('addons must be an array.');
  return value.map((entry): StoredAddon => {
    if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name === '') {
      throw ackErrors.invalidParameter('Each addon needs a name.');
    }
    const addon: StoredAddon = { name: entry.name };
    const version = optionalString(entry, 'version');
    const config = optionalString(entry, 'config');
    if (version !== undefined) addon.version = version;
    if (config !== undefined) {
      try {
        JSON.parse(config);
      } catch {
        throw ackErrors.invalidParameter(`Addon ${entry.name} config must be a JSON string.`);
      }
      addon.config = config;
    }
    if (entry.disabled !== undefined) addon.disabled = optionalBoolean(entry, 'disabled');
    return addon;
  });
};

/** At most 3 vSwitches for an ACK Serverless cluster (ROS `ALIYUN::CS::ASKCluster` VSwitchIds). */
const MAX_VSWITCHES = 3;

const stringList = (body: Body, field: string): string[] => {
  const raw = body[field];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some((id) => typeof id !== 'string' || id === '')) {
    throw ackErrors.invalidParameter(`${field} must be an array of strings.`);
  }
  return raw as string[];
};

/**
 * Without `vpcid`/`vswitch_ids` ACK creates the VPC, and it must be told in which zone:
 * "if vpc_id and vswitch_ids are not specified, you must specify zone_id" (CreateClusterRequest
 * `zoneId` doc in @alicloud/cs20151215; `zone_ids` is its newer form). The code and wording of
 * ACK's refusal are UNVERIFIED; the emulator names the field, as ACK's parameter errors do.
 */
const automaticNetworkZone = (body: Body, regionId: string): string => {
  const zoneIds = stringList(body, 'zone_ids');
  const zoneId = optionalString(body, 'zone_id') ?? zoneIds[0];
  if (zoneId === undefined) {
    throw ackErrors.invalidParameter(
      'zone_id is required when vpcid and vswitch_ids are not given: ACK creates the VPC in that zone.',
    );
  }
  const offered = zonesOf(regionId);
  for (const zone of zoneIds.length > 0 ? zoneIds : [zoneId]) {
    if (!offered.includes(zone)) {
      // UNVERIFIED code: Terraform users report ZoneNotSupported-style refusals for such zones.
      throw ackErrors.invalidParameter(`zone_id ${zone} is not a zone of region ${regionId}.`);
    }
  }
  return zoneId;
};

const validateNetwork = (body: Body, regionId: string) => {
  const vpcId = optionalString(body, 'vpcid') ?? null;
  const vswitchIds = stringList(body, 'vswitch_ids');
  if ((vpcId === null) !== (vswitchIds.length === 0)) {
    throw ackErrors.invalidParameter(
      'vpcid and vswitch_ids must be given together, or both omitted.',
    );
  }
  if (vswitchIds.length > MAX_VSWITCHES) {
    throw ackErrors.invalidParameter(
      `vswitch_ids: an ACK Serverless cluster takes at most ${MAX_VSWITCHES} vSwitches, got ${vswitchIds.length}.`,
    );
  }
  if (vpcId === null) {
    return { vpcId, vswitchIds: [] as string[], zoneId: automaticNetworkZone(body, regionId) };
  }
  const network = networkOf(regionId, vpcId);
  if (network === undefined) {
    throw ackErrors.invalidParameter(`The VPC ${vpcId} does not exist in region ${regionId}.`);
  }
  const zones: string[] = [];
  for (const id of vswitchIds) {
    const vswitch = network.vswitches.find((candidate) => candidate.vswitchId === id);
    if (vswitch === undefined) {
      throw ackErrors.invalidParameter(`The vSwitch ${id} does not exist in VPC ${vpcId}.`);
    }
    zones.push(vswitch.zoneId);
  }
  return { vpcId, vswitchIds, zoneId: zones[0] ?? '' };
};

/**
 * Addons must be in ListAddons' catalog for the region and version, each named once
 * (UNVERIFIED: ACK's refusal of an unknown or repeated addon is not documented; refusing is the
 * strict choice, so a caller that would send one finds out here).
 */
const validateAddonCatalog = (addons: StoredAddon[], regionId: string, version: string): void => {
  const offered = addonsFor(regionId, version).map((addon) => addon.name);
  const seen = new Set<string>();
  for (const addon of addons) {
    if (!offered.includes(addon.name)) {
      throw ackErrors.invalidParameter(
        `addons: ${addon.name} is not an addon of ${version} in ${regionId}.`,
      );
    }
    if (seen.has(addon.name))
      throw ackErrors.invalidParameter(`addons: ${addon.name} is given twice.`);
    seen.add(addon.name);
  }
};

const validateCreateCluster = (body: unknown): CreateClusterSpec => {
  if (!isRecord(body)) throw ackErrors.invalidParameter('The request body must be a JSON object.');
  const name = validateClusterName(requiredString(body, 'name'), 'name');
  const regionId = requiredString(body, 'region_id');
  if (!EMULATED_REGIONS.includes(regionId)) {
    throw ackErrors.invalidParameter(`region_id ${regionId} is not supported.`);
  }
  const clusterType = requiredString(body, 'cluster_type');
  const profile = optionalString(body, 'profile') ?? 'Default';
  if (clusterType !== 'ManagedKubernetes' || (profile !== 'Serverless' && profile !== 'Default')) {
    throw ackErrors.invalidParameter(
      `The ACK emulator only models ACK Serverless and managed clusters (cluster_type=ManagedKubernetes, profile=Serverless or Default); got cluster_type=${clusterType}, profile=${profile}.`,
    );
  }
  if (profile === 'Serverless' && body.nodepools !== undefined && body.nodepools !== null) {
    throw ackErrors.invalidParameter('nodepools: an ACK Serverless cluster has no node pools.');
  }
  const clusterSpec = optionalString(body, 'cluster_spec') ?? 'ack.standard';
  if (!CLUSTER_SPECS.includes(clusterSpec)) {
    throw ackErrors.invalidParameter(`cluster_spec ${clusterSpec} is invalid for ACK Serverless.`);
  }
  const requestedVersion = optionalString(body, 'kubernetes_version');
  if (
    requestedVersion !== undefined &&
    !EMULATED_VERSIONS.some((entry) => entry.creatable && entry.version === requestedVersion)
  ) {
    throw ackErrors.invalidParameter(
      `kubernetes_version ${requestedVersion} is not a creatable version.`,
    );
  }
  const serviceCidr = optionalString(body, 'service_cidr') ?? DEFAULT_SERVICE_CIDR;
  validateServiceCidr(serviceCidr);
  const kubernetesVersion = requestedVersion ?? newestCreatableVersion();
  const addons = validateAddons(body.addons);
  validateAddonCatalog(addons, regionId, kubernetesVersion);
  const network = validateNetwork(body, regionId);
  // A pool's vswitch_ids are required and must be the cluster's: with a VPC ACK creates itself
  // the caller cannot know them, so a managed cluster here always names its network.
  const nodePools =
    profile === 'Default' ? validateNodePools(body.nodepools, network.vswitchIds) : [];
  return {
    name,
    regionId,
    clusterType,
    profile,
    clusterSpec,
    kubernetesVersion,
    ...network,
    nodePools,
    serviceCidr,
    endpointPublicAccess: optionalBoolean(body, 'endpoint_public_access'),
    snatEntry: optionalBoolean(body, 'snat_entry'),
    deletionProtection: optionalBoolean(body, 'deletion_protection'),
    tags: validateTags(body.tags, { allowEmptyValues: true }),
    addons,
    timezone: optionalString(body, 'timezone') ?? 'Asia/Shanghai',
  };
};

/** An integer query parameter within bounds, or the default when absent. */
const intQuery = (
  query: Record<string, string>,
  field: string,
  bounds: { min: number; max: number; fallback: number },
): number => {
  const raw = query[field];
  if (raw === undefined || raw === '') return bounds.fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw ackErrors.invalidParameter(
      `${field} must be an integer from ${bounds.min} to ${bounds.max}.`,
    );
  }
  return value;
};

export type { CreateClusterSpec };
export {
  intQuery,
  isRecord,
  optionalBoolean,
  optionalString,
  requiredString,
  validateClusterName,
  validateCreateCluster,
};
