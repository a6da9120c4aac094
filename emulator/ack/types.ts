/**
 * The emulator's own records. Times are epoch milliseconds of the injected clock. Lifecycle
 * states are never stored: they are derived from these timestamps and `now()` (lifecycle.ts), so
 * an injected clock and a restart from the state file both just work, with no timers.
 */

interface StoredTag {
  key: string;
  value: string;
}

interface StoredAddon {
  name: string;
  version?: string;
  config?: string;
  disabled?: boolean;
}

interface StoredCluster {
  clusterId: string;
  /** Creation order; breaks ties when the injected clock stands still. */
  seq: number;
  name: string;
  regionId: string;
  clusterType: string;
  profile: string;
  clusterSpec: string;
  kubernetesVersion: string;
  vpcId: string;
  vswitchIds: string[];
  zoneId: string;
  serviceCidr: string;
  endpointPublicAccess: boolean;
  snatEntry: boolean;
  deletionProtection: boolean;
  tags: StoredTag[];
  addons: StoredAddon[];
  timezone: string;
  resourceGroupId: string;
  securityGroupId: string;
  createTaskId: string;
  createdAt: number;
  /** When the create task ends: `running`, or `failed` when `fails`. */
  readyAt: number;
  /**
   * Decided at creation (failNamePattern, fail-creation faults), so a restart with other options
   * keeps the outcome.
   */
  fails: boolean;
  /** Why it fails, for the task error and the events (absent in older state files). */
  failReason?: string;
  deleteTaskId: string | null;
  deleteRequestedAt: number | null;
  deletedAt: number | null;
  /** What DeleteCluster was asked to keep, recorded so tests can assert it. */
  deleteRequest?: StoredDeleteRequest;
  /** A managed cluster's node pools (absent for ACK Serverless and in older state files). */
  nodePools?: StoredNodePool[];
  /** When RevokeK8sClusterKubeConfig was last called for the cluster (tests assert it). */
  kubeconfigsRevokedAt?: number;
  /** ModifyCluster and TagResources calls, oldest first (absent in older state files). */
  changes?: StoredChange[];
}

/** One node pool of a managed cluster, as CreateCluster gave it. */
interface StoredNodePool {
  nodepoolId: string;
  name: string;
  instanceTypes: string[];
  desiredSize: number;
  systemDiskCategory: string;
  systemDiskSize: number;
  vswitchIds: string[];
}

interface StoredDeleteOption {
  resourceType: string;
  deleteMode: 'delete' | 'retain';
}

interface StoredDeleteRequest {
  retainAllResources: boolean;
  retainResources: string[];
  deleteOptions: StoredDeleteOption[];
  /** Deprecated flag, recorded when sent. */
  keepSlb: boolean | null;
  /** The resource types ACK would keep given these options and its defaults. */
  retainedResourceTypes: string[];
}

interface StoredChange {
  at: number;
  taskId: string;
  /** What changed, in words, e.g. `cluster_name: a -> b`. */
  message: string;
}

/** What a change task does to its cluster when it succeeds (change-tasks.ts). */
interface StoredEffect {
  endpointPublicAccess?: boolean;
  kubernetesVersion?: string;
  /** The cluster's installed addons after the task. */
  addons?: StoredAddon[];
  /** A managed cluster's node pools after the task (a pool created, changed or deleted). */
  nodePools?: StoredNodePool[];
}

type StoredTaskType =
  | 'cluster_create'
  | 'cluster_delete'
  | 'cluster_modify'
  | 'cluster_upgrade'
  | 'addon_install'
  | 'addon_upgrade'
  | 'addon_config'
  | 'addon_uninstall'
  | 'nodepool_create'
  | 'nodepool_update'
  | 'nodepool_delete';

interface StoredTask {
  taskId: string;
  clusterId: string;
  taskType: StoredTaskType;
  createdAt: number;
  /** A staged change task: its stages, spread evenly until `endsAt` (absent: create, delete, metadata modify). */
  stages?: string[];
  endsAt?: number;
  /** Why the task fails (a fail-task fault): at the end of its first stage, with nothing applied. */
  failure?: string;
  effect?: StoredEffect;
  /** Whether `effect` has been applied to the cluster (once, after `endsAt`). */
  applied?: boolean;
  /** The addons an addon task works on (ListClusterAddonInstances shows them busy meanwhile). */
  addonNames?: string[];
}

type EmulatedClusterState = 'initial' | 'running' | 'failed' | 'deleting' | 'deleted';

/** What the test helper `listAllClusters()` returns: the record plus its state at `now()`. */
interface EmulatedCluster extends StoredCluster {
  state: EmulatedClusterState;
}

interface EmulatorTiming {
  createMs: number;
  deleteMs: number;
  /** How long a change task (EIP, upgrade, addons) takes. */
  changeMs: number;
}

/** The API server addresses a running cluster reports in `master_url`. */
interface ClusterEndpoints {
  internet?: string;
  intranet?: string;
}

export type {
  ClusterEndpoints,
  EmulatedCluster,
  EmulatedClusterState,
  EmulatorTiming,
  StoredAddon,
  StoredChange,
  StoredCluster,
  StoredDeleteOption,
  StoredDeleteRequest,
  StoredEffect,
  StoredNodePool,
  StoredTag,
  StoredTask,
  StoredTaskType,
};
