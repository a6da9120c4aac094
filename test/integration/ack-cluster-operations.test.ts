import { $OpenApiUtil } from '@alicloud/openapi-core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cs, resolveClientClass } from '../../shared/ack/cs-sdk.js';
import {
  ACCESS_KEY_ID,
  ACCESS_KEY_SECRET,
  caught,
  clusterInput,
  REGION,
  START,
  startHarness,
} from './ack-harness.js';

/**
 * ModifyCluster, TagResources, DescribeClusterUserKubeconfig and DeleteCluster's retain options,
 * through the real SDK and adapter against the emulator.
 */

const MISSING = 'c00000000000000000000000000000000';

describe('ModifyCluster through the adapter', () => {
  it('renames and switches deletion protection, so a protected cluster can then be deleted', async () => {
    const { api } = await startHarness();
    const { clusterId } = await api.createCluster(clusterInput({ deletionProtection: true }));

    const modified = await api.modifyCluster({ clusterId, regionId: REGION, name: 'renamed-1' });
    expect(modified.taskId).toMatch(/^T-/);
    const task = await api.describeTask({ taskId: modified.taskId ?? '', regionId: REGION });
    expect(task).toMatchObject({ taskType: 'cluster_modify', state: 'success' });
    expect(await api.describeCluster({ clusterId, regionId: REGION })).toMatchObject({
      name: 'renamed-1',
      deletionProtection: true,
    });
    expect((await caught(api.deleteCluster({ clusterId, regionId: REGION }))).code).toBe(
      'ACK_CONFLICT',
    );

    await api.modifyCluster({ clusterId, regionId: REGION, deletionProtection: false });
    const after = await api.describeCluster({ clusterId, regionId: REGION });
    expect(after).toMatchObject({ name: 'renamed-1', deletionProtection: false });
    expect(await api.deleteCluster({ clusterId, regionId: REGION })).toMatchObject({
      outcome: 'deleting',
    });
  });

  it('answers ACK_NOT_FOUND for a missing cluster and ACK_INVALID_REQUEST for a bad name', async () => {
    const { api } = await startHarness();
    const missing = await caught(api.modifyCluster({ clusterId: MISSING, regionId: REGION }));
    expect(missing).toMatchObject({ code: 'ACK_NOT_FOUND', retryable: false });
    expect(missing.ackCode).toBe('ErrorClusterNotFound');

    const { clusterId } = await api.createCluster(clusterInput());
    const bad = await caught(api.modifyCluster({ clusterId, regionId: REGION, name: '-bad' }));
    expect(bad).toMatchObject({ code: 'ACK_INVALID_REQUEST', retryable: false });
    expect(bad.message).toContain('cluster_name');
  });

  it('refuses to modify a cluster that is being deleted (ErrorClusterState → ACK_CONFLICT)', async () => {
    const { api } = await startHarness({ deleteSeconds: 60 });
    const { clusterId } = await api.createCluster(clusterInput());
    await api.deleteCluster({ clusterId, regionId: REGION });
    const error = await caught(
      api.modifyCluster({ clusterId, regionId: REGION, deletionProtection: true }),
    );
    expect(error).toMatchObject({ code: 'ACK_CONFLICT', retryable: false });
    expect(error.ackCode).toBe('ErrorClusterState');
  });
});

