import * as z from 'zod';
import { instanceTypeOffered } from './instance-types.js';
import { MAX_NODE_POOLS, nodePoolSchema } from './node-pool.js';
import { offeredRegion } from './regions.js';

/**
 * ACK's own rule for a cluster name: 1–63 characters of digits, letters, Chinese characters and
 * `-`, not starting with `-` (CreateClusterRequest doc in @alicloud/cs20151215).
 */
const CLUSTER_NAME_PATTERN = /^[0-9A-Za-z\u4e00-\u9fa5][0-9A-Za-z\u4e00-\u9fa5-]{0,62}$/;

/** Region ids look like `cn-hangzhou`, `ap-southeast-1`, `us-west-1`. */
const REGION_PATTERN = /^[a-z]{2}(-[a-z0-9]+){1,3}$/;

/** e.g. `1.33.1-aliyun.1`. */
const KUBERNETES_VERSION_PATTERN = /^\d+\.\d+\.\d+-aliyun\.\d+$/;

/** ACK accepts service CIDRs inside 10/8, 172.16/12 or 192.168/16 with a /16–/24 prefix. */
const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const SERVICE_CIDR_PATTERN = new RegExp(
  `^(10\\.${OCTET}\\.${OCTET}\\.${OCTET}|172\\.(1[6-9]|2\\d|3[01])\\.${OCTET}\\.${OCTET}|192\\.168\\.${OCTET}\\.${OCTET})\\/(1[6-9]|2[0-4])$`,
);

/**
 * Labels become ACK tags: at create (CreateCluster `tags`) and on PATCH (TagResources). The
 * stricter of the two rules applies, so a label accepted at create can always be re-applied:
 * keys and values must not start with `aliyun`, `acs:`, `http://` or `https://` (CreateCluster
 * `tags` doc); a value "cannot be an empty string" and "cannot contain http:// or https://"
 * (TagResourcesRequest `tags` doc in @alicloud/cs20151215). Keys under `askp.` are this service's
 * own tags (the provision id, tenant and manager), so a caller may not set them.
 */
const RESERVED_LABEL_PREFIX = /^(aliyun|acs:|https?:\/\/)/i;
const SERVICE_LABEL_PREFIX = 'askp.';

/** Labels per cluster (ACK allows 20 tags; we keep room for our own `askp.*` tags). */
const MAX_LABELS = 10;

/**
 * Labels become ACK tags (CreateCluster `tags`, TagResources): printable text only. A CR or LF
 * would also split a log line or a header wherever a label is echoed.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const storedLabelKey = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'label keys are letters, digits, ".", "_", "/", "-"')
  .refine(
    (key) => !RESERVED_LABEL_PREFIX.test(key),
    'label keys must not start with aliyun, acs: or http(s)://',
  );

const storedLabelValue = z
  .string()
  .max(128)
  .refine(
    (value) => !CONTROL_CHARACTERS.test(value),
    'label values must be printable (no control characters such as CR or LF)',
  )
  .refine(
    (value) => !RESERVED_LABEL_PREFIX.test(value),
    'label values must not start with aliyun, acs: or http(s)://',
  );

const labelKey = storedLabelKey.refine(
  (key) => !key.toLowerCase().startsWith(SERVICE_LABEL_PREFIX),
  'label keys starting with askp. are reserved for the service',
);

const labelValue = storedLabelValue
  .refine((value) => value !== '', 'label values cannot be empty (ACK refuses empty tag values)')
  .refine(
    // One message per value: a value starting with http(s):// already failed the rule above.
    (value) => RESERVED_LABEL_PREFIX.test(value) || !/https?:\/\//i.test(value),
    'label values must not contain http:// or https://',
  );

/** The address of a CIDR has no host bits: 172.21.0.0/20, not 172.21.0.5/20. */
const isNetworkAddress = (cidr: string): boolean => {
  const [address = '', prefixText = ''] = cidr.split('/');
  const start = address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
  return start % 2 ** (32 - Number(prefixText)) === 0;
};

