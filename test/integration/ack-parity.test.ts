import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AckEmulator, startAckEmulator } from '../../emulator/ack/ack-emulator.js';
import { AckError } from '../../shared/ack/ack-error.js';
import { createAlicloudClusterApi } from '../../shared/ack/alicloud-cluster-api.js';
import type { ClusterApi, CreateClusterInput } from '../../shared/ack/cluster-api.port.js';
import { clusterPages } from '../../shared/ack/cluster-pages.js';
import { ASK_SERVICE_ROLES } from '../../shared/ack/service-roles.js';
import { defaultZoneOf } from '../../shared/domain/regions.js';
import type { VpcNetworkApi } from '../../shared/vpc/vpc-network.port.js';
import { createVpcNetworkApi } from '../../shared/vpc/vpc-network-api.js';

/**
 * One contract for the ClusterApi port, run against the emulator always and against real ACK
 * when `ASKP_LIVE_ACK=1` and `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` are set (optionally
 * `ALIBABA_CLOUD_SECURITY_TOKEN`, `ASKP_LIVE_ACK_REGION`, default cn-hangzhou). Live runs are
 * read-only unless `ASKP_LIVE_ACK_CREATE=1` also allows a create/delete round trip (which costs
 * money; `ASKP_LIVE_ACK_VPC_ID` and `ASKP_LIVE_ACK_VSWITCH_IDS` pick the network, otherwise ACK
 * creates one). Whatever the emulator does that real ACK does not shows up here first.
 */

type Env = Readonly<Record<string, string | undefined>>;

interface ContractTarget {
  api: ClusterApi;
  /** The VPC API (DescribeVpcs, DescribeVSwitches) the preflight checks a network through. */
  vpc: VpcNetworkApi;
  regionId: string;
  /** The network a round-trip cluster uses (no VPC: ACK creates one in `zoneId`). */
  network: { vpcId?: string; vswitchIds?: string[]; zoneId?: string };
  /** Lets time pass: the emulator's clock, or real time for live ACK. */
  wait(seconds: number): Promise<void>;
  /** How long a creation or deletion may take before the round trip fails. */
  maxWaitSeconds: number;
  close(): Promise<void>;
}

interface ContractOptions {
  createRoundTrip: boolean;
  roundTripTimeoutMs: number;
}

const MISSING_CLUSTER_ID = 'c0000000000000000000000000000dead';
const VERSION_PATTERN = /^\d+\.\d+\.\d+-aliyun\.\d+$/;

