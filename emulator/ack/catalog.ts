/**
 * The emulated account's fixed inventory: regions, one VPC per region with two vSwitches, and the
 * Kubernetes version table. Exported so tests and the local host can use ids the emulator knows.
 *
 * Network ids (per region `<short>`: hz, bj, sh, sg, usw):
 *   vpc-emu<short>01 (192.168.0.0/16) with vsw-emu<short>01a and vsw-emu<short>01b
 * e.g. cn-hangzhou: vpc-emuhz01, vsw-emuhz01a (cn-hangzhou-i), vsw-emuhz01b (cn-hangzhou-j);
 * cn-hangzhou also has vpc-emuhz02 (10.0.0.0/16) with vsw-emuhz02a. The VPC API (DescribeVpcs,
 * DescribeVSwitches, emulator/vpc/) serves the same inventory.
 */

interface EmulatedVswitch {
  vswitchId: string;
  zoneId: string;
  cidr: string;
}

interface EmulatedNetwork {
  regionId: string;
  vpcId: string;
  cidr: string;
  vswitches: EmulatedVswitch[];
}

const REGION_SHORT_NAMES: Record<string, { short: string; zones: [string, string] }> = {
  'cn-hangzhou': { short: 'hz', zones: ['cn-hangzhou-i', 'cn-hangzhou-j'] },
  'cn-beijing': { short: 'bj', zones: ['cn-beijing-h', 'cn-beijing-i'] },
  'cn-shanghai': { short: 'sh', zones: ['cn-shanghai-l', 'cn-shanghai-m'] },
  'ap-southeast-1': { short: 'sg', zones: ['ap-southeast-1a', 'ap-southeast-1b'] },
  'us-west-1': { short: 'usw', zones: ['us-west-1a', 'us-west-1b'] },
};

const EMULATED_REGIONS: readonly string[] = Object.keys(REGION_SHORT_NAMES);

const EMULATED_NETWORKS: readonly EmulatedNetwork[] = [
  ...Object.entries(REGION_SHORT_NAMES).map(([regionId, { short, zones }]) => ({
    regionId,
    vpcId: `vpc-emu${short}01`,
    cidr: '192.168.0.0/16',
    vswitches: [
      { vswitchId: `vsw-emu${short}01a`, zoneId: zones[0], cidr: '192.168.0.0/24' },
      { vswitchId: `vsw-emu${short}01b`, zoneId: zones[1], cidr: '192.168.1.0/24' },
    ],
  })),
  // A second VPC in cn-hangzhou, so a vSwitch of another VPC of the same region can be named.
  {
    regionId: 'cn-hangzhou',
    vpcId: 'vpc-emuhz02',
    cidr: '10.0.0.0/16',
    vswitches: [{ vswitchId: 'vsw-emuhz02a', zoneId: 'cn-hangzhou-i', cidr: '10.0.0.0/24' }],
  },
];

const networkOf = (regionId: string, vpcId: string): EmulatedNetwork | undefined =>
  EMULATED_NETWORKS.find((network) => network.regionId === regionId && network.vpcId === vpcId);

/** The zones of a region where ACK can create a cluster's VPC (`zone_id` / `zone_ids`). */
const zonesOf = (regionId: string): readonly string[] => REGION_SHORT_NAMES[regionId]?.zones ?? [];

interface EmulatedVersion {
  version: string;
  releaseDate: string;
  expirationDate: string;
  creatable: boolean;
}

/**
 * Newest first. The versions and dates are plausible, not ACK's real calendar (UNVERIFIED); one
 * non-creatable version shows `Mode=supported` versus the default `creatable`.
 */
const EMULATED_VERSIONS: readonly EmulatedVersion[] = [
  {
    version: '1.33.1-aliyun.1',
    releaseDate: '2025-07-01T00:00:00Z',
    expirationDate: '2026-09-01T00:00:00Z',
    creatable: true,
  },
  {
    version: '1.32.1-aliyun.1',
    releaseDate: '2025-02-01T00:00:00Z',
    expirationDate: '2026-03-01T00:00:00Z',
    creatable: true,
  },
  {
    version: '1.31.1-aliyun.1',
    releaseDate: '2024-10-01T00:00:00Z',
    expirationDate: '2025-11-01T00:00:00Z',
    creatable: true,
  },
  {
    version: '1.30.1-aliyun.1',
    releaseDate: '2024-06-01T00:00:00Z',
    expirationDate: '2025-07-01T00:00:00Z',
    creatable: false,
  },
];

/**
 * What `version` can be upgraded to (DescribeKubernetesVersionMetadata `upgradable_versions`,
 * UpgradeCluster's `next_version`): the table is newest first, so the creatable versions listed
 * above it. An unknown version has none.
 */