describe('TagResources through the adapter', () => {
  it('merges tags into every named cluster, overwriting keys that exist', async () => {
    const { api } = await startHarness();
    const first = await api.createCluster(clusterInput({ tags: { team: 'a', keep: 'yes' } }));
    const second = await api.createCluster(clusterInput({ name: 'demo-0002', tags: {} }));

    const result = await api.tagResources({
      regionId: REGION,
      clusterIds: [first.clusterId, second.clusterId],
      tags: { team: 'b', 'askp.ttl': '1h' },
    });
    expect(result.requestId).toMatch(/^[0-9A-F-]{36}$/);
    const tagsOf = async (clusterId: string) =>
      (await api.describeCluster({ clusterId, regionId: REGION }))?.tags;
    expect(await tagsOf(first.clusterId)).toEqual({ team: 'b', keep: 'yes', 'askp.ttl': '1h' });
    expect(await tagsOf(second.clusterId)).toEqual({ team: 'b', 'askp.ttl': '1h' });
  });

  it('changes nothing when one id is unknown or of another region (ACK_NOT_FOUND)', async () => {
    const { api } = await startHarness();
    const { clusterId } = await api.createCluster(clusterInput({ tags: {} }));
    const unknown = await caught(
      api.tagResources({ regionId: REGION, clusterIds: [clusterId, MISSING], tags: { a: '1' } }),
    );
    expect(unknown.code).toBe('ACK_NOT_FOUND');
    const otherRegion = await caught(
      api.tagResources({ regionId: 'cn-beijing', clusterIds: [clusterId], tags: { a: '1' } }),
    );
    expect(otherRegion.code).toBe('ACK_NOT_FOUND');
    expect((await api.describeCluster({ clusterId, regionId: REGION }))?.tags).toEqual({});
  });

  it.each([
    ['a reserved aliyun prefix', { 'aliyun:owner': 'me' }, 1],
    ['an acs: prefix in a value', { owner: 'acs:me' }, 1],
    [
      'more than 20 tags',
      Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])),
      1,
    ],
    ['more than 50 clusters', { a: '1' }, 51],
  ])('refuses %s with ACK_INVALID_REQUEST', async (_label, tags, idCount) => {
    const { api } = await startHarness();
    const { clusterId } = await api.createCluster(clusterInput());
    const error = await caught(
      api.tagResources({ regionId: REGION, clusterIds: Array(idCount).fill(clusterId), tags }),
    );
    expect(error).toMatchObject({ code: 'ACK_INVALID_REQUEST', retryable: false });
    expect(error.ackCode).toBe('InvalidParameter');
  });
});

describe('DescribeClusterUserKubeconfig through the adapter', () => {
  it('issues a kubeconfig for a running cluster: its public endpoint, a token, the asked lifetime', async () => {
    const { api, clock } = await startHarness({ createSeconds: 10 });
    const { clusterId } = await api.createCluster(clusterInput());
    clock.advanceSeconds(10);
    const cluster = await api.describeCluster({ clusterId, regionId: REGION });

    const issued = await api.describeKubeconfig({
      clusterId,
      regionId: REGION,
      temporaryDurationMinutes: 60,
    });
    expect(issued.expiration.getTime()).toBe(START + 10_000 + 60 * 60_000);
    const config: unknown = parse(issued.config);
    expect(config).toMatchObject({
      kind: 'Config',
      clusters: [{ cluster: { server: cluster?.endpoints.internet } }],
      users: [{ user: { token: expect.stringMatching(/^[0-9a-f]{48}$/) } }],
      'current-context': expect.stringContaining(clusterId),
    });

    const internal = await api.describeKubeconfig({
      clusterId,
      regionId: REGION,
      privateIpAddress: true,
      temporaryDurationMinutes: 15,
    });
    const internalConfig: unknown = parse(internal.config);
    expect(internalConfig).toMatchObject({
      clusters: [{ cluster: { server: cluster?.endpoints.intranet } }],
    });
  });

  it('asks the plugged-in Kubernetes emulator for the kubeconfig when one is given', async () => {
    const asked: unknown[] = [];
    const { api, clock } = await startHarness({
      createSeconds: 10,
      kubeconfigFor: async (input) => {
        asked.push(input);
        return { config: 'apiVersion: v1\nkind: Config\n', expiration: new Date(START + 42_000) };
      },
    });
    const { clusterId } = await api.createCluster(clusterInput({ name: 'kube-1' }));
    clock.advanceSeconds(10);
    const issued = await api.describeKubeconfig({
      clusterId,
      regionId: REGION,
      privateIpAddress: false,
      temporaryDurationMinutes: 4320,
    });
    expect(issued).toEqual({
      config: 'apiVersion: v1\nkind: Config\n',
      expiration: new Date(START + 42_000),
    });
    expect(asked).toEqual([
      { clusterId, clusterName: 'kube-1', durationMinutes: 4320, privateIp: false },
    ]);
  });

  it('has no kubeconfig for a cluster that is creating or failed (ACK_CONFLICT) or missing', async () => {
    const { api, clock } = await startHarness({ createSeconds: 10, failNamePattern: /doomed/ });
    const creating = await api.createCluster(clusterInput());
    const doomed = await api.createCluster(clusterInput({ name: 'doomed-1' }));
    const ask = (clusterId: string) =>
      caught(api.describeKubeconfig({ clusterId, regionId: REGION, temporaryDurationMinutes: 60 }));

    const early = await ask(creating.clusterId);
    expect(early).toMatchObject({ code: 'ACK_CONFLICT', retryable: false });
    expect(early.ackCode).toBe('ErrorClusterState');
    clock.advanceSeconds(10);
    expect((await ask(doomed.clusterId)).ackCode).toBe('ErrorClusterState');
    expect((await ask(MISSING)).code).toBe('ACK_NOT_FOUND');
  });

  it.each([14, 4321])('refuses TemporaryDurationMinutes=%i (15–4320)', async (minutes) => {
    const { api, clock } = await startHarness({ createSeconds: 10 });
    const { clusterId } = await api.createCluster(clusterInput());
    clock.advanceSeconds(10);
    const error = await caught(
      api.describeKubeconfig({ clusterId, regionId: REGION, temporaryDurationMinutes: minutes }),
    );
    expect(error).toMatchObject({ code: 'ACK_INVALID_REQUEST', retryable: false });
    expect(error.message).toContain('TemporaryDurationMinutes');
  });
});

