import { $OpenApiUtil } from '@alicloud/openapi-core';
import { DomainError } from '../domain/errors.js';
import { createRedactor, mapAckError } from './ack-error-mapping.js';
import {
  toAckCluster,
  toAckTask,
  toCreateClusterRequest,
  toDeleteClusterRequest,
} from './ack-wire-mapping.js';
import type { ClusterApi } from './cluster-api.port.js';
import { type CsClient, cs, resolveClientClass } from './cs-sdk.js';
import { DEFAULT_RETRY, type RetrySettings, realSleep, withAckRetry } from './retry-policy.js';

/**
 * The ClusterApi adapter over @alicloud/cs20151215 (ACK OpenAPI 2015-12-15).
 *
 * - One SDK client per region, created on first use: ACK's endpoints are regional
 *   (`cs.<region>.aliyuncs.com`, a few special regions on `cs.aliyuncs.com`, which the SDK's own
 *   endpoint table resolves). With `endpoint` set (the emulator) every region shares it.
 * - The SDK's retry stays off (no `retryOptions`); retry-policy.ts is the only retry.
 * - Errors become DomainErrors in ack-error-mapping.ts; credentials never reach a message.
 */

interface AlicloudClusterApiOptions {
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  /** e.g. `127.0.0.1:9101`; unset: the region's public endpoint. */
  endpoint?: string;
  /** Default https. */
  protocol?: 'http' | 'https';
  /** Connect and read timeout per call (default 15000). */
  timeoutMs?: number;
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /**
   * Region whose endpoint serves a `listClusters` without `regionId` (default cn-hangzhou).
   * Added beyond the brief's option list; optional, so existing callers are unaffected.
   */
  defaultRegionId?: string;
}

const isNotFound = (error: unknown): boolean =>
  error instanceof DomainError && error.code === 'ACK_NOT_FOUND';

const createAlicloudClusterApi = (options: AlicloudClusterApiOptions): ClusterApi => {
  const ClientClass = resolveClientClass();
  const clients = new Map<string, CsClient>();
  const { accessKeyId, accessKeySecret, securityToken } = options.credentials;
  const redact = createRedactor([accessKeySecret, securityToken, accessKeyId]);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const settings: RetrySettings = {
    maxAttempts: options.retry?.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
    baseDelayMs: options.retry?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    maxDelayMs: options.retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
  };

  const clientFor = (regionId: string): CsClient => {
    const cached = clients.get(regionId);
    if (cached !== undefined) return cached;
    const client = new ClientClass(
      new $OpenApiUtil.Config({
        accessKeyId,
        accessKeySecret,
        ...(securityToken === undefined || securityToken === '' ? {} : { securityToken }),
        regionId,
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        protocol: options.protocol ?? 'https',
        connectTimeout: timeoutMs,
        readTimeout: timeoutMs,
      }),
    );
    clients.set(regionId, client);
    return client;
  };

  const call = <T>(
    action: string,
    regionId: string,
    idempotent: boolean,
    invoke: (client: CsClient) => Promise<T>,
  ): Promise<T> =>
    withAckRetry(
      {
        idempotent,
        // clientFor may throw too (bad config): mapped like any other failure, never leaking keys.
        call: () => invoke(clientFor(regionId)),
        mapError: (error) => mapAckError(error, { action, redact }),
      },
      settings,
    );

  return {
    createCluster: async (input) => {
      const response = await call('CreateCluster', input.regionId, false, (client) =>
        client.createCluster(toCreateClusterRequest(input)),
      );
      const body = response.body;
      if (body?.clusterId === undefined || body.clusterId === '') {
        // ACK said yes without saying to what: the cluster may exist, so it is ambiguous.
        throw new DomainError('ACK_UNKNOWN', 'ACK CreateCluster answered without a cluster id', {
          retryable: true,
          details: { action: 'CreateCluster', ambiguous: true, requestId: body?.requestId },
        });
      }
      return {
        clusterId: body.clusterId,
        taskId: body.taskId ?? null,
        requestId: body.requestId ?? null,
      };
    },

    describeCluster: async ({ clusterId, regionId }) => {
      try {
        const response = await call('DescribeClusterDetail', regionId, true, (client) =>
          client.describeClusterDetail(clusterId),
        );
        return toAckCluster(response.body ?? {}, clusterId);
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    listClusters: async (query) => {
      const regionId = query.regionId ?? options.defaultRegionId ?? 'cn-hangzhou';
      const request = new cs.DescribeClustersV1Request({
        ...(query.regionId === undefined ? {} : { regionId: query.regionId }),
        ...(query.name === undefined ? {} : { name: query.name }),
        ...(query.clusterType === undefined ? {} : { clusterType: query.clusterType }),
        ...(query.profile === undefined ? {} : { profile: query.profile }),
        ...(query.pageNumber === undefined ? {} : { pageNumber: query.pageNumber }),
        ...(query.pageSize === undefined ? {} : { pageSize: query.pageSize }),
      });
      const response = await call('DescribeClustersV1', regionId, true, (client) =>
        client.describeClustersV1(request),
      );
      const body = response.body;
      return {
        clusters: (body?.clusters ?? []).map((cluster) => toAckCluster(cluster)),
        pageNumber: body?.pageInfo?.pageNumber ?? query.pageNumber ?? 1,
        pageSize: body?.pageInfo?.pageSize ?? query.pageSize ?? 10,
        totalCount: body?.pageInfo?.totalCount ?? 0,
      };
    },

    describeTask: async ({ taskId, regionId }) => {
      const response = await call('DescribeTaskInfo', regionId, true, (client) =>
        client.describeTaskInfo(taskId),
      );
      return toAckTask(response.body ?? {}, taskId);
    },

    // Deleting is safe to retry: a second DeleteCluster cannot delete a second cluster, and a
    // cluster that is already gone answers ErrorClusterNotFound, which we report as `gone`.
    deleteCluster: async ({ clusterId, regionId, options: deleteOptions }) => {
      try {
        const response = await call('DeleteCluster', regionId, true, (client) =>
          client.deleteCluster(clusterId, toDeleteClusterRequest(deleteOptions)),
        );
        return { outcome: 'deleting', taskId: response.body?.taskId ?? null };
      } catch (error) {
        if (isNotFound(error)) return { outcome: 'gone', taskId: null };
        throw error;
      }
    },
  };
};

export type { AlicloudClusterApiOptions };
export { createAlicloudClusterApi };
