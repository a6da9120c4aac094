import type { RetainableResourceType } from '../domain/retainable-resources.js';

/**
 * The ClusterApi port: what the service needs from ACK (CS OpenAPI 2015-12-15), in our own words.
 * Adapters translate to and from the wire (`alicloud-cluster-api.ts` over @alicloud/cs20151215).
 * Every method throws an `AckError` (ack-error.ts): an `ACK_*` code, ACK's own code, whether the
 * outcome is ambiguous, and `retryable`, which says whether the same call may succeed later.
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
  /**
   * Where ACK creates the VPC when none is given: required then ("if vpc_id and vswitch_ids are
   * not specified, you must specify zone_id", CreateClusterRequest doc); ignored otherwise.
   */
  zoneId?: string;
  serviceCidr: string;
  endpointPublicAccess: boolean;
  /** Only with an automatic network: create a NAT gateway with SNAT rules. */
  snatEntry: boolean;
  clusterSpec: 'ack.standard' | 'ack.pro.small';
  addons: { name: string; version?: string; config?: string; disabled?: boolean }[];
  tags: Record<string, string>;
  deletionProtection: boolean;
  /**
   * Given: an ACK managed cluster (cluster_type ManagedKubernetes, ACK's default profile) with
   * these ECS node pools. Omitted: an ACK Serverless cluster (profile Serverless).
   */
  nodePools?: NodePoolInput[];
}

/** One node pool as CreateCluster `nodepools` takes it (nodepool_info + scaling_group). */
interface NodePoolInput {
  name: string;
  instanceTypes: string[];
  desiredSize: number;
  systemDiskCategory: string;
  /** GiB. */
  systemDiskSize: number;
  /** Required by ACK for every pool: where its nodes go. */
  vswitchIds: string[];
}

