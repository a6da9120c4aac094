import { describe, expect, it } from 'vitest';
import type { AckCluster, ClusterApi } from '../../shared/ack/cluster-api.port.js';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import type { Provision } from '../../shared/domain/provision.js';
import { containerGroupReport } from '../../shared/eci/container-group-activity.js';
import type {
  ContainerGroupFacts,
  ContainerGroupLister,
  ListContainerGroupsInput,
} from '../../shared/eci/container-groups.port.js';
import { EciError } from '../../shared/eci/eci-error.js';
import { readActivity } from '../../shared/janitor/read-activity.js';
import { KubeError } from '../../shared/kube/kube-error.js';
import type { WorkloadInspector } from '../../shared/kube/workload-inspector.port.js';

/**
 * The janitor's ECI view, pure: container groups → the same report the Kubernetes view gives,
 * and which source a cluster is read from (network "auto" → ECI; a given network → its API
 * server, then ECI when it does not answer). Ports are stubs here; the SDKs against the
 * emulators are in test/integration/eci-container-groups.test.ts and the janitor's tests.
 */

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

let groupSeq = 0;
const nextGroupId = (): string => {
  groupSeq += 1;
  return `eci-${String(groupSeq).padStart(17, '0')}`;
};
const group = (overrides: Partial<ContainerGroupFacts> = {}): ContainerGroupFacts => ({
  containerGroupId: nextGroupId(),
  status: 'Running',
  vpcId: 'vpc-own0001',
  vSwitchId: 'vsw-own0001',
  tags: { NameSpace: 'default' },
  creationTime: at(0),
  succeededTime: null,
  failedTime: null,
  containerStartTimes: [at(1)],
  containerFinishTimes: [],
  ...overrides,
});

const SYSTEM = ['kube-system'];

describe('containerGroupReport', () => {
  it('counts finished statuses (Succeeded, Failed, Expired, ScheduleFailed) as not active, others as active', () => {
    const groups = [
      'Succeeded',
      'Failed',
      'Expired',
      'ScheduleFailed',
      'Scheduling',
      'Restarting',
    ].map((status) => group({ status }));
    expect(
      containerGroupReport(groups, { vpcId: 'vpc-own0001', systemNamespaces: SYSTEM }),
    ).toMatchObject({ workloadPods: 6, activeWorkloadPods: 2 });
  });

  it('leaves system namespaces out, and counts a group without a namespace tag as workload', () => {
    const report = containerGroupReport(
      [group({ tags: { NameSpace: 'kube-system' } }), group({ tags: {}, status: 'Running' })],
      { vpcId: 'vpc-own0001', systemNamespaces: SYSTEM },
    );
    expect(report).toMatchObject({ systemPods: 1, workloadPods: 1, activeWorkloadPods: 1 });
  });

  it('takes the newest of creation, container start and finish, and SucceededTime as the last activity', () => {
    const report = containerGroupReport(
      [
        group({ status: 'Succeeded', succeededTime: at(40), containerFinishTimes: [at(39)] }),
        group({ status: 'Failed', creationTime: at(5), containerStartTimes: [at(6)] }),
      ],
      { vpcId: 'vpc-own0001', systemNamespaces: SYSTEM },
    );
    expect(report).toMatchObject({ activeWorkloadPods: 0, lastActivityAt: at(40) });
  });

  it('ignores groups of another VPC and counts a group listed twice once', () => {
    const twice = group();
    const report = containerGroupReport([twice, twice, group({ vpcId: 'vpc-other01' })], {
      vpcId: 'vpc-own0001',
      systemNamespaces: SYSTEM,
    });
    expect(report.workloadPods).toBe(1);
  });
});

// --- which source ------------------------------------------------------------------------------

const provisionOn = (network: unknown): Provision => {
  const spec = createClusterRequestSchema.parse({ name: 'demo', region: 'cn-hangzhou', network });
  return {
    id: 'prv_1',
    tenantId: 'ten_1',
    name: 'demo',
    region: 'cn-hangzhou',
    spec,
    state: 'running',
    version: 3,
    clusterName: 'demo-x',
    clusterId: 'c1',
    taskId: null,
    ackState: 'running',
    endpoints: null,
    createPendingAt: null,
    attempts: 1,
    leaseOwner: null,
    leaseUntil: null,
    error: null,
    labels: {},
    expiresAt: null,
    createdAt: at(0),
    updatedAt: at(0),
  };
};

const GIVEN = { vpcId: 'vpc-given01', vswitchIds: ['vsw-given01', 'vsw-given02'] };

interface Calls {
  kubeconfigs: number;
  inspections: number;
  details: number;
  listed: ListContainerGroupsInput[];
}

