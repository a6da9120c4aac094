import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type EciEmulator,
  type EmulatedContainerGroup,
  startEciEmulator,
} from '../../emulator/eci/eci-emulator.js';
import { createAlicloudContainerGroups } from '../../shared/eci/alicloud-container-groups.js';
import { containerGroupReport } from '../../shared/eci/container-group-activity.js';
import { EciError } from '../../shared/eci/eci-error.js';

/**
 * The ECI adapter through the real @alicloud/eci20180808 against the ECI emulator: the SDK's
 * signed RPC request is accepted, pages of 20 are followed through NextToken, the answer maps to
 * the facts activity is computed from, and every failure is an EciError (never an empty list).
 */

const ACCESS_KEY_ID = 'LTAI5tEciTest';
const ACCESS_KEY_SECRET = 'eci-test-secret';
const T0 = Date.parse('2026-01-01T00:00:00Z');

const group = (
  n: number,
  overrides: Partial<EmulatedContainerGroup> = {},
): EmulatedContainerGroup => ({
  containerGroupId: `eci-${String(n).padStart(17, '0')}`,
  containerGroupName: `default-pod-${n}`,
  regionId: 'cn-hangzhou',
  zoneId: 'cn-hangzhou-k',
  vpcId: 'vpc-own0001',
  vSwitchId: 'vsw-own0001',
  status: 'Running',
  tags: { NameSpace: 'default', PodName: `pod-${n}` },
  image: 'nginx',
  createdAt: T0 + n * 1000,
  startedAt: T0 + n * 1000 + 500,
  finishedAt: null,
  ...overrides,
});

const started: EciEmulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.close()));
});

const start = async (groups: EmulatedContainerGroup[]) => {
  const emulator = await startEciEmulator({
    accessKeyId: ACCESS_KEY_ID,
    accessKeySecret: ACCESS_KEY_SECRET,
    containerGroups: () => groups,
  });
  started.push(emulator);
  const lister = createAlicloudContainerGroups({
    credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET },
    endpoint: emulator.endpoint,
    protocol: 'http',
  });
  return { emulator, lister };
};

const failureOf = async (promise: Promise<unknown>): Promise<EciError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EciError) return error;
    throw error;
  }
  throw new Error('expected an EciError');
};

describe('ECI DescribeContainerGroups through @alicloud/eci20180808', () => {
  it('follows NextToken across pages of 20 and keeps to the vSwitch asked for', async () => {
    const groups = [
      ...Array.from({ length: 45 }, (_, n) => group(n)),
      group(99, { vSwitchId: 'vsw-other001', vpcId: 'vpc-other001' }),
    ];
    const { emulator, lister } = await start(groups);
    const listed = await lister.list({ regionId: 'cn-hangzhou', vSwitchId: 'vsw-own0001' });
    expect(listed).toHaveLength(45);
    expect(new Set(listed.map((facts) => facts.containerGroupId)).size).toBe(45);
    expect(emulator.stats().DescribeContainerGroups).toBe(3);
    expect(await lister.list({ regionId: 'cn-beijing', vSwitchId: 'vsw-own0001' })).toEqual([]);
  });

  it('maps status, VPC, tags and times to the facts, and the report counts workload pods only', async () => {
    const groups = [
      group(1),
      group(2, {
        status: 'Succeeded',
        finishedAt: T0 + 60_000,
        tags: { NameSpace: 'jobs', PodName: 'once' },
      }),
      group(3, { tags: { NameSpace: 'kube-system', PodName: 'coredns-1' } }),
    ];
    const { lister } = await start(groups);
    const listed = await lister.list({ regionId: 'cn-hangzhou', vSwitchId: 'vsw-own0001' });
    const done = listed.find((facts) => facts.tags.PodName === 'once');
    expect(done).toMatchObject({
      status: 'Succeeded',
      vpcId: 'vpc-own0001',
      vSwitchId: 'vsw-own0001',
      succeededTime: new Date(T0 + 60_000),
      creationTime: new Date(T0 + 2000),
    });
    expect(done?.containerFinishTimes).toEqual([new Date(T0 + 60_000)]);
    const report = containerGroupReport(listed, {
      vpcId: 'vpc-own0001',
      systemNamespaces: ['kube-system'],
    });
    expect(report).toMatchObject({ workloadPods: 2, activeWorkloadPods: 1, systemPods: 1 });
    expect(report.lastActivityAt).toEqual(new Date(T0 + 60_000));
  });

  it('an error answer is a retryable EciError for a 5xx, a final one for a refusal', async () => {
    const { emulator, lister } = await start([group(1)]);
    emulator.injectFault({ status: 503, code: 'ServiceUnavailable' });
    const unavailable = await failureOf(
      lister.list({ regionId: 'cn-hangzhou', vSwitchId: 'vsw-own0001' }),
    );
    expect(unavailable).toMatchObject({
      code: 'ECI_UNAVAILABLE',
      retryable: true,
      statusCode: 503,
      eciCode: 'ServiceUnavailable',
    });
    emulator.injectFault({ status: 403, code: 'Forbidden.RAM' });
    const refused = await failureOf(
      lister.list({ regionId: 'cn-hangzhou', vSwitchId: 'vsw-own0001' }),
    );
    expect(refused).toMatchObject({ retryable: false, statusCode: 403, eciCode: 'Forbidden.RAM' });
  });

  it('a wrong access key secret is refused by the signature check, without the secret in the error', async () => {
    const { emulator } = await start([group(1)]);
    const lister = createAlicloudContainerGroups({
      credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: 'not-the-secret' },
      endpoint: emulator.endpoint,
      protocol: 'http',
    });
    const error = await failureOf(
      lister.list({ regionId: 'cn-hangzhou', vSwitchId: 'vsw-own0001' }),
    );
    expect(error).toMatchObject({ code: 'ECI_UNAVAILABLE', retryable: false });
    expect(error.eciCode).toMatch(/Signature/);
    expect(error.message).not.toContain('not-the-secret');
  });

  it('no answer at all is a retryable EciError naming the network code', async () => {
    const server: Server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    await new Promise<void>((done) => server.close(() => done()));
    const port = typeof address === 'object' && address ? address.port : 9;
    const lister = createAlicloudContainerGroups({
      credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET },
      endpoint: `127.0.0.1:${port}`,
      protocol: 'http',
      timeoutMs: 2000,
    });
    const error = await failureOf(
      lister.list({ regionId: 'cn-hangzhou', vSwitchId: 'vsw-own0001' }),
    );
    expect(error).toMatchObject({ code: 'ECI_UNAVAILABLE', retryable: true });
    expect(error.networkCode).toBe('ECONNREFUSED');
  });
});