/** A duration like `30m`, `12h`, `7d`; minutes to 30 days. */
const DURATION_PATTERN = /^(\d{1,5})(m|h|d)$/;
const DURATION_UNIT_SECONDS = { m: 60, h: 3600, d: 86400 } as const;
const MIN_TTL_SECONDS = 15 * 60;
const MAX_TTL_SECONDS = 30 * 86400;

const parseDurationSeconds = (text: string): number | undefined => {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  const [, amount, unit] = match;
  if (amount === undefined || (unit !== 'm' && unit !== 'h' && unit !== 'd')) return undefined;
  return Number(amount) * DURATION_UNIT_SECONDS[unit];
};

/** A duration field (`ttl`, `idleAfter`): 15 minutes to 30 days. */
const durationSchema = (field: string) =>
  z
    .string()
    .regex(DURATION_PATTERN, `${field} is a number followed by m, h or d, e.g. "8h"`)
    .refine((text) => {
      const seconds = parseDurationSeconds(text) ?? 0;
      return seconds >= MIN_TTL_SECONDS && seconds <= MAX_TTL_SECONDS;
    }, `${field} must be between 15m and 30d`);

const ttlSchema = durationSchema('ttl');
const idleAfterSchema = durationSchema('idleAfter');

const networkOf = (maxVswitches: number, message: string) =>
  z.union([
    z.literal('auto'),
    z
      .object({
        vpcId: z.string().regex(/^vpc-[a-z0-9]{4,}$/, 'vpcId looks like vpc-xxxx'),
        vswitchIds: z
          .array(z.string().regex(/^vsw-[a-z0-9]{4,}$/, 'vSwitch ids look like vsw-xxxx'))
          .min(1)
          .max(maxVswitches, message)
          .refine((ids) => new Set(ids).size === ids.length, 'vswitchIds must not repeat'),
      })
      .strict(),
  ]);

/** Up to 5 vSwitches were accepted before the ACK Serverless limit was known. */
const storedNetworkSchema = networkOf(5, 'at most 5 vSwitches');
// ROS ALIYUN::CS::ASKCluster VSwitchIds: an ACK Serverless cluster takes at most 3.
const networkSchema = networkOf(3, 'an ACK Serverless cluster takes at most 3 vSwitches');

const addonSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z0-9][a-z0-9-]*$/),
    version: z.string().max(32).optional(),
    /** ACK takes the addon config as a JSON string; we accept an object and serialise it. */
    config: z.record(z.string(), z.unknown()).optional(),
    disabled: z.boolean().optional(),
  })
  .strict();

