import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AckEmulator,
  type AckEmulatorOptions,
  EMULATED_NETWORKS,
  startAckEmulator,
} from '../../emulator/ack/ack-emulator.js';
import { AckError } from '../../shared/ack/ack-error.js';
import { createAlicloudClusterApi } from '../../shared/ack/alicloud-cluster-api.js';
import type { ClusterApi, CreateClusterInput } from '../../shared/ack/cluster-api.port.js';
import { resolveClientClass } from '../../shared/ack/cs-sdk.js';
import { TAG_MANAGED_BY, TAG_PROVISION_ID } from '../../shared/domain/cluster-name.js';

const ACCESS_KEY_ID = 'LTAI-test-key-id';
const ACCESS_KEY_SECRET = 'test-secret-0123456789';
const REGION = 'cn-hangzhou';
const HANGZHOU = EMULATED_NETWORKS.find((network) => network.regionId === REGION);

const started: AckEmulator[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.close()));
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const newClock = () => {
  let now = Date.parse('2025-06-01T00:00:00Z');
  return {
    now: () => now,
    advanceSeconds: (seconds: number) => {
      now += seconds * 1000;
    },
  };
};

const startHarness = async (
  overrides: Partial<AckEmulatorOptions> = {},
  secret: string = ACCESS_KEY_SECRET,
) => {
  const clock = newClock();
  const emulator = await startAckEmulator({
    accessKeyId: ACCESS_KEY_ID,
    accessKeySecret: ACCESS_KEY_SECRET,
    now: clock.now,
    ...overrides,
  });
  started.push(emulator);
  const api = apiFor(emulator, secret);
  return { clock, emulator, api };
};

const apiFor = (emulator: AckEmulator, secret: string = ACCESS_KEY_SECRET): ClusterApi =>
  createAlicloudClusterApi({
    credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: secret },
    endpoint: emulator.endpoint,
    protocol: 'http',
    sleep: async () => {},
    random: () => 0.5,
  });

const clusterInput = (overrides: Partial<CreateClusterInput> = {}): CreateClusterInput => ({
  name: 'demo-0001',
  regionId: REGION,
  vpcId: HANGZHOU?.vpcId ?? 'vpc-emuhz01',
  vswitchIds: HANGZHOU?.vswitches.map((vswitch) => vswitch.vswitchId) ?? [],
  serviceCidr: '172.21.0.0/20',
  endpointPublicAccess: true,
  snatEntry: false,
  clusterSpec: 'ack.standard',
  addons: [{ name: 'nginx-ingress-controller', disabled: true }],
  tags: { [TAG_PROVISION_ID]: 'prv_0001', [TAG_MANAGED_BY]: 'ask-provisioner' },
  deletionProtection: false,
  ...overrides,
});

const caught = async (promise: Promise<unknown>): Promise<AckError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AckError) return error;
    throw error;
  }
  throw new Error('expected an AckError');
};