const upgradableVersionsOf = (version: string): string[] => {
  const index = EMULATED_VERSIONS.findIndex((entry) => entry.version === version);
  return index < 0
    ? []
    : EMULATED_VERSIONS.slice(0, index)
        .filter((newer) => newer.creatable)
        .map((newer) => newer.version);
};

/**
 * The RAM service roles the emulated account has authorised by default (the `grantedRoles`
 * option narrows it): every role ACK's roles doc lists for ACK Serverless
 * (alibabacloud.com/help/doc-detail/86483.htm) plus AliyunECIContainerGroupRole, which serverless
 * pods need (terraform-provider-alicloud#2565). The emulator keeps its own list, mirroring the
 * cloud's account, rather than importing the service's.
 */
const EMULATED_AUTHORISED_ROLES: readonly string[] = [
  'AliyunCSDefaultRole',
  'AliyunCSServerlessKubernetesRole',
  'AliyunCSManagedNetworkRole',
  'AliyunCSManagedCsiRole',
  'AliyunCSManagedCmsRole',
  'AliyunCSManagedLogRole',
  'AliyunCSKubernetesAuditRole',
  'AliyunECIContainerGroupRole',
];

const newestCreatableVersion = (): string =>
  EMULATED_VERSIONS.find((entry) => entry.creatable)?.version ?? '1.33.1-aliyun.1';

interface EmulatedAddon {
  name: string;
  version: string;
  category: string;
  installByDefault: boolean;
  managed: boolean;
  /**
   * What ListAddons offers instead of `version` for clusters before 1.33, so a cluster upgraded
   * from an older version has addons with an upgrade (UNVERIFIED: ACK's catalog is per version,
   * its contents are not known to us).
   */
  olderVersion?: string;
}

/**
 * The addons ListAddons offers for an ASK cluster of a version (the same for every emulated
 * region and version; ACK's catalog differs per region and version). Names are ACK's: coredns
 * (service discovery, ACK docs "ASK service discovery and DNS"), the ingress controllers,
 * loongcollector and its predecessor, node-problem-detector and metrics-server. Versions are
 * plausible, not ACK's (UNVERIFIED).
 */
const EMULATED_ADDONS: readonly EmulatedAddon[] = [
  {
    name: 'coredns',
    version: '1.11.3.2-f57ea7ed6-aliyun',
    category: 'network',
    installByDefault: false,
    managed: false,
    olderVersion: '1.9.3.10-7dfca203-aliyun',
  },
  {
    name: 'nginx-ingress-controller',
    version: 'v1.11.5-aliyun.1',
    category: 'network',
    installByDefault: false,
    managed: false,
    olderVersion: 'v1.10.4-aliyun.1',
  },
  {
    name: 'alb-ingress-controller',
    version: 'v2.15.0-aliyun.1',
    category: 'network',
    installByDefault: false,
    managed: true,
  },
  {
    name: 'loongcollector',
    version: 'v3.0.10.0-aliyun',
    category: 'monitor',
    installByDefault: false,
    managed: false,
  },
  {
    name: 'logtail-ds',
    version: 'v1.8.6.0-aliyun',
    category: 'monitor',
    installByDefault: false,
    managed: false,
  },
  {
    name: 'ack-node-problem-detector',
    version: '1.2.24',
    category: 'monitor',
    installByDefault: false,
    managed: false,
  },
  {
    name: 'metrics-server',
    version: 'v0.3.9.7-aliyun',
    category: 'monitor',
    installByDefault: false,
    managed: true,
  },
];

/** Whether a Kubernetes version is before 1.33 (where the catalog offers `olderVersion`). */
const before133 = (version: string): boolean =>
  version.localeCompare('1.33', undefined, { numeric: true }) < 0;

/** The catalog for new (and existing) clusters of a region and version, each addon once. */
const addonsFor = (regionId: string, version: string): readonly EmulatedAddon[] =>
  EMULATED_REGIONS.includes(regionId) &&
  EMULATED_VERSIONS.some((entry) => entry.version === version)
    ? EMULATED_ADDONS.map((addon) =>
        before133(version) && addon.olderVersion !== undefined
          ? { ...addon, version: addon.olderVersion }
          : addon,
      )
    : [];

/** The version of `name` the catalog offers a cluster of `version` in `regionId`, if any. */
const offeredAddonVersion = (regionId: string, version: string, name: string): string | undefined =>
  addonsFor(regionId, version).find((addon) => addon.name === name)?.version;

export type { EmulatedAddon, EmulatedNetwork, EmulatedVersion, EmulatedVswitch };
export {
  addonsFor,
  EMULATED_ADDONS,
  EMULATED_AUTHORISED_ROLES,
  EMULATED_NETWORKS,
  EMULATED_REGIONS,
  EMULATED_VERSIONS,
  networkOf,
  newestCreatableVersion,
  offeredAddonVersion,
  upgradableVersionsOf,
  zonesOf,
};
