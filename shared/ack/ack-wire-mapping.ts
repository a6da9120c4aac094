import type {
  AckCluster,
  AckTask,
  CreateClusterInput,
  DeleteClusterOptions,
} from './cluster-api.port.js';
import { cs } from './cs-sdk.js';

/**
 * Between the port's types and the SDK's models (camelCase; the SDK maps ACK's snake_case wire
 * names through each model's `names()`).
 */

/** The fields DescribeClusterDetail and DescribeClustersV1 clusters share. */
interface SdkCluster {
  clusterId?: string;
  name?: string;
  regionId?: string;
  clusterType?: string;
  profile?: string;
  clusterSpec?: string;
  state?: string;
  currentVersion?: string;
  tags?: { key?: string; value?: string }[];
  deletionProtection?: boolean;
  vpcId?: string;
  /** Deprecated by ACK for `vswitch_ids`, but older answers carry only it (comma-separated). */
  vswitchId?: string;
  vswitchIds?: string[];
  masterUrl?: string;
  created?: string;
  updated?: string;
}

interface SdkTask {
  taskId?: string;
  clusterId?: string;
  taskType?: string;
  state?: string;
  currentStage?: string;
  stages?: { state?: string; message?: string; startTime?: string; endTime?: string }[];
  events?: {
    action?: string;
    level?: string;
    message?: string;
    reason?: string;
    source?: string;
    timestamp?: string;
  }[];
  error?: { code?: string; message?: string };
  created?: string;
  updated?: string;
}

const orNull = (value: string | undefined): string | null =>
  value === undefined || value === '' ? null : value;

const tagsToRecord = (tags: SdkCluster['tags']): Record<string, string> => {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (tag.key !== undefined && tag.key !== '') record[tag.key] = tag.value ?? '';
  }
  return record;
};

/**
 * `master_url` is a JSON string: `{"api_server_endpoint": "...", "intranet_api_server_endpoint":
 * "..."}`; empty strings (no public access, not yet running) mean "none". Anything unparseable
 * counts as no endpoints rather than failing the whole describe.
 */
const parseMasterUrl = (masterUrl: string | undefined): AckCluster['endpoints'] => {
  if (masterUrl === undefined || masterUrl.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(masterUrl);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const read = (key: string): string | undefined => {
    const value: unknown = Reflect.get(parsed, key);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const endpoints: AckCluster['endpoints'] = {};
  const internet = read('api_server_endpoint');
  const intranet = read('intranet_api_server_endpoint');
  if (internet !== undefined) endpoints.internet = internet;
  if (intranet !== undefined) endpoints.intranet = intranet;
  return endpoints;
};

const vswitchIdsOf = (cluster: SdkCluster): string[] =>
  cluster.vswitchIds && cluster.vswitchIds.length > 0
    ? [...cluster.vswitchIds]
    : (cluster.vswitchId ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== '');

const toAckCluster = (cluster: SdkCluster, fallbackId = ''): AckCluster => ({
  clusterId: cluster.clusterId ?? fallbackId,
  name: cluster.name ?? '',
  regionId: cluster.regionId ?? '',
  clusterType: cluster.clusterType ?? '',
  profile: cluster.profile ?? '',
  clusterSpec: orNull(cluster.clusterSpec),
  state: cluster.state ?? '',
  currentVersion: orNull(cluster.currentVersion),
  tags: tagsToRecord(cluster.tags),
  deletionProtection: cluster.deletionProtection ?? false,
  vpcId: orNull(cluster.vpcId),
  vswitchIds: vswitchIdsOf(cluster),
  endpoints: parseMasterUrl(cluster.masterUrl),
  created: orNull(cluster.created),
  updated: orNull(cluster.updated),
});

/** Stage times stay verbatim: ACK writes them as `2022-12-15 23:00:00`, without a zone. */
const toAckTask = (task: SdkTask, fallbackId: string): AckTask => ({
  taskId: task.taskId ?? fallbackId,
  clusterId: orNull(task.clusterId),
  taskType: task.taskType ?? '',
  state: task.state ?? '',
  currentStage: orNull(task.currentStage),
  stages: (task.stages ?? []).map((stage) => ({
    state: stage.state ?? '',
    message: stage.message ?? '',
    startTime: orNull(stage.startTime),
    endTime: orNull(stage.endTime),
  })),
  events: (task.events ?? []).map((event) => ({
    action: event.action ?? '',
    level: event.level ?? '',
    message: event.message ?? '',
    reason: event.reason ?? '',
    source: event.source ?? '',
    timestamp: event.timestamp ?? '',
  })),
  error:
    task.error === undefined || (task.error.code ?? task.error.message) === undefined
      ? null
      : { code: task.error.code ?? '', message: task.error.message ?? '' },
  created: orNull(task.created),
  updated: orNull(task.updated),
});

/** Always an ACK Serverless cluster; the version only when the caller chose one. */
const toCreateClusterRequest = (input: CreateClusterInput) =>
  new cs.CreateClusterRequest({
    name: input.name,
    regionId: input.regionId,
    clusterType: 'ManagedKubernetes',
    profile: 'Serverless',
    clusterSpec: input.clusterSpec,
    ...(input.kubernetesVersion === undefined
      ? {}
      : { kubernetesVersion: input.kubernetesVersion }),
    ...(input.vpcId === undefined ? {} : { vpcid: input.vpcId }),
    ...(input.vswitchIds === undefined ? {} : { vswitchIds: input.vswitchIds }),
    // zone_id, as terraform-provider-alicloud's serverless resource sends it (zone_ids is the
    // newer form the SDK documents for managed clusters); only without a VPC of our own.
    ...(input.zoneId === undefined || input.vpcId !== undefined ? {} : { zoneId: input.zoneId }),
    serviceCidr: input.serviceCidr,
    endpointPublicAccess: input.endpointPublicAccess,
    snatEntry: input.snatEntry,
    deletionProtection: input.deletionProtection,
    tags: Object.entries(input.tags).map(([key, value]) => new cs.Tag({ key, value })),
    addons: input.addons.map((addon) => new cs.Addon({ ...addon })),
  });

const toDeleteClusterRequest = (options: DeleteClusterOptions | undefined) =>
  new cs.DeleteClusterRequest({
    ...(options?.retainAllResources === undefined
      ? {}
      : { retainAllResources: options.retainAllResources }),
    ...(options?.retainResources === undefined ? {} : { retainResources: options.retainResources }),
    ...(options?.deleteOptions === undefined
      ? {}
      : {
          deleteOptions: options.deleteOptions.map(
            (option) =>
              new cs.DeleteClusterRequestDeleteOptions({
                resourceType: option.resourceType,
                deleteMode: option.deleteMode,
              }),
          ),
        }),
  });

export type { SdkCluster, SdkTask };
export {
  parseMasterUrl,
  tagsToRecord,
  toAckCluster,
  toAckTask,
  toCreateClusterRequest,
  toDeleteClusterRequest,
};