describe('ACK adapter against the ACK emulator', () => {
  it('creates an ASK cluster that is initial, then running with API server endpoints', async () => {
    const { api, clock } = await startHarness();

    const created = await api.createCluster(clusterInput());
    expect(created.clusterId).toMatch(/^c[0-9a-f]{32}$/);
    expect(created.taskId).toMatch(/^T-/);

    const initial = await api.describeCluster({ clusterId: created.clusterId, regionId: REGION });
    expect(initial).toMatchObject({
      clusterId: created.clusterId,
      name: 'demo-0001',
      regionId: REGION,
      clusterType: 'ManagedKubernetes',
      profile: 'Serverless',
      clusterSpec: 'ack.standard',
      state: 'initial',
      currentVersion: '1.33.1-aliyun.1',
      vpcId: 'vpc-emuhz01',
      deletionProtection: false,
      tags: { [TAG_PROVISION_ID]: 'prv_0001', [TAG_MANAGED_BY]: 'ask-provisioner' },
      endpoints: {},
    });

    clock.advanceSeconds(20);
    const running = await api.describeCluster({ clusterId: created.clusterId, regionId: REGION });
    expect(running?.state).toBe('running');
    expect(running?.endpoints.internet).toMatch(/^https:\/\/[\d.]+:6443$/);
    expect(running?.endpoints.intranet).toMatch(/^https:\/\/192\.168\.[\d.]+:6443$/);
  });

  it('reports no internet endpoint for a cluster without public API server access', async () => {
    const { api, clock } = await startHarness();
    const created = await api.createCluster(clusterInput({ endpointPublicAccess: false }));
    clock.advanceSeconds(20);
    const cluster = await api.describeCluster({ clusterId: created.clusterId, regionId: REGION });
    expect(cluster?.endpoints.internet).toBeUndefined();
    expect(cluster?.endpoints.intranet).toMatch(/^https:\/\//);
  });

  it('creates with an automatic VPC and the requested Kubernetes version', async () => {
    const { api } = await startHarness();
    const {
      vpcId: _vpc,
      vswitchIds: _vsw,
      ...input
    } = clusterInput({
      kubernetesVersion: '1.31.1-aliyun.1',
    });
    const created = await api.createCluster({ ...input, snatEntry: true });
    const cluster = await api.describeCluster({ clusterId: created.clusterId, regionId: REGION });
    expect(cluster?.currentVersion).toBe('1.31.1-aliyun.1');
    expect(cluster?.vpcId).toMatch(/^vpc-emu[0-9a-f]+$/);
  });

  it('lists clusters page by page and matches names fuzzily, so callers must filter exactly', async () => {
    const { api } = await startHarness();
    for (const name of ['team-a', 'team-ab', 'team-b', 'other-1', 'other-2']) {
      await api.createCluster(clusterInput({ name }));
    }

    const first = await api.listClusters({ regionId: REGION, pageSize: 2, pageNumber: 1 });
    const third = await api.listClusters({ regionId: REGION, pageSize: 2, pageNumber: 3 });
    expect(first).toMatchObject({ pageNumber: 1, pageSize: 2, totalCount: 5 });
    expect(first.clusters).toHaveLength(2);
    expect(third.clusters).toHaveLength(1);
    const everyName = new Set<string>();
    for (const pageNumber of [1, 2, 3]) {
      const page = await api.listClusters({ regionId: REGION, pageSize: 2, pageNumber });
      for (const cluster of page.clusters) everyName.add(cluster.name);
    }
    expect(everyName.size).toBe(5);

    const fuzzy = await api.listClusters({ regionId: REGION, name: 'team-a' });
    expect(fuzzy.clusters.map((cluster) => cluster.name).sort()).toEqual(['team-a', 'team-ab']);

    const otherRegion = await api.listClusters({ regionId: 'cn-beijing' });
    expect(otherRegion.totalCount).toBe(0);
  });

  it('signs query values with spaces, reserved and Chinese characters the way ACK checks them', async () => {
    const { api } = await startHarness();
    await api.createCluster(clusterInput({ name: '测试-集群' }));
    const page = await api.listClusters({ regionId: REGION, name: '测试' });
    expect(page.clusters.map((cluster) => cluster.name)).toEqual(['测试-集群']);
    const none = await api.listClusters({ regionId: REGION, name: "a b!*()'~+" });
    expect(none.totalCount).toBe(0);
  });

  it('describes the create task with named stages that progress over createSeconds', async () => {
    const { api, clock } = await startHarness({ createSeconds: 30 });
    const created = await api.createCluster(clusterInput());
    const taskId = created.taskId ?? '';

    const early = await api.describeTask({ taskId, regionId: REGION });
    expect(early).toMatchObject({
      taskId,
      clusterId: created.clusterId,
      taskType: 'cluster_create',
      state: 'running',
      currentStage: 'CreateNetwork',
      error: null,
    });
    expect(early.stages).toHaveLength(1);
    expect(early.stages[0]).toMatchObject({ state: 'running', endTime: null });
    expect(early.stages[0]?.startTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    clock.advanceSeconds(15);
    const middle = await api.describeTask({ taskId, regionId: REGION });
    expect(middle.currentStage).toBe('CreateControlPlane');
    expect(middle.stages.map((stage) => stage.state)).toEqual(['success', 'running']);

    clock.advanceSeconds(15);
    const done = await api.describeTask({ taskId, regionId: REGION });
    expect(done.state).toBe('success');
    expect(done.stages.map((stage) => stage.state)).toEqual(['success', 'success', 'success']);
    expect(done.events.map((event) => event.reason)).toContain('InstallAddonsSuccess');
    expect(done.events.every((event) => event.source === 'ACK')).toBe(true);
  });

  it('deletes a cluster: deleting, then gone from describe and list, and a second delete says gone', async () => {
    const { api, clock } = await startHarness({ createSeconds: 10, deleteSeconds: 5 });
    const created = await api.createCluster(clusterInput());
    clock.advanceSeconds(10);

    const deletion = await api.deleteCluster({
      clusterId: created.clusterId,
      regionId: REGION,
      options: {
        retainAllResources: false,
        deleteOptions: [{ resourceType: 'SLB', deleteMode: 'delete' }],
      },
    });
    expect(deletion.outcome).toBe('deleting');
    expect(deletion.taskId).toMatch(/^T-/);
    const deleting = await api.describeCluster({ clusterId: created.clusterId, regionId: REGION });
    expect(deleting?.state).toBe('deleting');

    clock.advanceSeconds(5);
    expect(
      await api.describeCluster({ clusterId: created.clusterId, regionId: REGION }),
    ).toBeNull();
    expect((await api.listClusters({ regionId: REGION })).totalCount).toBe(0);
    const task = await api.describeTask({ taskId: deletion.taskId ?? '', regionId: REGION });
    expect(task).toMatchObject({ taskType: 'cluster_delete', state: 'success' });
    expect(await api.deleteCluster({ clusterId: created.clusterId, regionId: REGION })).toEqual({
      outcome: 'gone',
      taskId: null,
    });
  });

  it('refuses to delete a cluster with deletion protection (ACK_CONFLICT, not retried)', async () => {
    const { api, emulator } = await startHarness();
    const created = await api.createCluster(clusterInput({ deletionProtection: true }));
    emulator.resetStats();

    const error = await caught(
      api.deleteCluster({ clusterId: created.clusterId, regionId: REGION }),
    );
    expect(error.code).toBe('ACK_CONFLICT');
    expect(error.retryable).toBe(false);
    expect(error.ackCode).toBe('ErrorClusterDeletionProtection');
    expect(emulator.stats()).toEqual({ DeleteCluster: 1 });
    const cluster = await api.describeCluster({ clusterId: created.clusterId, regionId: REGION });
    expect(cluster?.deletionProtection).toBe(true);
  });

  it('answers null for a cluster that does not exist', async () => {
    const { api } = await startHarness();
    expect(
      await api.describeCluster({
        clusterId: 'c00000000000000000000000000000000',
        regionId: REGION,
      }),
    ).toBeNull();
  });

  it.each([
    ['a name starting with a hyphen', { name: '-bad' }, 'name'],
    ['a name with an underscore', { name: 'bad_name' }, 'name'],
    ['a 64-character name', { name: 'a'.repeat(64) }, 'name'],
    [
      'an unknown Kubernetes version',
      { kubernetesVersion: '1.20.4-aliyun.1' },
      'kubernetes_version',
    ],
    ['an unknown VPC', { vpcId: 'vpc-unknown' }, 'vpc-unknown'],
    ['a vSwitch of another region', { vswitchIds: ['vsw-emubj01a'] }, 'vsw-emubj01a'],
    ['a reserved tag prefix', { tags: { 'aliyun:owner': 'me' } }, 'aliyun'],
    ['a service CIDR outside the allowed ranges', { serviceCidr: '11.0.0.0/16' }, 'service_cidr'],
  ])('rejects %s with ACK_INVALID_REQUEST and does not retry', async (_label, overrides, hint) => {
    const { api, emulator } = await startHarness();
    const error = await caught(api.createCluster(clusterInput(overrides)));
    expect(error.code).toBe('ACK_INVALID_REQUEST');
    expect(error.retryable).toBe(false);
    expect(error.ackCode).toBe('InvalidParameter');
    expect(error.ambiguous).toBe(false);
    expect(error.message).toContain(hint);
    expect(emulator.stats()).toEqual({ CreateCluster: 1 });
    expect(emulator.listAllClusters()).toHaveLength(0);
  });

  it('refuses creations beyond the ASK cluster quota until a deletion frees a slot', async () => {
    const { api, clock, emulator } = await startHarness({ askClusterQuota: 2, deleteSeconds: 5 });
    const first = await api.createCluster(clusterInput({ name: 'quota-1' }));
    await api.createCluster(clusterInput({ name: 'quota-2' }));

    const error = await caught(api.createCluster(clusterInput({ name: 'quota-3' })));
    expect(error.code).toBe('ACK_QUOTA_EXCEEDED');
    expect(error.retryable).toBe(false);
    expect(error.ackCode).toBe('QuotaExceeded.Cluster');
    // Another region has its own quota.
    await api.createCluster(
      clusterInput({
        name: 'quota-bj',
        regionId: 'cn-beijing',
        vpcId: 'vpc-emubj01',
        vswitchIds: ['vsw-emubj01a'],
      }),
    );

    await api.deleteCluster({ clusterId: first.clusterId, regionId: REGION });
    expect((await caught(api.createCluster(clusterInput({ name: 'quota-3' })))).code).toBe(
      'ACK_QUOTA_EXCEEDED',
    );
    clock.advanceSeconds(5);
    await api.createCluster(clusterInput({ name: 'quota-3' }));
    expect(
      emulator.listAllClusters().filter((cluster) => cluster.state !== 'deleted'),
    ).toHaveLength(3);
  });

  it('fails creations whose name matches failNamePattern, with a failed task carrying the error', async () => {
    const { api, clock } = await startHarness({ failNamePattern: /doomed/, createSeconds: 30 });
    const created = await api.createCluster(clusterInput({ name: 'doomed-1' }));
    clock.advanceSeconds(30);

    const cluster = await api.describeCluster({ clusterId: created.clusterId, regionId: REGION });
    expect(cluster?.state).toBe('failed');
    expect(cluster?.endpoints).toEqual({});
    const task = await api.describeTask({ taskId: created.taskId ?? '', regionId: REGION });
    expect(task.state).toBe('fail');
    expect(task.error?.code).toBe('CreateClusterFailed');
    expect(task.stages.map((stage) => stage.state)).toEqual(['success', 'failed']);

    clock.advanceSeconds(3600);
    const later = await api.describeCluster({ clusterId: created.clusterId, regionId: REGION });
    expect(later?.state).toBe('failed');
    expect(
      await api.deleteCluster({ clusterId: created.clusterId, regionId: REGION }),
    ).toMatchObject({ outcome: 'deleting' });
  });

  it('refuses a request signed with a wrong secret (ACK_AUTH_FAILED) and never echoes the secret', async () => {
    const wrongSecret = 'wrong-secret-abcdefgh';
    const { api, emulator } = await startHarness({}, wrongSecret);

    const error = await caught(api.listClusters({ regionId: REGION }));
    expect(error.code).toBe('ACK_AUTH_FAILED');
    expect(error.retryable).toBe(false);
    expect(error.ackCode).toBe('SignatureDoesNotMatch');
    expect(typeof error.requestId).toBe('string');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(wrongSecret);
    expect(emulator.stats()).toEqual({ DescribeClustersV1: 1 });
  });

  it('answers the raw SDK with ACK error codes for a wrong secret and an unknown access key', async () => {
    const { emulator } = await startHarness();
    const Client = resolveClientClass();
    const rawClient = (id: string, secret: string) =>
      new Client(
        new $OpenApiUtil.Config({
          accessKeyId: id,
          accessKeySecret: secret,
          endpoint: emulator.endpoint,
          protocol: 'http',
        }),
      );

    await expect(
      rawClient(ACCESS_KEY_ID, 'not-the-secret').describeClusterDetail('c1'),
    ).rejects.toMatchObject({
      name: 'ClientError',
      code: 'SignatureDoesNotMatch',
      statusCode: 400,
    });
    await expect(
      rawClient('LTAI-unknown', ACCESS_KEY_SECRET).describeClusterDetail('c1'),
    ).rejects.toMatchObject({
      name: 'ClientError',
      code: 'InvalidAccessKeyId.NotFound',
      statusCode: 404,
    });
    await expect(
      rawClient(ACCESS_KEY_ID, ACCESS_KEY_SECRET).describeClusterDetail('c1'),
    ).rejects.toMatchObject({
      code: 'ErrorClusterNotFound',
      statusCode: 404,
    });
  });

  it('keeps clusters and their lifecycle across an emulator restart with the same state file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ack-emulator-'));
    tempDirs.push(dir);
    const stateFile = join(dir, 'nested', 'ack-state.json');
    const clock = newClock();
    const options = {
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
      now: clock.now,
      stateFile,
      askClusterQuota: 2,
    };
    const first = await startAckEmulator(options);
    const created = await apiFor(first).createCluster(clusterInput());
    await apiFor(first).createCluster(clusterInput({ name: 'second' }));
    await first.close();

    clock.advanceSeconds(20);
    const second = await startAckEmulator(options);
    started.push(second);
    const api = apiFor(second);
    const cluster = await api.describeCluster({ clusterId: created.clusterId, regionId: REGION });
    expect(cluster).toMatchObject({ name: 'demo-0001', state: 'running' });
    const task = await api.describeTask({ taskId: created.taskId ?? '', regionId: REGION });
    expect(task.state).toBe('success');
    // The quota still counts the clusters created before the restart.
    expect((await caught(api.createCluster(clusterInput({ name: 'third' })))).code).toBe(
      'ACK_QUOTA_EXCEEDED',
    );
  });
});