/** One entry of DescribeClusterNodePools. */
interface AckNodePool {
  nodePoolId: string;
  name: string;
  instanceTypes: string[];
  desiredSize: number | null;
  systemDiskCategory: string | null;
  systemDiskSize: number | null;
  vswitchIds: string[];
  /** active, scaling, removing, deleting, updating (verbatim). */
  state: string;
  totalNodes: number;
  healthyNodes: number;
  servingNodes: number;
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
  /**
   * The cluster's vSwitches (DescribeClusterDetail `vswitch_ids`, else the older comma-separated
   * `vswitch_id`): where an ACK Serverless cluster's pods, ECI container groups, are placed.
   * Optional so that hand-made values in tests need not name them.
   */
  vswitchIds?: string[];
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

/** One entry of DescribeClusterTasks: a task of a cluster, without its stages. */
interface AckClusterTask {
  taskId: string;
  /** e.g. cluster_create, cluster_delete. */
  taskType: string;
  /** running | fail | success. */
  state: string;
  created: string | null;
}

interface DeleteClusterOptions {
  retainAllResources?: boolean;
  retainResources?: string[];
  deleteOptions?: {
    resourceType: RetainableResourceType;
    deleteMode: 'delete' | 'retain';
  }[];
}

interface DeleteClusterResult {
  /** `gone` when ACK answered ErrorClusterNotFound: the cluster is already deleted. */
  outcome: 'deleting' | 'gone';
  taskId: string | null;
}

interface ModifyClusterInput {
  clusterId: string;
  regionId: string;
  /** New cluster name (ACK's name rules). */
  name?: string;
  deletionProtection?: boolean;
  /**
   * Attach (true) or detach (false) the EIP that gives the API server its public endpoint
   * (`api_server_eip`, ModifyClusterRequest doc). ACK answers with a task that does it.
   */
  apiServerEip?: boolean;
}

interface ModifyClusterResult {
  taskId: string | null;
  requestId: string | null;
}

/** One entry of DescribeClusterEvents / DescribeEvents (`data.level/reason/message` flattened). */
interface AckClusterEvent {
  eventId: string;
  clusterId: string;
  /** e.g. cluster_create, cluster_delete, cluster_modify. */
  type: string;
  /** e.g. `task`. */
  source: string;
  /** The object the event is about (the cluster, a node pool, …). */
  subject: string;
  /** Verbatim, e.g. `2025-05-14T10:00:56+08:00`. */
  time: string;
  /** info | warning | error. */
  level: string;
  reason: string;
  message: string;
}

interface ClusterEventPage {
  events: AckClusterEvent[];
  pageNumber: number;
  pageSize: number;
  totalCount: number;
}

interface ListClusterEventsQuery {
  clusterId: string;
  regionId: string;
  /** Only the events of this task (e.g. the create task). */
  taskId?: string;
  /** 1–100 (ACK's default 50). */
  pageSize?: number;
  pageNumber?: number;
}

interface ListEventsQuery {
  regionId: string;
  clusterId?: string;
  type?: string;
  pageSize?: number;
  pageNumber?: number;
}

interface DescribeKubeconfigInput {
  clusterId: string;
  regionId: string;
  /** true: the intranet API server address; otherwise the public one. */
  privateIpAddress?: boolean;
  /** How long the credential lives: 15–4320 minutes. */
  temporaryDurationMinutes: number;
}

/** A credential: never log it, never put it in an error or a stored row. */
interface AckKubeconfig {
  /** The kubeconfig YAML. */
  config: string;
  expiration: Date;
}

interface AckKubernetesVersion {
  version: string;
  /** Verbatim from ACK. */
  releaseDate: string | null;
  expirationDate: string | null;
  creatable: boolean;
}

interface ListKubernetesVersionsQuery {
  regionId: string;
  /** Default Serverless: the only profile this service creates. */
  profile?: 'Serverless';
  /** creatable (ACK's default) or every supported version. */
  mode?: 'creatable' | 'supported';
}

interface ListAddonsQuery {
  regionId: string;
  /** ListAddons needs region, type, profile, spec and version together. */
  kubernetesVersion: string;
  clusterSpec: 'ack.standard' | 'ack.pro.small';
}

/** One addon of ACK's catalog for new ACK Serverless clusters of a region and version. */
interface AckAddon {
  name: string;
  version: string | null;
  category: string | null;
  installByDefault: boolean;
}

/** One addon installed in a cluster (ListClusterAddonInstances). */
interface AckInstalledAddon {
  name: string;
  version: string | null;
  /** active, updating, upgrading or deleting (verbatim). */
  state: string;
}

/** One addon of an install (InstallClusterAddons): ACK requires the version. */
interface AddonInstallInput {
  name: string;
  version: string;
  /** The addon's config as the JSON string ACK takes. */
  config?: string;
}

/** One addon of an upgrade (UpgradeClusterAddons). */
interface AddonUpgradeInput {
  name: string;
  /** The installed version, which ACK checks. */
  fromVersion: string;
  nextVersion: string;
  config?: string;
}

interface AddonTarget {
  clusterId: string;
  regionId: string;
}

interface ServiceRoleStatus {
  name: string;
  granted: boolean;
  /** ACK's explanation, e.g. `The role does not exist: AliyunCSDefaultRole`; empty when granted. */
  message: string;
}

interface AckQuotaItem {
  quota: string;
  operationCode: string | null;
  adjustable: boolean | null;
  unit: string | null;
}

/**
 * DescribeUserQuota. `quotas`, when ACK sends it, takes precedence over the flat numbers (SDK doc).
 * ASK clusters in use are not reported: count them with listClusters({profile: 'Serverless'}).
 */
interface AckUserQuota {
  askClusterQuota: number | null;
  clusterQuota: number | null;
  amkClusterQuota: number | null;
  nodeQuota: number | null;
  clusterNodepoolQuota: number | null;
  quotas: Record<string, AckQuotaItem>;
}

interface TagResourcesInput {
  regionId: string;
  /** 1–50 cluster ids. */
  clusterIds: string[];
  /** 1–20 tags, merged into each cluster's tags; no aliyun / acs: prefixes. */
  tags: Record<string, string>;
}

interface ClusterApi {
  createCluster(input: CreateClusterInput): Promise<CreateClusterResult>;
  /** `null` when ACK answers ErrorClusterNotFound. */
  describeCluster(input: { clusterId: string; regionId: string }): Promise<AckCluster | null>;
  listClusters(query: ListClustersQuery): Promise<ClusterPage>;
  describeTask(input: { taskId: string; regionId: string }): Promise<AckTask>;
  /** DescribeClusterTasks: the cluster's tasks (first page of 100). A missing cluster: ACK_NOT_FOUND. */
  listClusterTasks(input: { clusterId: string; regionId: string }): Promise<AckClusterTask[]>;
  deleteCluster(input: {
    clusterId: string;
    regionId: string;
    options?: DeleteClusterOptions;
  }): Promise<DeleteClusterResult>;
  /** Rename and/or switch deletion protection. A missing cluster throws ACK_NOT_FOUND. */
  modifyCluster(input: ModifyClusterInput): Promise<ModifyClusterResult>;
  /** One page of a cluster's events, newest first. A missing cluster throws ACK_NOT_FOUND. */
  listClusterEvents(query: ListClusterEventsQuery): Promise<ClusterEventPage>;
  /** One page of the account's events (DescribeEvents), optionally for one cluster. */
  listEvents(query: ListEventsQuery): Promise<ClusterEventPage>;
  /** Only a running cluster has one; others throw (ACK_CONFLICT), a missing one ACK_NOT_FOUND. */
  describeKubeconfig(input: DescribeKubeconfigInput): Promise<AckKubeconfig>;
  listKubernetesVersions(query: ListKubernetesVersionsQuery): Promise<AckKubernetesVersion[]>;
  /** ListAddons: the addons a new cluster of this region, version and spec may install. */
  listAddons(query: ListAddonsQuery): Promise<AckAddon[]>;
  /** CheckServiceRole; `regionId` only picks the endpoint (default: the adapter's region). */
  checkServiceRoles(input: { roles: string[]; regionId?: string }): Promise<ServiceRoleStatus[]>;
  describeUserQuota(input?: { regionId?: string }): Promise<AckUserQuota>;
  tagResources(input: TagResourcesInput): Promise<{ requestId: string | null }>;
  /** DescribeClusterNodePools: a managed cluster's pools. A missing cluster throws ACK_NOT_FOUND. */
  listNodePools(input: { clusterId: string; regionId: string }): Promise<AckNodePool[]>;
  /**
   * CreateClusterNodePool: adds a pool to a managed cluster; answers its id and ACK's task, which
   * buys its nodes. A missing cluster throws ACK_NOT_FOUND.
   */
  createNodePool(input: {
    clusterId: string;
    regionId: string;
    pool: NodePoolInput;
  }): Promise<{ nodePoolId: string | null; taskId: string | null }>;
  /**
   * ModifyClusterNodePool (`scaling_group`): the pool's desired size (nodes are bought or
   * released to match) and/or its instance types; answers ACK's task.
   */
  modifyNodePool(input: {
    clusterId: string;
    regionId: string;
    nodePoolId: string;
    desiredSize?: number;
    instanceTypes?: string[];
  }): Promise<{ taskId: string | null }>;
  /** DeleteClusterNodepool with `force`: the pool and its nodes; answers ACK's task. */
  deleteNodePool(input: {
    clusterId: string;
    regionId: string;
    nodePoolId: string;
  }): Promise<{ taskId: string | null }>;
  /**
   * RevokeK8sClusterKubeConfig: invalidates every kubeconfig ACK issued to the calling identity
   * for the cluster; done in the call (no task). A missing cluster throws ACK_NOT_FOUND.
   */
  revokeKubeconfig(input: { clusterId: string; regionId: string }): Promise<void>;
  /**
   * DescribeKubernetesVersionMetadata with `QueryUpgradableVersion`: the versions ACK offers as an
   * upgrade of `kubernetesVersion` (`upgradable_versions`); none for a version it does not know.
   */
  listUpgradableVersions(query: { regionId: string; kubernetesVersion: string }): Promise<string[]>;
  /**
   * UpgradeCluster to `nextVersion`: answers ACK's task. A version ACK does not offer as an
   * upgrade is refused (ACK_INVALID or the like); a missing cluster throws ACK_NOT_FOUND.
   */
  upgradeCluster(input: {
    clusterId: string;
    regionId: string;
    nextVersion: string;
  }): Promise<ModifyClusterResult>;
  /** ListClusterAddonInstances: the addons installed now. A missing cluster: ACK_NOT_FOUND. */
  listInstalledAddons(input: AddonTarget): Promise<AckInstalledAddon[]>;
  /** InstallClusterAddons: answers ACK's task. */
  installAddons(input: AddonTarget & { addons: AddonInstallInput[] }): Promise<ModifyClusterResult>;
  /** UpgradeClusterAddons (the config, if given, is applied with the new version): ACK's task. */
  upgradeAddons(input: AddonTarget & { addons: AddonUpgradeInput[] }): Promise<ModifyClusterResult>;
  /** ModifyClusterAddon: replaces an installed addon's config; ACK answers no task. */
  modifyAddonConfig(input: AddonTarget & { name: string; config: string }): Promise<void>;
  /** UnInstallClusterAddons: answers ACK's task. */
  uninstallAddons(input: AddonTarget & { names: string[] }): Promise<ModifyClusterResult>;
}

export type {
  AckAddon,
  AckCluster,
  AckClusterEvent,
  AckClusterTask,
  AckInstalledAddon,
  AckKubeconfig,
  AckKubernetesVersion,
  AckNodePool,
  AckQuotaItem,
  AckTask,
  AckTaskEvent,
  AckTaskStage,
  AckUserQuota,
  AddonInstallInput,
  AddonTarget,
  AddonUpgradeInput,
  ClusterApi,
  ClusterEventPage,
  ClusterPage,
  CreateClusterInput,
  CreateClusterResult,
  DeleteClusterOptions,
  DeleteClusterResult,
  DescribeKubeconfigInput,
  ListAddonsQuery,
  ListClusterEventsQuery,
  ListClustersQuery,
  ListEventsQuery,
  ListKubernetesVersionsQuery,
  ModifyClusterInput,
  ModifyClusterResult,
  NodePoolInput,
  ServiceRoleStatus,
  TagResourcesInput,
};