const world = (options: { kubeFails?: Error; vswitchIds?: string[] } = {}) => {
  const calls: Calls = { kubeconfigs: 0, inspections: 0, details: 0, listed: [] };
  const cluster: AckCluster = {
    clusterId: 'c1',
    name: 'demo-x',
    regionId: 'cn-hangzhou',
    clusterType: 'ManagedKubernetes',
    profile: 'Serverless',
    clusterSpec: 'ack.pro.small',
    state: 'running',
    currentVersion: '1.33.1-aliyun.1',
    tags: {},
    deletionProtection: false,
    vpcId: 'vpc-own0001',
    vswitchIds: options.vswitchIds ?? ['vsw-own0001'],
    endpoints: {},
    created: null,
    updated: null,
  };
  const clusterApi = {
    describeKubeconfig: async () => {
      calls.kubeconfigs += 1;
      return { config: 'apiVersion: v1', expiration: null };
    },
    describeCluster: async () => {
      calls.details += 1;
      return cluster;
    },
  } as unknown as ClusterApi;
  const inspector: WorkloadInspector = {
    inspect: async () => {
      calls.inspections += 1;
      if (options.kubeFails) throw options.kubeFails;
      return {
        workloadPods: 1,
        activeWorkloadPods: 1,
        systemPods: 0,
        lastActivityAt: at(1),
        namespaces: ['default'],
      };
    },
  };
  const lister: ContainerGroupLister = {
    list: async (input) => {
      calls.listed.push(input);
      return [group({ vSwitchId: input.vSwitchId, vpcId: null, status: 'Succeeded' })];
    },
  };
  return {
    calls,
    deps: {
      clusterApi,
      inspector: async () => inspector,
      containerGroups: async () => lister,
    },
  };
};

const networkDown = new KubeError('KUBE_UNAVAILABLE', 'no route', {
  failure: 'network',
  retryable: true,
  networkCode: 'ETIMEDOUT',
});

describe('readActivity chooses where to read pods', () => {
  it('auto: a network "auto" cluster is read through ECI, for each vSwitch ACK names', async () => {
    const { deps, calls } = world({ vswitchIds: ['vsw-own0001', 'vsw-own0002'] });
    const facts = await readActivity(deps, {
      provision: provisionOn('auto'),
      clusterId: 'c1',
      systemNamespaces: [],
      source: 'auto',
    });
    expect(facts.activeWorkloadPods).toBe(0);
    expect(calls.listed.map((input) => input.vSwitchId)).toEqual(['vsw-own0001', 'vsw-own0002']);
    expect(calls).toMatchObject({ kubeconfigs: 0, inspections: 0, details: 1 });
  });

  it('auto: a given network is read through its API server', async () => {
    const { deps, calls } = world();
    const facts = await readActivity(deps, {
      provision: provisionOn(GIVEN),
      clusterId: 'c1',
      systemNamespaces: [],
      source: 'auto',
    });
    expect(facts.activeWorkloadPods).toBe(1);
    expect(calls).toMatchObject({ kubeconfigs: 1, inspections: 1, listed: [] });
  });

  it("auto: a given network whose API server does not answer falls back to ECI for the spec's vSwitches", async () => {
    const { deps, calls } = world({ kubeFails: networkDown });
    await readActivity(deps, {
      provision: provisionOn(GIVEN),
      clusterId: 'c1',
      systemNamespaces: [],
      source: 'auto',
    });
    expect(calls.listed.map((input) => input.vSwitchId)).toEqual(GIVEN.vswitchIds);
    expect(calls.details).toBe(0);
  });

  it('auto: an API server that answers with a refusal is not second-guessed through ECI', async () => {
    const refused = new KubeError('KUBE_UNAUTHORIZED', 'forbidden', {
      failure: 'answer',
      retryable: false,
      status: 403,
    });
    const { deps, calls } = world({ kubeFails: refused });
    await expect(
      readActivity(deps, {
        provision: provisionOn(GIVEN),
        clusterId: 'c1',
        systemNamespaces: [],
        source: 'auto',
      }),
    ).rejects.toBe(refused);
    expect(calls.listed).toEqual([]);
  });

  it('kube: always the API server, even for a network "auto" cluster', async () => {
    const { deps, calls } = world();
    await readActivity(deps, {
      provision: provisionOn('auto'),
      clusterId: 'c1',
      systemNamespaces: [],
      source: 'kube',
    });
    expect(calls).toMatchObject({ inspections: 1, listed: [] });
  });

  it('a cluster whose vSwitches ACK does not name is unknown (EciError), never "no pods"', async () => {
    const { deps } = world({ vswitchIds: [] });
    await expect(
      readActivity(deps, {
        provision: provisionOn('auto'),
        clusterId: 'c1',
        systemNamespaces: [],
        source: 'eci',
      }),
    ).rejects.toBeInstanceOf(EciError);
  });
});
