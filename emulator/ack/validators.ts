import {
  defaultZoneOf,
  EMULATED_REGIONS,
  EMULATED_VERSIONS,
  networkOf,
  newestCreatableVersion,
} from './catalog.js';
import { ackErrors } from './errors.js';
import { validateTags } from './tag-rules.js';
import type { StoredAddon, StoredTag } from './types.js';

/**
 * CreateCluster validation, following the rules the SDK documents for each field. The emulator
 * only models ACK Serverless: other cluster types and profiles are refused outright, so a client
 * that forgets `profile=Serverless` (and would get a node-based cluster from real ACK) fails fast.
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

const validateNetwork = (body: Body, regionId: string) => {
  const vpcId = optionalString(body, 'vpcid') ?? null;
  const rawVswitches = body.vswitch_ids;
  const vswitchIds = Array.isArray(rawVswitches) ? rawVswitches : [];
  if (rawVswitches !== undefined && rawVswitches !== null && !Array.isArray(rawVswitches)) {
    throw ackErrors.invalidParameter('vswitch_ids must be an array of strings.');
  }
  if (vswitchIds.some((id) => typeof id !== 'string' || id === '')) {
    throw ackErrors.invalidParameter('vswitch_ids must be an array of strings.');
  }
  if ((vpcId === null) !== (vswitchIds.length === 0)) {
    throw ackErrors.invalidParameter(
      'vpcid and vswitch_ids must be given together, or both omitted.',
    );
  }
  if (vpcId === null) return { vpcId, vswitchIds: [] as string[], zoneId: defaultZoneOf(regionId) };
  const network = networkOf(regionId, vpcId);
  if (network === undefined) {
    throw ackErrors.invalidParameter(`The VPC ${vpcId} does not exist in region ${regionId}.`);
  }
  const zones: string[] = [];
  for (const id of vswitchIds) {
    const vswitch = network.vswitches.find((candidate) => candidate.vswitchId === id);
    if (vswitch === undefined) {
      throw ackErrors.invalidParameter(`The vSwitch ${String(id)} does not exist in VPC ${vpcId}.`);
    }
    zones.push(vswitch.zoneId);
  }
  return { vpcId, vswitchIds: vswitchIds as string[], zoneId: zones[0] ?? defaultZoneOf(regionId) };
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
  if (clusterType !== 'ManagedKubernetes' || profile !== 'Serverless') {
    throw ackErrors.invalidParameter(
      `The ACK emulator only models ACK Serverless clusters (cluster_type=ManagedKubernetes, profile=Serverless); got cluster_type=${clusterType}, profile=${profile}.`,
    );
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
  return {
    name,
    regionId,
    clusterType,
    profile,
    clusterSpec,
    kubernetesVersion: requestedVersion ?? newestCreatableVersion(),
    ...validateNetwork(body, regionId),
    serviceCidr,
    endpointPublicAccess: optionalBoolean(body, 'endpoint_public_access'),
    snatEntry: optionalBoolean(body, 'snat_entry'),
    deletionProtection: optionalBoolean(body, 'deletion_protection'),
    tags: validateTags(body.tags),
    addons: validateAddons(body.addons),
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
export { intQuery, isRecord, optionalString, validateClusterName, validateCreateCluster };
