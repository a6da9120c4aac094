import { describe, expect, it } from 'vitest';
import type { AckEmulator } from '../../emulator/ack/ack-emulator.js';
import type { ClusterApi } from '../../shared/ack/cluster-api.port.js';
import { systemClock } from '../../shared/clock.js';
import { type ClusterSpec, createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { createLogger } from '../../shared/logger.js';
import { acceptProvision } from '../../shared/provisioning/accept-provision.js';
import { runPreflight } from '../../shared/provisioning/preflight.js';
import { runCreateJob } from '../../shared/provisioning/run-create-job.js';
import type { VpcNetworkApi } from '../../shared/vpc/vpc-network.port.js';
import {
  acceptDepsFor,
  adapterFor,
  memoryStore,
  startEmulator,
  vpcAdapterFor,
} from './ack-harness.js';

/** The preflight through the real SDK against the emulator, and the worker failing fast on it. */
const spec = (input: Record<string, unknown>): ClusterSpec =>
  createClusterRequestSchema.parse({ name: 'pf', region: 'cn-hangzhou', ...input });

describe('preflight', () => {
  /** The last emulator started (the harness closes it after the test). */
  let ack: AckEmulator | undefined;

  // The real clock: the version table's creatable and expiry dates are read against today.
  const apiFor = async (options: { grantedRoles?: string[]; askClusterQuota?: number } = {}) => {
    const { emulator } = await startEmulator({ now: Date.now, ...options });
    ack = emulator;
    vpc = vpcAdapterFor(emulator);
    return adapterFor(emulator).api;
  };
  const ackOrThrow = (): AckEmulator => {
    if (ack === undefined) throw new Error('no emulator started');
    return ack;
  };
  /** The VPC API of the last emulator started (it serves DescribeVpcs and DescribeVSwitches). */
  let vpc: VpcNetworkApi | undefined;
  const preflight = async (api: Promise<ClusterApi>, request: ClusterSpec) => {
    const clusterApi = await api;
    if (vpc === undefined) throw new Error('no emulator started');
    return runPreflight(clusterApi, request, vpc);
  };

  it('passes a default request and names the newest creatable version', async () => {
    const report = await preflight(apiFor(), spec({}));
    expect(report.ok).toBe(true);
    expect(report.findings.map((f) => f.check)).toEqual([
      'service-roles',
      'quota',
      'kubernetes-version',
      'network',
    ]);
    expect(report.kubernetesVersion).toMatch(/^\d+\.\d+\.\d+-aliyun\.\d+$/);
  });

  it('fails on a missing service role, naming it and saying how to authorise it', async () => {
    const report = await preflight(apiFor({ grantedRoles: ['AliyunCSDefaultRole'] }), spec({}));
    const roles = report.findings.find((f) => f.check === 'service-roles');
    expect(report.ok).toBe(false);
    expect(roles?.status).toBe('fail');
    expect(roles?.message).toContain('AliyunCSServerlessKubernetesRole');
    expect(roles?.action).toContain('authorise');
  });

  it('fails when the ASK cluster quota is used up', async () => {
    const report = await preflight(apiFor({ askClusterQuota: 0 }), spec({}));
    expect(report.findings.find((f) => f.check === 'quota')).toMatchObject({ status: 'fail' });
  });

  it('fails on a Kubernetes version the region cannot create, listing the ones it can', async () => {
    const report = await preflight(apiFor(), spec({ kubernetesVersion: '1.20.4-aliyun.1' }));
    const version = report.findings.find((f) => f.check === 'kubernetes-version');
    expect(version?.status).toBe('fail');
    expect(version?.action).toMatch(/use one of: \d/);
  });

  it('warns about a single vSwitch and prices what the cluster bills', async () => {
    const report = await preflight(
      apiFor(),
      spec({
        network: { vpcId: 'vpc-emuhz01', vswitchIds: ['vsw-emuhz01a'] },
        endpointPublicAccess: true,
      }),
    );
    expect(report.findings.find((f) => f.check === 'network')?.status).toBe('warn');
    expect(report.cost.items.map((i) => i.item)).toEqual([
      'cluster management (ack.standard)',
      "API server's load balancer (CLB)",
      "API server's EIP",
    ]);
    expect(report.cost.usdPerMonth).toBeCloseTo(report.cost.usdPerHour * 720, 3);
    expect(report.cost.verified).toBe(false);
  });

  it('adds the NAT gateway to the cost of an automatic network', async () => {
    const report = await preflight(apiFor(), spec({}));
    expect(
      report.cost.items.some((i) => i.item.startsWith('NAT gateway') && i.usdPerHour === 0.034),
    ).toBe(true);
  });

  it('passes a VPC and vSwitches that exist in the region, read through the VPC API', async () => {
    const report = await preflight(
      apiFor(),
      spec({ network: { vpcId: 'vpc-emuhz01', vswitchIds: ['vsw-emuhz01a', 'vsw-emuhz01b'] } }),
    );
    expect(report.ok).toBe(true);
    expect(report.findings.find((f) => f.check === 'network-exists')).toMatchObject({
      status: 'pass',
    });
    expect(ackOrThrow().stats()).toMatchObject({ DescribeVpcs: 1, DescribeVSwitches: 2 });
  });

  it('fails on a VPC that does not exist, naming network.vpcId', async () => {
    const report = await preflight(
      apiFor(),
      spec({ network: { vpcId: 'vpc-nowhere', vswitchIds: ['vsw-emuhz01a'] } }),
    );
    expect(report.ok).toBe(false);
    const failed = report.findings.filter((f) => f.status === 'fail');
    expect(failed).toEqual([
      expect.objectContaining({ check: 'network-exists', field: 'network.vpcId' }),
      expect.objectContaining({
        field: 'network.vswitchIds.0',
        message: expect.stringContaining('vpc-emuhz01'),
      }),
    ]);
  });

  it('fails on a VPC of another region: it does not exist in this one', async () => {
    const report = await preflight(
      apiFor(),
      spec({ network: { vpcId: 'vpc-emubj01', vswitchIds: ['vsw-emubj01a', 'vsw-emubj01b'] } }),
    );
    const failed = report.findings.filter((f) => f.status === 'fail');
    expect(failed.map((f) => f.field)).toEqual([
      'network.vpcId',
      'network.vswitchIds.0',
      'network.vswitchIds.1',
    ]);
    expect(failed[0]?.message).toBe('VPC vpc-emubj01 does not exist in cn-hangzhou');
  });

  it('fails on a vSwitch of another VPC, naming it and the VPC it belongs to', async () => {
    const report = await preflight(
      apiFor(),
      spec({ network: { vpcId: 'vpc-emuhz01', vswitchIds: ['vsw-emuhz01a', 'vsw-emuhz02a'] } }),
    );
    const failed = report.findings.filter((f) => f.status === 'fail');
    expect(failed).toEqual([
      expect.objectContaining({
        field: 'network.vswitchIds.1',
        message: 'vSwitch vsw-emuhz02a belongs to vpc-emuhz02, not vpc-emuhz01',
      }),
    ]);
  });

  it('asks the VPC API nothing for an automatic network', async () => {
    const report = await preflight(apiFor(), spec({}));
    expect(report.findings.some((f) => f.check === 'network-exists')).toBe(false);
    expect(ackOrThrow().stats().DescribeVpcs ?? 0).toBe(0);
  });

  it('makes the worker fail the provision before CreateCluster, with the finding', async () => {
    const clusterApi = await apiFor({ grantedRoles: [] });
    const store = await memoryStore();
    try {
      const logger = createLogger({ level: 'error' });
      const provision = await acceptProvision(acceptDepsFor(store), {
        tenantId: 't1',
        spec: spec({}),
      });
      const outcome = await runCreateJob(
        {
          store,
          clusterApi,
          vpcNetwork: vpcAdapterFor(ackOrThrow()),
          clock: systemClock,
          logger,
          workerId: 'w1',
          maxAttempts: 3,
          leaseSeconds: 60,
          createSettleSeconds: 600,
        },
        provision.id,
      );
      expect(outcome.outcome).toBe('failed');
      const failed = await store.getProvision({ id: provision.id });
      expect(failed?.state).toBe('failed');
      expect(failed?.error?.code).toBe('PREFLIGHT_FAILED');
      expect(failed?.error?.message).toContain('AliyunCSDefaultRole');
      expect(ack?.stats().CreateCluster ?? 0).toBe(0);
    } finally {
      await store.close();
    }
  });
});
