import { AckError } from './ack-error.js';
import type {
  AckClusterEvent,
  AckKubeconfig,
  AckKubernetesVersion,
  AckUserQuota,
  ClusterEventPage,
  ModifyClusterInput,
  ServiceRoleStatus,
  TagResourcesInput,
} from './cluster-api.port.js';
import { cs } from './cs-sdk.js';

/**
 * Between the port and the SDK's models for the calls beyond the cluster lifecycle: events,
 * kubeconfig, versions, service roles, quota, ModifyCluster and TagResources. Shapes are the SDK's
 * camelCase models (their `names()` map ACK's snake_case wire names).
 */

interface SdkEvent {
  eventId?: string;
  clusterId?: string;
  type?: string;
  source?: string;
  subject?: string;
  time?: string;
  data?: { level?: string; reason?: string; message?: string };
}

interface SdkEventPage {
  events?: SdkEvent[];
  pageInfo?: { pageNumber?: number; pageSize?: number; totalCount?: number };
}

interface SdkVersion {
  version?: string;
  releaseDate?: string;
  expirationDate?: string;
  creatable?: boolean;
}

interface SdkQuota {
  askClusterQuota?: number;
  clusterQuota?: number;
  amkClusterQuota?: number;
  nodeQuota?: number;
  clusterNodepoolQuota?: number;
  quotas?: Record<
    string,
    { quota?: string; operationCode?: string; adjustable?: boolean; unit?: string }
  >;
}

const orNull = <T>(value: T | undefined | ''): T | null =>
  value === undefined || value === '' ? null : value;

const toAckClusterEvent = (event: SdkEvent): AckClusterEvent => ({
  eventId: event.eventId ?? '',
  clusterId: event.clusterId ?? '',
  type: event.type ?? '',
  source: event.source ?? '',
  subject: event.subject ?? '',
  time: event.time ?? '',
  level: event.data?.level ?? '',
  reason: event.data?.reason ?? '',
  message: event.data?.message ?? '',
});

const toEventPage = (
  body: SdkEventPage | undefined,
  asked: { pageNumber?: number; pageSize?: number },
): ClusterEventPage => {
  const events = (body?.events ?? []).map(toAckClusterEvent);
  return {
    events,
    pageNumber: body?.pageInfo?.pageNumber ?? asked.pageNumber ?? 1,
    pageSize: body?.pageInfo?.pageSize ?? asked.pageSize ?? 50,
    totalCount: body?.pageInfo?.totalCount ?? events.length,
  };
};

/**
 * The kubeconfig is a credential: whatever goes wrong here, the error says what was missing and
 * never quotes the body.
 */
const toAckKubeconfig = (body: { config?: string; expiration?: string } | undefined) => {
  const unreadable = (what: string) =>
    new AckError('ACK_UNKNOWN', `ACK DescribeClusterUserKubeconfig answered ${what}`, {
      action: 'DescribeClusterUserKubeconfig',
      retryable: false,
    });
  const config = body?.config;
  if (config === undefined || config.trim() === '') throw unreadable('without a kubeconfig');
  const expiration = new Date(body?.expiration ?? '');
  if (Number.isNaN(expiration.getTime())) throw unreadable('without a readable expiration');
  const kubeconfig: AckKubeconfig = { config, expiration };
  return kubeconfig;
};

const toAckKubernetesVersion = (entry: SdkVersion): AckKubernetesVersion => ({
  version: entry.version ?? '',
  releaseDate: orNull(entry.releaseDate),
  expirationDate: orNull(entry.expirationDate),
  creatable: entry.creatable ?? false,
});

const toServiceRoleStatus = (role: {
  name?: string;
  granted?: boolean;
  message?: string;
}): ServiceRoleStatus => ({
  name: role.name ?? '',
  granted: role.granted ?? false,
  message: role.message ?? '',
});

const toAckUserQuota = (body: SdkQuota | undefined): AckUserQuota => ({
  askClusterQuota: body?.askClusterQuota ?? null,
  clusterQuota: body?.clusterQuota ?? null,
  amkClusterQuota: body?.amkClusterQuota ?? null,
  nodeQuota: body?.nodeQuota ?? null,
  clusterNodepoolQuota: body?.clusterNodepoolQuota ?? null,
  quotas: Object.fromEntries(
    Object.entries(body?.quotas ?? {}).map(([key, item]) => [
      key,
      {
        quota: item.quota ?? '',
        operationCode: orNull(item.operationCode),
        adjustable: item.adjustable ?? null,
        unit: orNull(item.unit),
      },
    ]),
  ),
});

/** Only the fields the caller set: ACK changes what the body names and keeps the rest. */
const toModifyClusterRequest = (input: ModifyClusterInput) =>
  new cs.ModifyClusterRequest({
    ...(input.name === undefined ? {} : { clusterName: input.name }),
    ...(input.deletionProtection === undefined
      ? {}
      : { deletionProtection: input.deletionProtection }),
    ...(input.apiServerEip === undefined ? {} : { apiServerEip: input.apiServerEip }),
  });

const toTagResourcesRequest = (input: TagResourcesInput) =>
  new cs.TagResourcesRequest({
    regionId: input.regionId,
    resourceIds: input.clusterIds,
    resourceType: 'CLUSTER',
    tags: Object.entries(input.tags).map(([key, value]) => new cs.Tag({ key, value })),
  });

export type { SdkEvent, SdkEventPage, SdkQuota, SdkVersion };
export {
  toAckClusterEvent,
  toAckKubeconfig,
  toAckKubernetesVersion,
  toAckUserQuota,
  toEventPage,
  toModifyClusterRequest,
  toServiceRoleStatus,
  toTagResourcesRequest,
};
