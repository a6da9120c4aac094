import { describe, expect, it } from 'vitest';
import { parseFaultsFromEnv } from '../../emulator/ack/ack-emulator.js';
import { seededRandom } from '../../emulator/ack/prng.js';
import {
  adapterFor,
  caught,
  clusterInput,
  REGION,
  startEmulator,
  startHarness,
} from './ack-harness.js';

/**
 * Every injected fault, set through the control endpoint (plain HTTP) or the environment, and
 * how the adapter (real SDK, our retry policy) classifies and handles it. Sleeps of the adapter
 * are recorded, not waited; a delayed answer is held by an injected emulator sleep.
 */

const control = async (url: string, method: string, body?: unknown) => {
  const response = await fetch(`${url}/_emulator/faults`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('the /_emulator/faults control endpoint over plain HTTP', () => {
  it('adds, lists, removes and clears faults without any ACK signature', async () => {
    const { emulator } = await startEmulator();
    expect(await control(emulator.url, 'GET')).toEqual({ status: 200, body: { faults: [] } });

    const added = await control(emulator.url, 'POST', [
      { kind: 'throttle', action: 'DescribeClustersV1', times: 2 },
      { kind: 'unavailable', rate: 0.25, seed: 9 },
    ]);
    expect(added.status).toBe(201);
    expect(added.body.faults).toEqual([
      {
        id: 'fault-1',
        kind: 'throttle',
        action: 'DescribeClustersV1',
        times: 2,
        status: 400,
        code: 'Throttling.User',
        message: 'Request was denied due to user flow control.',
        retryAfterMs: 1000,
        remaining: 2,
        fired: 0,
      },
      { id: 'fault-2', kind: 'unavailable', rate: 0.25, seed: 9, remaining: null, fired: 0 },
    ]);
    const single = await control(emulator.url, 'POST', { kind: 'reset-after' });
    expect(single.body.faults).toMatchObject([{ id: 'fault-3', remaining: 1 }]);
    expect(emulator.listFaults().map((fault) => fault.id)).toEqual([
      'fault-1',
      'fault-2',
      'fault-3',
    ]);

    const removed = await fetch(`${emulator.url}/_emulator/faults/fault-2`, { method: 'DELETE' });
    expect(await removed.json()).toEqual({ removed: 'fault-2' });
    const again = await fetch(`${emulator.url}/_emulator/faults/fault-2`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(await control(emulator.url, 'DELETE')).toEqual({ status: 200, body: { cleared: 2 } });
    expect(emulator.listFaults()).toEqual([]);
    // Control requests are not ACK requests.
    expect(emulator.stats()).toEqual({});
  });

  it.each([
    ['an unknown kind', { kind: 'meteor' }, 'fault.kind'],
    ['an unknown action', { kind: 'throttle', action: 'DescribeEverything' }, 'fault.action'],
    [
      'a rate above 1',
      [{ kind: 'reset-before' }, { kind: 'unavailable', rate: 2 }],
      'fault[1].rate',
    ],
    ['a negative retry-after', { kind: 'throttle', retryAfterMs: -1 }, 'fault.retryAfterMs'],
    ['an unknown field', { kind: 'delay', delayMs: 5, delay: 5 }, 'fault'],
    ['a bad name pattern', { kind: 'fail-creation', namePattern: '(' }, 'fault.namePattern'],
    ['a non-throttling code', { kind: 'throttle', code: 'Busy' }, 'fault.code'],
  ])('refuses %s with 400 naming the field, and adds nothing', async (_label, body, field) => {
    const { emulator } = await startEmulator();
    const answer = await control(emulator.url, 'POST', body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'InvalidFault', field });
    expect(String(answer.body.message)).toContain(field);
    expect(emulator.listFaults()).toEqual([]);
  });

  it('answers 400 for a body that is not JSON, 404 for other paths and 405 for other methods', async () => {
    const { emulator } = await startEmulator();
    const notJson = await fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect((await fetch(`${emulator.url}/_emulator/clusters`)).status).toBe(404);
    expect((await fetch(`${emulator.url}/_emulator/faults`, { method: 'PUT' })).status).toBe(405);
  });
});

describe('injected faults through the adapter', () => {
  it('honours the retry-after of a throttled read, then succeeds', async () => {
    const { emulator, api, sleeps } = await startHarness();
    await control(emulator.url, 'POST', {
      kind: 'throttle',
      action: 'DescribeUserQuota',
      retryAfterMs: 1500,
      times: 2,
    });
    expect((await api.describeUserQuota()).askClusterQuota).toBe(20);
    expect(sleeps).toEqual([1500, 1500]);
    expect(emulator.stats()).toEqual({ DescribeUserQuota: 3 });
  });

  it.each([
    ['unavailable', 'ServiceUnavailable', 503],
    ['internal-error', 'InternalError', 500],
  ] as const)(
    'retries a read through %s, and gives up as ACK_UNAVAILABLE when it persists',
    async (kind, ackCode, statusCode) => {
      const { emulator, api, sleeps } = await startHarness();
      emulator.injectFault({ kind, action: 'DescribeEvents' });
      expect((await api.listEvents({ regionId: REGION })).totalCount).toBe(0);
      expect(sleeps).toEqual([100]);

      emulator.injectFault({ kind, action: 'DescribeEvents', times: 10 });
      const error = await caught(api.listEvents({ regionId: REGION }));
      expect(error).toMatchObject({ code: 'ACK_UNAVAILABLE', retryable: true });
      expect(error).toMatchObject({ ackCode, statusCode, attempts: 4, ambiguous: true });
    },
  );

  it('reports a read held beyond the call timeout as ACK_TIMEOUT, retryable', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { emulator } = await startEmulator({ sleep: () => held });
    const { api } = adapterFor(emulator, {
      timeoutsMs: { DescribeClusterEvents: 100 },
      retry: { maxAttempts: 2 },
    });
    const { clusterId } = await api.createCluster(clusterInput());
    emulator.injectFault({
      kind: 'delay',
      action: 'DescribeClusterEvents',
      delayMs: 60_000,
      times: 2,
    });
    const error = await caught(api.listClusterEvents({ clusterId, regionId: REGION }));
    release();
    expect(error).toMatchObject({ code: 'ACK_TIMEOUT', retryable: true });
    expect(error).toMatchObject({ attempts: 2, ambiguous: true });
  });

  it('adds latency without failing when the answer comes within the timeout', async () => {
    const waited: number[] = [];
    const { emulator } = await startEmulator({
      sleep: async (ms) => {
        waited.push(ms);
      },
    });
    const { api } = adapterFor(emulator);
    emulator.injectFault({ kind: 'delay', delayMs: 2500, action: 'CheckServiceRole' });
    expect(await api.checkServiceRoles({ roles: ['AliyunCSDefaultRole'] })).toHaveLength(1);
    expect(waited).toEqual([2500]);
  });

  it('retries a read whose connection keeps being reset, then reports ACK_NETWORK retryable', async () => {
    const { emulator, api } = await startHarness();
    emulator.injectFault({ kind: 'reset-before', action: 'DescribeClustersV1', times: 10 });
    const error = await caught(api.listClusters({ regionId: REGION }));
    expect(error).toMatchObject({ code: 'ACK_NETWORK', retryable: true });
    expect(error.attempts).toBe(4);
    expect(emulator.stats()).toEqual({ DescribeClustersV1: 4 });
  });

  it('does not retry CreateCluster after a reset it cannot tell from a lost answer', async () => {
    const { emulator, api } = await startHarness();
    emulator.injectFault({ kind: 'reset-before', action: 'CreateCluster' });
    const error = await caught(api.createCluster(clusterInput()));
    expect(error).toMatchObject({ code: 'ACK_NETWORK', retryable: true });
    expect(error).toMatchObject({ ambiguous: true, attempts: 1 });
    expect(emulator.listAllClusters()).toEqual([]);
  });

  it('creates the cluster when the answer is lost, and the adapter reports it as ambiguous', async () => {
    const { emulator, api } = await startHarness();
    await control(emulator.url, 'POST', { kind: 'reset-after', action: 'CreateCluster' });
    const error = await caught(api.createCluster(clusterInput({ name: 'lost-answer' })));
    expect(error).toMatchObject({ code: 'ACK_NETWORK', retryable: true });
    expect(error).toMatchObject({ ambiguous: true, attempts: 1 });
    const page = await api.listClusters({ regionId: REGION, name: 'lost-answer' });
    expect(page.clusters.map((cluster) => cluster.name)).toEqual(['lost-answer']);
    expect(emulator.stats()).toMatchObject({ CreateCluster: 1 });
  });

  it('retries DeleteCluster through DependencyViolation (ACK_CONFLICT, retryable)', async () => {
    const { emulator, api, sleeps } = await startHarness();
    const { clusterId } = await api.createCluster(clusterInput());
    emulator.injectFault({
      kind: 'error',
      action: 'DeleteCluster',
      status: 400,
      code: 'DependencyViolation.Resource',
    });
    expect(await api.deleteCluster({ clusterId, regionId: REGION })).toMatchObject({
      outcome: 'deleting',
    });
    expect(sleeps).toEqual([100]);
  });

  it('disturbs only the action a fault is scoped to', async () => {
    const { emulator, api } = await startHarness();
    emulator.injectFault({ kind: 'unavailable', action: 'TagResources', times: 5 });
    await api.createCluster(clusterInput());
    expect((await api.listClusters({ regionId: REGION })).totalCount).toBe(1);
    expect(emulator.listFaults()[0]).toMatchObject({ remaining: 5, fired: 0 });
  });
});

describe('creation failures', () => {
  it('fails every creation whose name matches a fault pattern, and only those', async () => {
    const { emulator, api, clock } = await startHarness({ createSeconds: 10 });
    await control(emulator.url, 'POST', {
      kind: 'fail-creation',
      namePattern: '^broken-',
      message: 'vSwitch has no free IP',
    });
    const a = await api.createCluster(clusterInput({ name: 'broken-1' }));
    const b = await api.createCluster(clusterInput({ name: 'fine-1' }));
    const c = await api.createCluster(clusterInput({ name: 'broken-2' }));
    clock.advanceSeconds(10);
    const stateOf = async (clusterId: string) =>
      (await api.describeCluster({ clusterId, regionId: REGION }))?.state;
    expect([
      await stateOf(a.clusterId),
      await stateOf(b.clusterId),
      await stateOf(c.clusterId),
    ]).toEqual(['failed', 'running', 'failed']);
    const task = await api.describeTask({ taskId: a.taskId ?? '', regionId: REGION });
    expect(task.error?.message).toContain('vSwitch has no free IP');
  });

  it('fails creations at a rate, the same ones for the same seed', async () => {
    const outcomes = async () => {
      const { emulator, api, clock } = await startHarness({ createSeconds: 10 });
      emulator.injectFault({ kind: 'fail-creation', rate: 0.5, seed: 42 });
      const ids: string[] = [];
      for (let index = 0; index < 12; index += 1) {
        ids.push((await api.createCluster(clusterInput({ name: `rate-${index}` }))).clusterId);
      }
      clock.advanceSeconds(10);
      const states = await Promise.all(
        ids.map(
          async (clusterId) => (await api.describeCluster({ clusterId, regionId: REGION }))?.state,
        ),
      );
      return states.map((state) => state === 'failed');
    };
    const draw = seededRandom(42);
    const expected = Array.from({ length: 12 }, () => draw() < 0.5);
    expect(expected).toContain(true);
    expect(expected).toContain(false);
    expect(await outcomes()).toEqual(expected);
    expect(await outcomes()).toEqual(expected);
  });

  it('takes faults and failing names from the environment (parseFaultsFromEnv)', async () => {
    const env = {
      ASKP_EMULATOR_FAULTS: JSON.stringify([
        { kind: 'throttle', action: 'DescribeClustersV1', retryAfterMs: 300 },
      ]),
      ASKP_EMULATOR_FAIL_NAMES: '^env-doomed',
      ASKP_EMULATOR_SEED: '7',
    };
    const { emulator, api, sleeps, clock } = await startHarness({
      createSeconds: 10,
      ...parseFaultsFromEnv(env),
    });
    expect((await api.listClusters({ regionId: REGION })).totalCount).toBe(0);
    expect(sleeps).toEqual([300]);
    const { clusterId } = await api.createCluster(clusterInput({ name: 'env-doomed-1' }));
    clock.advanceSeconds(10);
    expect((await api.describeCluster({ clusterId, regionId: REGION }))?.state).toBe('failed');
    expect(emulator.stats()).toMatchObject({ DescribeClustersV1: 2 });
  });
});
