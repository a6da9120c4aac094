import { describe, expect, it } from 'vitest';
import type { AlicloudClusterApiOptions } from '../../shared/ack/alicloud-cluster-api.js';
import { caught, clusterInput, REGION, startHarness as startAckHarness } from './ack-harness.js';

/**
 * The adapter's retry policy against the emulator's fault injection, counting the requests that
 * really reached the server: retries with full jitter or ACK's retry-after, never a blind retry of
 * CreateCluster after an ambiguous failure.
 */

/** The emulator (harness clock) and the adapter with recorded, instant sleeps. */
const startHarness = (adapter: Partial<AlicloudClusterApiOptions> = {}) =>
  startAckHarness({}, adapter);

const input = clusterInput({
  name: 'retry-0001',
  vswitchIds: ['vsw-emuhz01a'],
  endpointPublicAccess: false,
  tags: { 'askp.provision-id': 'prv_retry' },
});

describe('ACK adapter retry policy', () => {
  it('retries throttled reads after exactly the wait ACK asked for (x-acs-retry-after)', async () => {
    const { api, emulator, sleeps } = await startHarness();
    const created = await api.createCluster(input);
    emulator.resetStats();
    emulator.injectFault({
      action: 'DescribeClusterDetail',
      kind: 'error',
      status: 400,
      code: 'Throttling.User',
      message: 'Request was denied due to user flow control.',
      retryAfterMs: 700,
      times: 2,
    });

    const cluster = await api.describeCluster({ clusterId: created.clusterId, regionId: REGION });
    expect(cluster?.name).toBe('retry-0001');
    expect(emulator.stats()).toEqual({ DescribeClusterDetail: 3 });
    expect(sleeps).toEqual([700, 700]);
  });

  it('retries 5xx reads with full-jitter exponential backoff and gives up after maxAttempts', async () => {
    const { api, emulator, sleeps } = await startHarness();
    emulator.injectFault({ action: 'DescribeClustersV1', kind: 'error', status: 503, times: 10 });

    const error = await caught(api.listClusters({ regionId: REGION }));
    expect(error.code).toBe('ACK_UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(error).toMatchObject({ ackCode: 'ServiceUnavailable', attempts: 4 });
    expect(emulator.stats()).toEqual({ DescribeClustersV1: 4 });
    // random() = 0.5 of min(10000, 200 * 2^n) for n = 0, 1, 2.
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it('retries a read whose connection was reset before ACK answered', async () => {
    const { api, emulator } = await startHarness();
    const created = await api.createCluster(input);
    emulator.resetStats();
    emulator.injectFault({ action: 'DescribeTaskInfo', kind: 'reset-before' });

    const task = await api.describeTask({ taskId: created.taskId ?? '', regionId: REGION });
    expect(task.taskType).toBe('cluster_create');
    expect(emulator.stats()).toEqual({ DescribeTaskInfo: 2 });
  });

  it('retries CreateCluster when throttled, because ACK refused before doing anything', async () => {
    const { api, emulator, sleeps } = await startHarness();
    emulator.injectFault({
      action: 'CreateCluster',
      kind: 'error',
      status: 400,
      code: 'Throttling.Api',
      retryAfterMs: 1500,
    });

    const created = await api.createCluster(input);
    expect(created.clusterId).toMatch(/^c/);
    expect(emulator.stats()).toEqual({ CreateCluster: 2 });
    expect(sleeps).toEqual([1500]);
    expect(emulator.listAllClusters()).toHaveLength(1);
  });

  it('does not retry CreateCluster after a 5xx: throws it retryable and ambiguous', async () => {
    const { api, emulator, sleeps } = await startHarness();
    emulator.injectFault({
      action: 'CreateCluster',
      kind: 'error',
      status: 500,
      code: 'InternalError',
    });

    const error = await caught(api.createCluster(input));
    expect(error.code).toBe('ACK_UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(error).toMatchObject({ ambiguous: true, ackCode: 'InternalError', attempts: 1 });
    expect(emulator.stats()).toEqual({ CreateCluster: 1 });
    expect(sleeps).toEqual([]);
  });

  it('does not retry CreateCluster whose answer was lost; the cluster exists and is found by name', async () => {
    const { api, emulator } = await startHarness();
    emulator.injectFault({ action: 'CreateCluster', kind: 'reset-after' });

    const error = await caught(api.createCluster(input));
    expect(error.code).toBe('ACK_NETWORK');
    expect(error.retryable).toBe(true);
    expect(error.ambiguous).toBe(true);
    expect(emulator.stats()).toEqual({ CreateCluster: 1 });
    // Exactly one cluster was made, and the worker can adopt it by name and tag.
    const page = await api.listClusters({ regionId: REGION, name: input.name });
    expect(page.clusters).toHaveLength(1);
    expect(page.clusters[0]?.tags['askp.provision-id']).toBe('prv_retry');
  });

  it('does not retry CreateCluster after a read timeout (ACK_TIMEOUT, ambiguous)', async () => {
    const { api, emulator } = await startHarness({ timeoutMs: 150 });
    emulator.injectFault({ action: 'CreateCluster', kind: 'delay', delayMs: 600 });

    const error = await caught(api.createCluster(input));
    expect(error.code).toBe('ACK_TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(error.ambiguous).toBe(true);
    expect(emulator.stats()).toEqual({ CreateCluster: 1 });
  });

  it('retries CreateCluster when the connection is refused, since nothing reached ACK', async () => {
    const { api, emulator, sleeps } = await startHarness();
    await emulator.close();

    const error = await caught(api.createCluster(input));
    expect(error.code).toBe('ACK_NETWORK');
    expect(error.ambiguous).toBe(false);
    expect(error.attempts).toBe(4);
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it('stops instead of sleeping when ACK asks for a wait longer than maxDelayMs', async () => {
    const { api, emulator, sleeps } = await startHarness({ retry: { maxDelayMs: 5000 } });
    emulator.injectFault({
      action: 'DescribeClustersV1',
      kind: 'error',
      status: 400,
      code: 'Throttling.User',
      retryAfterMs: 60_000,
    });

    const error = await caught(api.listClusters({ regionId: REGION }));
    expect(error.code).toBe('ACK_THROTTLED');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(60_000);
    expect(emulator.stats()).toEqual({ DescribeClustersV1: 1 });
    expect(sleeps).toEqual([]);
  });
});