const describeContract = (
  name: string,
  makeTarget: () => Promise<ContractTarget>,
  options: ContractOptions,
) => {
  describe(`ClusterApi contract: ${name}`, () => {
    let current: ContractTarget | undefined;
    const target = (): ContractTarget => {
      if (current === undefined) throw new Error('the contract target did not start');
      return current;
    };
    beforeAll(async () => {
      current = await makeTarget();
    }, 60_000);
    afterAll(async () => {
      await current?.close();
    });

    it('lists creatable Serverless Kubernetes versions, all within the supported ones', async () => {
      const { api, regionId } = target();
      const creatable = await api.listKubernetesVersions({ regionId, profile: 'Serverless' });
      expect(creatable.length).toBeGreaterThan(0);
      for (const entry of creatable) {
        expect(entry.version).toMatch(VERSION_PATTERN);
        expect(entry.creatable).toBe(true);
      }
      const supported = await api.listKubernetesVersions({ regionId, mode: 'supported' });
      const supportedVersions = supported.map((entry) => entry.version);
      for (const entry of creatable) expect(supportedVersions).toContain(entry.version);
    });

    it('finds no VPC or vSwitch for an id that does not exist: not found, not an error', async () => {
      const { vpc, regionId } = target();
      expect(await vpc.findVpc({ regionId, vpcId: 'vpc-0000000000000000dead0' })).toBeNull();
      expect(
        await vpc.findVswitch({ regionId, vswitchId: 'vsw-0000000000000000dead0' }),
      ).toBeNull();
    });

    it('finds the VPC and vSwitches of the network it names, each vSwitch in that VPC', async () => {
      const { vpc, regionId, network } = target();
      if (network.vpcId === undefined) {
        console.info(`ClusterApi contract (${name}): no network named, VPC lookup not run`);
        return;
      }
      expect(await vpc.findVpc({ regionId, vpcId: network.vpcId })).toMatchObject({
        vpcId: network.vpcId,
        regionId,
      });
      for (const vswitchId of network.vswitchIds ?? []) {
        expect(await vpc.findVswitch({ regionId, vswitchId })).toMatchObject({
          vpcId: network.vpcId,
        });
      }
    });

    it('reports an ASK cluster quota', async () => {
      const quota = await target().api.describeUserQuota({ regionId: target().regionId });
      const flat = quota.askClusterQuota;
      expect(flat !== null || Object.keys(quota.quotas).length > 0).toBe(true);
      if (flat !== null) expect(Number.isInteger(flat) && flat > 0).toBe(true);
    });

    it('answers CheckServiceRole for every ASK role, explaining the missing ones', async () => {
      const roles = await target().api.checkServiceRoles({
        roles: [...ASK_SERVICE_ROLES],
        regionId: target().regionId,
      });
      expect(roles.map((role) => role.name)).toEqual([...ASK_SERVICE_ROLES]);
      for (const role of roles) {
        expect(typeof role.granted).toBe('boolean');
        if (!role.granted) expect(role.message).not.toBe('');
      }
    });

    it('pages DescribeClustersV1: one cluster per page of size 1, none past the end', async () => {
      const { api, regionId } = target();
      const first = await api.listClusters({ regionId, profile: 'Serverless', pageSize: 1 });
      expect(first.pageSize).toBe(1);
      expect(first.pageNumber).toBe(1);
      expect(first.clusters.length).toBe(Math.min(1, first.totalCount));
      for (const cluster of first.clusters) expect(cluster.profile).toBe('Serverless');
      if (first.totalCount >= 2) {
        const second = await api.listClusters({
          regionId,
          profile: 'Serverless',
          pageSize: 1,
          pageNumber: 2,
        });
        expect(second.clusters[0]?.clusterId).not.toBe(first.clusters[0]?.clusterId);
      }
      const past = await api.listClusters({
        regionId,
        profile: 'Serverless',
        pageSize: 10,
        pageNumber: Math.ceil(first.totalCount / 10) + 1,
      });
      expect(past.clusters).toEqual([]);
    });

    it('answers ACK_NOT_FOUND to revoking the kubeconfigs of a cluster that does not exist', async () => {
      const { api, regionId } = target();
      const error = await api.revokeKubeconfig({ clusterId: MISSING_CLUSTER_ID, regionId }).then(
        () => 'accepted',
        (failure: unknown) => (failure instanceof AckError ? failure.code : String(failure)),
      );
      expect(error).toBe('ACK_NOT_FOUND');
    });

    it('answers ACK_NOT_FOUND to opening the public endpoint of a cluster that does not exist', async () => {
      const { api, regionId } = target();
      const error = await api
        .modifyCluster({ clusterId: MISSING_CLUSTER_ID, regionId, apiServerEip: true })
        .then(
          () => 'accepted',
          (failure: unknown) => (failure instanceof AckError ? failure.code : String(failure)),
        );
      expect(error).toBe('ACK_NOT_FOUND');
    });

    it('answers ACK_NOT_FOUND to upgrading a cluster that does not exist', async () => {
      const { api, regionId } = target();
      const [version] = (await api.listKubernetesVersions({ regionId, profile: 'Serverless' }))
        .map((entry) => entry.version)
        .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
      const error = await api
        .upgradeCluster({ clusterId: MISSING_CLUSTER_ID, regionId, nextVersion: version ?? '' })
        .then(
          () => 'accepted',
          (failure: unknown) => (failure instanceof AckError ? failure.code : String(failure)),
        );
      expect(error).toBe('ACK_NOT_FOUND');
    });

    it('answers ACK_NOT_FOUND to reading or changing the addons of a cluster that does not exist', async () => {
      const { api, regionId } = target();
      const codeOf = (call: Promise<unknown>) =>
        call.then(
          () => 'accepted',
          (failure: unknown) => (failure instanceof AckError ? failure.code : String(failure)),
        );
      const missing = { clusterId: MISSING_CLUSTER_ID, regionId };
      expect(await codeOf(api.listInstalledAddons(missing))).toBe('ACK_NOT_FOUND');
      expect(
        await codeOf(
          api.installAddons({ ...missing, addons: [{ name: 'metrics-server', version: 'v1' }] }),
        ),
      ).toBe('ACK_NOT_FOUND');
      expect(await codeOf(api.uninstallAddons({ ...missing, names: ['metrics-server'] }))).toBe(
        'ACK_NOT_FOUND',
      );
    });

    it('answers ACK_NOT_FOUND to adding, scaling and deleting a node pool of a cluster that does not exist', async () => {
      const { api, regionId } = target();
      const target_ = { clusterId: MISSING_CLUSTER_ID, regionId };
      const codeOf = (call: Promise<unknown>) =>
        call.then(
          () => 'accepted',
          (failure: unknown) => (failure instanceof AckError ? failure.code : String(failure)),
        );
      const pool = {
        name: 'parity',
        instanceTypes: ['ecs.g7.large'],
        desiredSize: 0,
        systemDiskCategory: 'cloud_essd',
        systemDiskSize: 120,
        vswitchIds: ['vsw-missing'],
      };
      expect(await codeOf(api.createNodePool({ ...target_, pool }))).toBe('ACK_NOT_FOUND');
      expect(
        await codeOf(api.modifyNodePool({ ...target_, nodePoolId: 'np-missing', desiredSize: 1 })),
      ).toBe('ACK_NOT_FOUND');
      expect(await codeOf(api.deleteNodePool({ ...target_, nodePoolId: 'np-missing' }))).toBe(
        'ACK_NOT_FOUND',
      );
    });

    it('lists only newer versions as upgrades of the oldest supported one', async () => {
      const { api, regionId } = target();
      const supported = (
        await api.listKubernetesVersions({ regionId, profile: 'Serverless', mode: 'supported' })
      )
        .map((entry) => entry.version)
        .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
      const oldest = supported[0] ?? '';
      const upgrades = await api.listUpgradableVersions({ regionId, kubernetesVersion: oldest });
      for (const version of upgrades) {
        expect(version.localeCompare(oldest, undefined, { numeric: true })).toBeGreaterThan(0);
      }
    });

    it('describes a cluster that does not exist as null', async () => {
      const { api, regionId } = target();
      expect(await api.describeCluster({ clusterId: MISSING_CLUSTER_ID, regionId })).toBeNull();
    });

    it('lists the addon catalog of the newest creatable version, CoreDNS in it', async () => {
      const { api, regionId } = target();
      const [newest] = (await api.listKubernetesVersions({ regionId, profile: 'Serverless' }))
        .map((entry) => entry.version)
        .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
      const addons = await api.listAddons({
        regionId,
        kubernetesVersion: newest ?? '',
        clusterSpec: 'ack.standard',
      });
      // The service adds coredns to every create by default: ACK must offer it.
      expect(addons.map((addon) => addon.name)).toContain('coredns');
    });

    it('answers page_info a loop can follow: never more rows than the page size it reports, every cluster once', async () => {
      const { api, regionId } = target();
      const big = await api.listClusters({ regionId, profile: 'Serverless', pageSize: 100 });
      expect(big.clusters.length).toBeLessThanOrEqual(big.pageSize);
      // The emulator caps page_size at 50; this line says what the target did with 100.
      console.info(`ClusterApi contract (${name}): page_size 100 answered as ${big.pageSize}`);
      const seen: string[] = [];
      for await (const page of clusterPages(api, { regionId, profile: 'Serverless' })) {
        seen.push(...page.clusters.map((cluster) => cluster.clusterId));
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(big.totalCount);
    });

    if (!options.createRoundTrip) {
      console.info(
        `ClusterApi contract (${name}): create/delete round trip not run: set ASKP_LIVE_ACK_CREATE=1 to allow it`,
      );
      return;
    }

    it('refuses an automatic network without zone_id, and more than 3 vSwitches', async () => {
      const { api, regionId, network } = target();
      const base: CreateClusterInput = {
        name: `askp-parity-${randomBytes(4).toString('hex')}`,
        regionId,
        serviceCidr: '172.21.0.0/20',
        endpointPublicAccess: false,
        snatEntry: true,
        clusterSpec: 'ack.standard',
        addons: [],
        tags: { 'askp.parity': 'true' },
        deletionProtection: false,
      };
      // A create the rule says ACK refuses; if it is accepted the rule is wrong: delete, then fail.
      const refusal = async (input: CreateClusterInput) => {
        try {
          const created = await api.createCluster(input);
          await api.deleteCluster({ clusterId: created.clusterId, regionId });
        } catch (error) {
          return error instanceof AckError ? error.code : String(error);
        }
        return 'accepted';
      };
      expect(await refusal(base)).toBe('ACK_INVALID_REQUEST');
      if (network.vpcId !== undefined && network.vswitchIds !== undefined) {
        const four = [...network.vswitchIds, 'vsw-parity0001', 'vsw-parity0002', 'vsw-parity0003'];
        expect(await refusal({ ...base, vpcId: network.vpcId, vswitchIds: four.slice(0, 4) })).toBe(
          'ACK_INVALID_REQUEST',
        );
      }
    });

    it(
      'creates a cluster that reaches running with events, then deletes it until it is gone',
      async () => {
        const { api, regionId, network, wait, maxWaitSeconds } = target();
        const waitFor = async (what: string, done: () => Promise<boolean>) => {
          for (let waited = 0; waited <= maxWaitSeconds; waited += 10) {
            if (await done()) return;
            await wait(10);
          }
          throw new Error(`${what} took longer than ${maxWaitSeconds} s`);
        };
        const input: CreateClusterInput = {
          name: `askp-parity-${randomBytes(4).toString('hex')}`,
          regionId,
          ...network,
          serviceCidr: '172.21.0.0/20',
          endpointPublicAccess: false,
          snatEntry: false,
          clusterSpec: 'ack.standard',
          addons: [],
          tags: { 'askp.parity': 'true' },
          deletionProtection: false,
        };
        const { clusterId, taskId } = await api.createCluster(input);
        try {
          await waitFor('creation', async () => {
            const cluster = await api.describeCluster({ clusterId, regionId });
            expect(['initial', 'running']).toContain(cluster?.state);
            return cluster?.state === 'running';
          });
          const events = await api.listClusterEvents({ clusterId, regionId });
          expect(events.events.some((event) => event.type === 'cluster_create')).toBe(true);
          const task = await api.describeTask({ taskId: taskId ?? '', regionId });
          expect(task.state).toBe('success');
          // TagResources refuses an empty value (CreateCluster accepts one).
          const emptyTag = await api
            .tagResources({ regionId, clusterIds: [clusterId], tags: { 'askp.empty': '' } })
            .then(
              () => 'accepted',
              (error: unknown) => (error instanceof AckError ? error.code : String(error)),
            );
          expect(emptyTag).toBe('ACK_INVALID_REQUEST');
          // No public endpoint: the intranet credential, asked for with PrivateIpAddress=true.
          const running = await api.describeCluster({ clusterId, regionId });
          const kubeconfig = await api.describeKubeconfig({
            clusterId,
            regionId,
            privateIpAddress: true,
            temporaryDurationMinutes: 15,
          });
          expect(kubeconfig.config).toContain(
            running?.endpoints.intranet ?? 'no intranet endpoint',
          );
          // Opening the public endpoint afterwards (ModifyCluster api_server_eip) is a task: the
          // address shows once it succeeded, and the public credential then carries it.
          const opened = await api.modifyCluster({ clusterId, regionId, apiServerEip: true });
          expect(opened.taskId).toBeTruthy();
          await waitFor('the API server EIP', async () => {
            const task = await api.describeTask({ taskId: opened.taskId ?? '', regionId });
            expect(['running', 'success']).toContain(task.state);
            return task.state === 'success';
          });
          const open = await api.describeCluster({ clusterId, regionId });
          expect(open?.endpoints.internet).toMatch(/^https:\/\//);
          // An addon installed after creation (InstallClusterAddons at the catalog's version) is
          // listed once its task succeeded, and gone once UnInstallClusterAddons' task did.
          const offered = await api.listAddons({
            regionId,
            kubernetesVersion: open?.currentVersion ?? '',
            clusterSpec: 'ack.standard',
          });
          const metrics = offered.find((addon) => addon.name === 'metrics-server');
          const installedNames = async () =>
            (await api.listInstalledAddons({ clusterId, regionId })).map((addon) => addon.name);
          if (metrics?.version && !(await installedNames()).includes('metrics-server')) {
            const install = await api.installAddons({
              clusterId,
              regionId,
              addons: [{ name: 'metrics-server', version: metrics.version }],
            });
            await waitFor('the addon install', async () => {
              const task = await api.describeTask({ taskId: install.taskId ?? '', regionId });
              expect(['running', 'success']).toContain(task.state);
              return task.state === 'success';
            });
            expect(await installedNames()).toContain('metrics-server');
            const removal = await api.uninstallAddons({
              clusterId,
              regionId,
              names: ['metrics-server'],
            });
            await waitFor('the addon uninstall', async () => {
              const task = await api.describeTask({ taskId: removal.taskId ?? '', regionId });
              expect(['running', 'success']).toContain(task.state);
              return task.state === 'success';
            });
            expect(await installedNames()).not.toContain('metrics-server');
          }
        } finally {
          await api.deleteCluster({ clusterId, regionId });
        }
        await waitFor('deletion', async () => {
          return (await api.describeCluster({ clusterId, regionId })) === null;
        });
      },
      options.roundTripTimeoutMs,
    );
  });
};

const makeEmulatorTarget = async (): Promise<ContractTarget> => {
  let now = Date.parse('2025-06-01T00:00:00Z');
  const credentials = { accessKeyId: 'LTAI-parity', accessKeySecret: 'parity-secret-0123456789' };
  const emulator: AckEmulator = await startAckEmulator({ ...credentials, now: () => now });
  const api = createAlicloudClusterApi({
    credentials,
    endpoint: emulator.endpoint,
    protocol: 'http',
    sleep: async () => {},
  });
  // A few clusters, so paging has something to page.
  for (const name of ['parity-a', 'parity-b', 'parity-c']) {
    await api.createCluster({
      name,
      regionId: 'cn-hangzhou',
      zoneId: 'cn-hangzhou-i',
      serviceCidr: '172.21.0.0/20',
      endpointPublicAccess: false,
      snatEntry: false,
      clusterSpec: 'ack.standard',
      addons: [],
      tags: {},
      deletionProtection: false,
    });
  }
  return {
    api,
    vpc: createVpcNetworkApi({ credentials, endpoint: emulator.endpoint, protocol: 'http' }),
    regionId: 'cn-hangzhou',
    network: { vpcId: 'vpc-emuhz01', vswitchIds: ['vsw-emuhz01a'] },
    wait: async (seconds) => {
      now += seconds * 1000;
    },
    maxWaitSeconds: 120,
    close: () => emulator.close(),
  };
};

/** Why the live variant does not run, or undefined when it does. */
const liveDisabledReason = (env: Env): string | undefined => {
  if (env.ASKP_LIVE_ACK !== '1') return 'ASKP_LIVE_ACK is not 1';
  if (!env.ALIBABA_CLOUD_ACCESS_KEY_ID || !env.ALIBABA_CLOUD_ACCESS_KEY_SECRET) {
    return 'ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set';
  }
  return undefined;
};

const makeLiveTarget = (env: Env) => async (): Promise<ContractTarget> => {
  const regionId = env.ASKP_LIVE_ACK_REGION || 'cn-hangzhou';
  const credentials = {
    accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? '',
    accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? '',
    ...(env.ALIBABA_CLOUD_SECURITY_TOKEN
      ? { securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN }
      : {}),
  };
  const api = createAlicloudClusterApi({ credentials, defaultRegionId: regionId });
  const vpc = createVpcNetworkApi({ credentials });
  const vswitchIds = (env.ASKP_LIVE_ACK_VSWITCH_IDS ?? '').split(',').filter((id) => id !== '');
  return {
    api,
    vpc,
    regionId,
    network:
      env.ASKP_LIVE_ACK_VPC_ID && vswitchIds.length > 0
        ? { vpcId: env.ASKP_LIVE_ACK_VPC_ID, vswitchIds }
        : { zoneId: env.ASKP_LIVE_ACK_ZONE_ID || (defaultZoneOf(regionId) ?? '') },
    wait: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
    // Terraform allows ASK creations 60 minutes.
    maxWaitSeconds: 60 * 60,
    close: async () => {},
  };
};

describeContract('ACK emulator', makeEmulatorTarget, {
  createRoundTrip: true,
  roundTripTimeoutMs: 60_000,
});

const liveReason = liveDisabledReason(process.env);
if (liveReason === undefined) {
  describeContract('live ACK', makeLiveTarget(process.env), {
    createRoundTrip: process.env.ASKP_LIVE_ACK_CREATE === '1',
    roundTripTimeoutMs: 2 * 60 * 60_000,
  });
} else {
  console.info(`ClusterApi contract against live ACK not run: ${liveReason}`);
}
