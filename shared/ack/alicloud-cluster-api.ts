import { type AlicloudClusterApiOptions, createAckCaller } from './ack-caller.js';
import { AckError } from './ack-error.js';
import {
  toAckCluster,
  toAckTask,
  toCreateClusterRequest,
  toDeleteClusterRequest,
} from './ack-wire-mapping.js';
import { createAccountOperations } from './alicloud-account-api.js';
import { createAddonOperations } from './alicloud-cluster-addons.js';
import { createClusterOperations } from './alicloud-cluster-operations.js';
import { createNodePoolOperations } from './alicloud-node-pools.js';
import type { ClusterApi } from './cluster-api.port.js';
import { cs } from './cs-sdk.js';

/**
 * The ClusterApi adapter over @alicloud/cs20151215 (ACK OpenAPI 2015-12-15). This file holds the
 * cluster lifecycle (create, describe, list, task, delete); alicloud-cluster-operations.ts the
 * per-cluster extras (modify, events, kubeconfig, tags); alicloud-account-api.ts the account-level
 * reads (versions, service roles, quota). ack-caller.ts is how each reaches ACK: per-region
 * clients, per-call timeouts, our retry (the SDK's stays off) and error mapping
 * (ack-error-mapping.ts), with credentials never reaching a message.
 */

const isNotFound = (error: unknown): boolean =>
  error instanceof AckError && error.code === 'ACK_NOT_FOUND';

const createAlicloudClusterApi = (options: AlicloudClusterApiOptions): ClusterApi => {
  const caller = createAckCaller(options);
  const { call } = caller;

  return {
    ...createClusterOperations(caller),
    ...createAccountOperations(caller),
    ...createNodePoolOperations(caller),
    ...createAddonOperations(caller),

    createCluster: async (input) => {
      const response = await call('CreateCluster', input.regionId, false, (client) =>
        client.createCluster(toCreateClusterRequest(input)),
      );
      const body = response.body;
      if (body?.clusterId === undefined || body.clusterId === '') {
        // ACK said yes without saying to what: the cluster may exist, so it is ambiguous.
        throw new AckError('ACK_UNKNOWN', 'ACK CreateCluster answered without a cluster id', {
          action: 'CreateCluster',
          retryable: true,
          ambiguous: true,
          requestId: body?.requestId,
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
      const request = new cs.DescribeClustersV1Request({
        ...(query.regionId === undefined ? {} : { regionId: query.regionId }),
        ...(query.name === undefined ? {} : { name: query.name }),
        ...(query.clusterType === undefined ? {} : { clusterType: query.clusterType }),
        ...(query.profile === undefined ? {} : { profile: query.profile }),
        ...(query.pageNumber === undefined ? {} : { pageNumber: query.pageNumber }),
        ...(query.pageSize === undefined ? {} : { pageSize: query.pageSize }),
      });
      const response = await call('DescribeClustersV1', query.regionId, true, (client) =>
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

    listClusterTasks: async ({ clusterId, regionId }) => {
      const request = new cs.DescribeClusterTasksRequest({ pageNumber: 1, pageSize: 100 });
      const response = await call('DescribeClusterTasks', regionId, true, (client) =>
        client.describeClusterTasks(clusterId, request),
      );
      return (response.body?.tasks ?? []).flatMap((task) =>
        task.taskId === undefined
          ? []
          : [
              {
                taskId: task.taskId,
                taskType: task.taskType ?? '',
                state: task.state ?? '',
                created: task.created ?? null,
              },
            ],
      );
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
