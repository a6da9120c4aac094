import type { AckCaller } from './ack-caller.js';
import {
  toAckKubeconfig,
  toEventPage,
  toModifyClusterRequest,
  toTagResourcesRequest,
} from './ack-wire-metadata.js';
import type { ClusterApi } from './cluster-api.port.js';
import { cs } from './cs-sdk.js';

/**
 * The per-cluster calls beyond create/describe/delete: ModifyCluster, DescribeClusterEvents,
 * DescribeEvents, DescribeClusterUserKubeconfig and TagResources. All are safe to retry: setting a
 * name, protection or tags twice ends in the same state, and a second kubeconfig request only
 * issues a second short-lived credential.
 */

type ClusterOperations = Pick<
  ClusterApi,
  | 'modifyCluster'
  | 'listClusterEvents'
  | 'listEvents'
  | 'describeKubeconfig'
  | 'tagResources'
  | 'revokeKubeconfig'
  | 'upgradeCluster'
>;

const paging = (query: { pageNumber?: number; pageSize?: number }) => ({
  ...(query.pageNumber === undefined ? {} : { pageNumber: query.pageNumber }),
  ...(query.pageSize === undefined ? {} : { pageSize: query.pageSize }),
});

const createClusterOperations = ({ call }: AckCaller): ClusterOperations => ({
  modifyCluster: async (input) => {
    const response = await call('ModifyCluster', input.regionId, true, (client) =>
      client.modifyCluster(input.clusterId, toModifyClusterRequest(input)),
    );
    return {
      taskId: response.body?.taskId || null,
      requestId: response.body?.requestId || null,
    };
  },

  listClusterEvents: async (query) => {
    const request = new cs.DescribeClusterEventsRequest({
      ...(query.taskId === undefined ? {} : { taskId: query.taskId }),
      ...paging(query),
    });
    const response = await call('DescribeClusterEvents', query.regionId, true, (client) =>
      client.describeClusterEvents(query.clusterId, request),
    );
    return toEventPage(response.body, query);
  },

  listEvents: async (query) => {
    const request = new cs.DescribeEventsRequest({
      ...(query.clusterId === undefined ? {} : { clusterId: query.clusterId }),
      ...(query.type === undefined ? {} : { type: query.type }),
      ...paging(query),
    });
    const response = await call('DescribeEvents', query.regionId, true, (client) =>
      client.describeEvents(request),
    );
    return toEventPage(response.body, query);
  },

  // The answer is a credential: it is returned and nothing else. No log line, no error text and
  // no retry detail ever carries the body (toAckKubeconfig's errors name only what was missing).
  describeKubeconfig: async (input) => {
    const request = new cs.DescribeClusterUserKubeconfigRequest({
      temporaryDurationMinutes: input.temporaryDurationMinutes,
      ...(input.privateIpAddress === undefined ? {} : { privateIpAddress: input.privateIpAddress }),
    });
    const response = await call('DescribeClusterUserKubeconfig', input.regionId, true, (client) =>
      client.describeClusterUserKubeconfig(input.clusterId, request),
    );
    return toAckKubeconfig(response.body);
  },

  // Revoking twice leaves the same state (the credentials issued before are invalid): retry-safe.
  revokeKubeconfig: async (input) => {
    await call('RevokeK8sClusterKubeConfig', input.regionId, true, (client) =>
      client.revokeK8sClusterKubeConfig(input.clusterId),
    );
  },

  // Not retried: a second UpgradeCluster while the first one's task runs is refused (one change
  // task at a time), so a lost answer is left to the change job's redelivery to sort out.
  upgradeCluster: async (input) => {
    const request = new cs.UpgradeClusterRequest({ nextVersion: input.nextVersion });
    const response = await call('UpgradeCluster', input.regionId, false, (client) =>
      client.upgradeCluster(input.clusterId, request),
    );
    return {
      taskId: response.body?.taskId || null,
      requestId: response.body?.requestId || null,
    };
  },

  tagResources: async (input) => {
    const response = await call('TagResources', input.regionId, true, (client) =>
      client.tagResources(toTagResourcesRequest(input)),
    );
    return { requestId: response.body?.requestId || null };
  },
});

export { createClusterOperations };