const webhookSchema = z
  .object({
    url: z
      .string()
      .max(2048)
      .url()
      .refine((url) => /^https?:\/\//i.test(url), 'webhook url must be http(s)')
      .refine((url) => {
        // zod runs this even when .url() failed, so an unparsable URL must not throw here.
        try {
          const parsed = new URL(url);
          return !parsed.username && !parsed.password;
        } catch {
          return false;
        }
      }, 'webhook url must not carry credentials'),
  })
  .strict();

const CLUSTER_SPECS = ['ack.standard', 'ack.pro.small'] as const;

/**
 * `serverless`: an ACK Serverless cluster, pods on ECI (ACK profile Serverless). `managed`: an
 * ACK managed cluster whose pods run on ECS nodes in node pools (ACK's default profile).
 */
const CLUSTER_PROFILES = ['serverless', 'managed'] as const;

/**
 * The fields of a create request, as stored in a provision's spec. The stored spec is read with
 * these lenient rules (what every earlier version accepted), so a row written before a rule was
 * added stays readable; a new request is checked with the stricter `createClusterRequestSchema`.
 */
const specFields = {
  name: z
    .string()
    .regex(
      CLUSTER_NAME_PATTERN,
      'name is 1–63 letters, digits, Chinese characters or "-", not starting with "-"',
    ),
  region: z.string().regex(REGION_PATTERN, 'region is a region id such as cn-hangzhou'),
  zoneId: z
    .string()
    .regex(/^[a-z]{2}(-[a-z0-9]+){1,4}$/, 'zoneId is a zone id such as cn-hangzhou-i')
    .optional()
    .describe(
      'with network "auto": the zone ACK creates the VPC in (default: the region\'s first zone in GET /v1/options)',
    ),
  kubernetesVersion: z
    .string()
    .regex(KUBERNETES_VERSION_PATTERN, 'kubernetesVersion looks like 1.33.1-aliyun.1')
    .optional(),
  network: storedNetworkSchema.default('auto'),
  serviceCidr: z
    .string()
    .regex(
      SERVICE_CIDR_PATTERN,
      'serviceCidr must be a /16–/24 inside 10/8, 172.16/12 or 192.168/16',
    )
    .default('172.21.0.0/20'),
  endpointPublicAccess: z.boolean().default(false),
  clusterSpec: z.enum(CLUSTER_SPECS).default('ack.standard'),
  addons: z.array(addonSchema).max(20).default([]),
  labels: z
    .record(storedLabelKey, storedLabelValue)
    .refine((labels) => Object.keys(labels).length <= MAX_LABELS, `at most ${MAX_LABELS} labels`)
    .default({}),
  deletionProtection: z.boolean().default(false),
  ttl: ttlSchema.optional(),
  /**
   * An absolute expiry instead of `ttl` (15 minutes to 30 days ahead: checked when the request
   * is accepted, since that needs the clock). The row keeps it as `expiresAt`; the stored spec
   * does not, so that a later PATCH of the expiry leaves nothing stale behind.
   */
  expiresAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('an absolute expiry 15 minutes to 30 days ahead; give ttl or expiresAt, not both'),
  idleAfter: idleAfterSchema
    .optional()
    .describe('delete the cluster once no workload pod has run for this long, e.g. "2h"'),
  webhook: webhookSchema.optional(),
  profile: z
    .enum(CLUSTER_PROFILES)
    .default('serverless')
    .describe('serverless (pods on ECI) or managed (pods on ECS nodes of the nodePools)'),
  nodePools: z
    .array(nodePoolSchema)
    .max(MAX_NODE_POOLS, `at most ${MAX_NODE_POOLS} node pools`)
    .optional()
    .describe('profile managed only, and required then: the ECS node pools ACK creates'),
};

const ttlOrExpiry = {
  check: (request: { ttl?: string | undefined; expiresAt?: string | undefined }) =>
    request.ttl === undefined || request.expiresAt === undefined,
  params: { message: 'give ttl or expiresAt, not both', path: ['expiresAt'] },
};

/** A provision's stored spec: the create request after defaults, by the lenient rules. */
const clusterSpecSchema = z
  .object({
    ...specFields,
    template: z
      .object({ name: z.string(), version: z.number().int().positive() })
      .strict()
      .optional()
      .describe('the template the cluster was created from, at the version it had then'),
  })
  .strict()
  .refine(ttlOrExpiry.check, ttlOrExpiry.params);

/** A region this service offers (`GET /v1/options`). */
const offeredRegionSchema = specFields.region.refine(
  // Only a well-formed region id is looked up: a malformed one has its message already.
  (region) => !REGION_PATTERN.test(region) || offeredRegion(region) !== undefined,
  'region is not offered: GET /v1/options lists the regions',
);

/** Labels as a request may set them (create and PATCH): ACK's tag rules and no `askp.` keys. */
const labelsSchema = z
  .record(labelKey, labelValue)
  .refine((labels) => Object.keys(labels).length <= MAX_LABELS, `at most ${MAX_LABELS} labels`);

/**
 * The fields of `POST /v1/clusters`, each by its request rule. Templates check their fields one
 * by one against the same rules (shared/domain/cluster-template.ts).
 */
const createRequestFields = {
  ...specFields,
  region: offeredRegionSchema,
  network: networkSchema.default('auto'),
  serviceCidr: specFields.serviceCidr
    .unwrap()
    .refine(
      (cidr) => !SERVICE_CIDR_PATTERN.test(cidr) || isNetworkAddress(cidr),
      'serviceCidr has host bits set: use its network address',
    )
    .default('172.21.0.0/20'),
  addons: specFields.addons
    .unwrap()
    .refine(
      (addons) => new Set(addons.map((addon) => addon.name)).size === addons.length,
      'an addon may be named only once',
    )
    .default([]),
  labels: labelsSchema.default({}),
  nodePools: specFields.nodePools
    .unwrap()
    .refine(
      (pools) => new Set(pools.map((pool) => pool.name)).size === pools.length,
      'node pool names must be unique',
    )
    .optional(),
};

/**
 * The body of `POST /v1/clusters`. Only `name` and `region` are required. Stricter than the
 * stored spec: what ACK is certain to refuse is refused here (see README, "The create body").
 */
const createClusterRequestSchema = z
  .object(createRequestFields)
  .strict()
  .refine(ttlOrExpiry.check, ttlOrExpiry.params)
  .refine((request) => request.zoneId === undefined || request.network === 'auto', {
    message: 'zoneId goes with network "auto" only: a given network has its zones in its vSwitches',
    path: ['zoneId'],
  })
  .refine(
    (request) =>
      request.zoneId === undefined ||
      offeredRegion(request.region)?.zones.includes(request.zoneId) !== false,
    { message: 'zoneId is not a zone of the region: GET /v1/options lists them', path: ['zoneId'] },
  )
  .refine((request) => request.profile !== 'managed' || (request.nodePools ?? []).length > 0, {
    message: 'a managed cluster needs at least one node pool',
    path: ['nodePools'],
  })
  .refine((request) => request.profile === 'managed' || request.nodePools === undefined, {
    message: 'nodePools go with profile "managed" only: a serverless cluster has no nodes',
    path: ['nodePools'],
  })
  // ACK requires scaling_group.vswitch_ids for every pool (Nodepool doc in @alicloud/cs20151215):
  // the pools go in the network's vSwitches, so a managed cluster brings its own network.
  .refine((request) => request.profile !== 'managed' || request.network !== 'auto', {
    message: 'a managed cluster needs a network of its own (vpcId and vswitchIds) for its nodes',
    path: ['network'],
  })
  .refine(
    (request) =>
      offeredRegion(request.region) === undefined ||
      (request.nodePools ?? []).every((pool) =>
        pool.instanceTypes.every((type) => instanceTypeOffered(request.region, type)),
      ),
    {
      message: 'an instance type is not offered in the region: GET /v1/options lists them',
      path: ['nodePools'],
    },
  );

type CreateClusterRequest = z.input<typeof createClusterRequestSchema>;
/** The request after defaults: what a provision stores as its spec. */
type ClusterSpec = z.output<typeof clusterSpecSchema>;
type Network = z.output<typeof storedNetworkSchema>;
type Addon = z.output<typeof addonSchema>;

export type { Addon, ClusterSpec, CreateClusterRequest, Network };
export {
  CLUSTER_NAME_PATTERN,
  CLUSTER_PROFILES,
  CLUSTER_SPECS,
  clusterSpecSchema,
  createClusterRequestSchema,
  createRequestFields,
  idleAfterSchema,
  KUBERNETES_VERSION_PATTERN,
  labelKey,
  labelsSchema,
  labelValue,
  MAX_LABELS,
  MAX_TTL_SECONDS,
  MIN_TTL_SECONDS,
  offeredRegionSchema,
  parseDurationSeconds,
  REGION_PATTERN,
  ttlSchema,
  webhookSchema,
};
