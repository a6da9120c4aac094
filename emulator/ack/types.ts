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
  /** Decided at creation (failNamePattern), so a restart with other options keeps the outcome. */
  fails: boolean;
  deleteTaskId: string | null;
  deleteRequestedAt: number | null;
  deletedAt: number | null;
}

interface StoredTask {
  taskId: string;
  clusterId: string;
  taskType: 'cluster_create' | 'cluster_delete';
  createdAt: number;
}

type EmulatedClusterState = 'initial' | 'running' | 'failed' | 'deleting' | 'deleted';

/** What the test helper `listAllClusters()` returns: the record plus its state at `now()`. */
interface EmulatedCluster extends StoredCluster {
  state: EmulatedClusterState;
}

interface EmulatorTiming {
  createMs: number;
  deleteMs: number;
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
  StoredCluster,
  StoredTag,
  StoredTask,
};
