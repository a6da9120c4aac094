import * as z from 'zod';

/**
 * A managed cluster's node pool as a request gives it. The bounds are ACK's where its SDK
 * documents them (@alicloud/cs20151215), and the stricter one where two documents disagree:
 * - `instanceTypes`: "The number of supported instance types ranges from 1 to 10"
 *   (CreateClusterNodePoolRequest scaling_group.instance_types).
 * - `systemDisk.size`: [40, 500] GiB in CreateCluster's Nodepool.scaling_group.system_disk_size,
 *   [20, 2048] in CreateClusterNodePool's; a pool must be creatable both ways, so 40–500.
 * - `systemDisk.category`: cloud_efficiency, cloud_ssd, cloud_essd of the documented values
 *   (cloud_auto and cloud_essd_entry are left out: they take further settings this API lacks).
 * - `desiredSize`: 0–100, the range of CreateCluster's deprecated num_of_nodes, which
 *   scaling_group.desired_size replaced; ACK documents no bound for desired_size (UNVERIFIED).
 * - `name`: ACK documents no rule for nodepool_info.name; 1–63 lower-case letters, digits and
 *   "-" (a Kubernetes label value, since ACK labels nodes with their pool) is our own, stricter.
 */
const NODE_POOL_NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const SYSTEM_DISK_CATEGORIES = ['cloud_essd', 'cloud_ssd', 'cloud_efficiency'] as const;
const MIN_SYSTEM_DISK_GIB = 40;
const MAX_SYSTEM_DISK_GIB = 500;
const MAX_DESIRED_SIZE = 100;
const MAX_INSTANCE_TYPES = 10;
/** Pools per cluster at create (UNVERIFIED: ACK's quota is per account, DescribeUserQuota). */
const MAX_NODE_POOLS = 10;

const nodePoolNameSchema = z
  .string()
  .regex(
    NODE_POOL_NAME_PATTERN,
    'node pool names are 1–63 lower-case letters, digits or "-", starting and ending with a letter or digit',
  );

const systemDiskSchema = z
  .object({
    category: z.enum(SYSTEM_DISK_CATEGORIES).default('cloud_essd'),
    size: z
      .number()
      .int()
      .min(
        MIN_SYSTEM_DISK_GIB,
        `systemDisk.size is ${MIN_SYSTEM_DISK_GIB}–${MAX_SYSTEM_DISK_GIB} GiB`,
      )
      .max(
        MAX_SYSTEM_DISK_GIB,
        `systemDisk.size is ${MIN_SYSTEM_DISK_GIB}–${MAX_SYSTEM_DISK_GIB} GiB`,
      )
      .default(120),
  })
  .strict();

const instanceTypeIdSchema = z
  .string()
  .regex(/^ecs\.[a-z0-9-]+\.[a-z0-9-]+$/, 'instance types look like ecs.g7.large');

const nodePoolInstanceTypesSchema = z
  .array(instanceTypeIdSchema)
  .min(1, 'a node pool needs at least one instance type')
  .max(MAX_INSTANCE_TYPES, `at most ${MAX_INSTANCE_TYPES} instance types`)
  .refine((types) => new Set(types).size === types.length, 'instanceTypes must not repeat');

const nodePoolSchema = z
  .object({
    name: nodePoolNameSchema,
    instanceTypes: nodePoolInstanceTypesSchema,
    desiredSize: z.number().int().min(0).max(MAX_DESIRED_SIZE),
    systemDisk: systemDiskSchema.default({ category: 'cloud_essd', size: 120 }),
  })
  .strict();

type NodePool = z.output<typeof nodePoolSchema>;
type SystemDiskCategory = (typeof SYSTEM_DISK_CATEGORIES)[number];

export type { NodePool, SystemDiskCategory };
export {
  MAX_DESIRED_SIZE,
  MAX_NODE_POOLS,
  MAX_SYSTEM_DISK_GIB,
  MIN_SYSTEM_DISK_GIB,
  NODE_POOL_NAME_PATTERN,
  nodePoolInstanceTypesSchema,
  nodePoolNameSchema,
  nodePoolSchema,
  SYSTEM_DISK_CATEGORIES,
};