describe('DeleteCluster retain options', () => {
  it('records what was asked and which resource types ACK would keep', async () => {
    const { api, emulator } = await startHarness();
    const { clusterId } = await api.createCluster(clusterInput());
    await api.deleteCluster({
      clusterId,
      regionId: REGION,
      options: {
        retainResources: ['sg-emu1'],
        deleteOptions: [
          { resourceType: 'SLS_Data', deleteMode: 'delete' },
          { resourceType: 'SLB', deleteMode: 'retain' },
        ],
      },
    });
    expect(emulator.listAllClusters()[0]?.deleteRequest).toEqual({
      retainAllResources: false,
      retainResources: ['sg-emu1'],
      deleteOptions: [
        { resourceType: 'SLS_Data', deleteMode: 'delete' },
        { resourceType: 'SLB', deleteMode: 'retain' },
      ],
      keepSlb: null,
      retainedResourceTypes: ['SLB', 'ALB', 'SLS_ControlPlane', 'PrivateZone'],
    });
  });

  it('keeps everything with retain_all_resources', async () => {
    const { api, emulator } = await startHarness();
    const { clusterId } = await api.createCluster(clusterInput());
    await api.deleteCluster({ clusterId, regionId: REGION, options: { retainAllResources: true } });
    expect(emulator.listAllClusters()[0]?.deleteRequest?.retainedResourceTypes).toEqual([
      'SLB',
      'ALB',
      'SLS_Data',
      'SLS_ControlPlane',
      'PrivateZone',
    ]);
  });

  it('refuses an unknown resource type or delete mode from the raw SDK (InvalidParameter)', async () => {
    const { api, emulator } = await startHarness();
    const { clusterId } = await api.createCluster(clusterInput());
    const Client = resolveClientClass();
    const client = new Client(
      new $OpenApiUtil.Config({
        accessKeyId: ACCESS_KEY_ID,
        accessKeySecret: ACCESS_KEY_SECRET,
        endpoint: emulator.endpoint,
        protocol: 'http',
      }),
    );
    for (const [resourceType, deleteMode] of [
      ['EIP', 'delete'],
      ['SLB', 'keep'],
    ]) {
      const request = new cs.DeleteClusterRequest({
        deleteOptions: [new cs.DeleteClusterRequestDeleteOptions({ resourceType, deleteMode })],
      });
      await expect(client.deleteCluster(clusterId, request)).rejects.toMatchObject({
        code: 'InvalidParameter',
        statusCode: 400,
      });
    }
    expect(emulator.listAllClusters()[0]?.state).toBe('initial');
  });
});
