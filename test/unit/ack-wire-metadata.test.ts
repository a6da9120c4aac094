import { describe, expect, it } from 'vitest';
import {
  toAckKubeconfig,
  toAckUserQuota,
  toEventPage,
  toModifyClusterRequest,
  toTagResourcesRequest,
} from '../../shared/ack/ack-wire-metadata.js';
import { DomainError } from '../../shared/domain/errors.js';

/** The SDK-model mapping of events, kubeconfig, quota, ModifyCluster and TagResources. */

describe('ACK wire mapping beyond the cluster lifecycle', () => {
  it('flattens event data and falls back to the asked paging when ACK sends none', () => {
    const page = toEventPage(
      {
        events: [
          {
            eventId: 'e-1',
            clusterId: 'c1',
            type: 'cluster_create',
            source: 'task',
            subject: 'c1',
            time: '2025-05-14T10:00:56+08:00',
            data: { level: 'info', reason: 'Started', message: 'Start to create' },
          },
          {},
        ],
      },
      { pageNumber: 2, pageSize: 5 },
    );
    expect(page).toEqual({
      events: [
        {
          eventId: 'e-1',
          clusterId: 'c1',
          type: 'cluster_create',
          source: 'task',
          subject: 'c1',
          time: '2025-05-14T10:00:56+08:00',
          level: 'info',
          reason: 'Started',
          message: 'Start to create',
        },
        {
          eventId: '',
          clusterId: '',
          type: '',
          source: '',
          subject: '',
          time: '',
          level: '',
          reason: '',
          message: '',
        },
      ],
      pageNumber: 2,
      pageSize: 5,
      totalCount: 2,
    });
  });

  it('reads the kubeconfig and its RFC 3339 expiration', () => {
    expect(
      toAckKubeconfig({ config: 'apiVersion: v1\n', expiration: '2024-03-10T09:56:17Z' }),
    ).toEqual({ config: 'apiVersion: v1\n', expiration: new Date('2024-03-10T09:56:17Z') });
  });

  it('never quotes the kubeconfig when the answer cannot be used', () => {
    const secret = 'client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==';
    for (const body of [
      { config: secret },
      { config: secret, expiration: 'soon' },
      { config: '   ', expiration: '2024-03-10T09:56:17Z' },
      undefined,
    ]) {
      let thrown: unknown;
      try {
        toAckKubeconfig(body);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      expect(thrown).toMatchObject({ code: 'ACK_UNKNOWN', retryable: false });
      expect(JSON.stringify(thrown)).not.toContain('LS0tLS1');
      expect(String(thrown)).not.toContain('LS0tLS1');
    }
  });

  it('keeps quota numbers and the newer quotas map, null for what ACK did not send', () => {
    expect(
      toAckUserQuota({
        askClusterQuota: 20,
        quotas: { q_ask: { quota: '30', operationCode: 'q_ask', adjustable: true } },
      }),
    ).toEqual({
      askClusterQuota: 20,
      clusterQuota: null,
      amkClusterQuota: null,
      nodeQuota: null,
      clusterNodepoolQuota: null,
      quotas: { q_ask: { quota: '30', operationCode: 'q_ask', adjustable: true, unit: null } },
    });
  });

  it('sends ModifyCluster only the fields the caller set, under their wire names', () => {
    expect(
      toModifyClusterRequest({ clusterId: 'c1', regionId: 'cn-hangzhou', name: 'n2' }).toMap(),
    ).toEqual({ cluster_name: 'n2' });
    expect(
      toModifyClusterRequest({
        clusterId: 'c1',
        regionId: 'cn-hangzhou',
        deletionProtection: false,
      }).toMap(),
    ).toEqual({ deletion_protection: false });
  });

  it('tags clusters as resource_type CLUSTER with key/value pairs', () => {
    expect(
      toTagResourcesRequest({
        regionId: 'cn-hangzhou',
        clusterIds: ['c1', 'c2'],
        tags: { team: 'a' },
      }).toMap(),
    ).toEqual({
      region_id: 'cn-hangzhou',
      resource_ids: ['c1', 'c2'],
      resource_type: 'CLUSTER',
      tags: [{ key: 'team', value: 'a' }],
    });
  });
});
