/**
 * The ClusterApi port: what the service needs from ACK (CS OpenAPI 2015-12-15), in our own words.
 * Adapters translate to and from the wire (`alicloud-cluster-api.ts` over @alicloud/cs20151215).
 * Every method throws a `DomainError` with an `ACK_*` code whose `retryable` says whether the
 * same call may succeed later.
 */

interface CreateClusterInput {
  /** Deterministic name (see domain/cluster-name.ts), 1–63 characters. */
  name: string;
  regionId: string;
  /** Omitted: ACK picks the newest creatable version. */
  kubernetesVersion?: string;
  /** Both set, or both omitted for an automatically created VPC. */
  vpcId?: string;
  vswitchIds?: string[];
  serviceCidr: string;
  endpointPublicAccess: boolean;
  /** Only with an automatic network: create a NAT gateway with SNAT rules. */
  snatEntry: boolean;
  clusterSpec: 'ack.standard' | 'ack.pro.small';
  addons: { name: string; version?: string; config?: string; disabled?: boolean }[];
  tags: Record<string, string>;
  deletionProtection: boolean;
}

interface CreateClusterResult {
  clusterId: string;
  taskId: string | null;
  requestId: string | null;
}

interface AckCluster {
  clusterId: string;
  name: string;
  regionId: string;
  clusterType: string;
  profile: string;
  clusterSpec: string | null;
  /** ACK's state, verbatim: initial, running, failed, deleting, deleted, … */
  state: string;
  currentVersion: string | null;
  tags: Record<string, string>;
  deletionProtection: boolean;
  vpcId: string | null;
  /** Parsed from ACK's `master_url` JSON string. */
  endpoints: { intranet?: string; internet?: string };
  created: string | null;
  updated: string | null;
}

interface ListClustersQuery {
  regionId?: string;
  /** ACK matches `name` fuzzily: callers must filter exactly themselves. */
  name?: string;
  clusterType?: string;
  profile?: string;
  pageNumber?: number;
  /** 1–100. */
  pageSize?: number;
}

interface ClusterPage {
  clusters: AckCluster[];
  pageNumber: number;
  pageSize: number;
  totalCount: number;
}

interface AckTaskStage {
  state: string;
  message: string;
  startTime: string | null;
  endTime: string | null;
}

interface AckTaskEvent {
  action: string;
  level: string;
  message: string;
  reason: string;
  source: string;
  timestamp: string;
}

interface AckTask {
  taskId: string;
  clusterId: string | null;
  taskType: string;
  /** running | fail | success (ACK sometimes says failed). */
  state: string;
  currentStage: string | null;
  stages: AckTaskStage[];
  events: AckTaskEvent[];
  error: { code: string; message: string } | null;
  created: string | null;
  updated: string | null;
}

interface DeleteClusterOptions {
  retainAllResources?: boolean;
  retainResources?: string[];
  deleteOptions?: {
    resourceType: 'SLB' | 'ALB' | 'SLS_Data' | 'SLS_ControlPlane' | 'PrivateZone';
    deleteMode: 'delete' | 'retain';
  }[];
}

interface DeleteClusterResult {
  /** `gone` when ACK answered ErrorClusterNotFound: the cluster is already deleted. */
  outcome: 'deleting' | 'gone';
  taskId: string | null;
}

interface ClusterApi {
  createCluster(input: CreateClusterInput): Promise<CreateClusterResult>;
  /** `null` when ACK answers ErrorClusterNotFound. */
  describeCluster(input: { clusterId: string; regionId: string }): Promise<AckCluster | null>;
  listClusters(query: ListClustersQuery): Promise<ClusterPage>;
  describeTask(input: { taskId: string; regionId: string }): Promise<AckTask>;
  deleteCluster(input: {
    clusterId: string;
    regionId: string;
    options?: DeleteClusterOptions;
  }): Promise<DeleteClusterResult>;
}

export type {
  AckCluster,
  AckTask,
  AckTaskEvent,
  AckTaskStage,
  ClusterApi,
  ClusterPage,
  CreateClusterInput,
  CreateClusterResult,
  DeleteClusterOptions,
  DeleteClusterResult,
  ListClustersQuery,
};
