import { describe, expect, it } from 'vitest';
import { clusterPages } from '../../shared/ack/cluster-pages.js';
import { caught, clusterInput, REGION, startHarness } from './ack-harness.js';

/**
 * The ACK emulator refuses what real ACK refuses, through the real @alicloud/cs20151215 SDK
 * (our adapter), so no local test passes on a request the cloud would turn down. Each rule's
 * evidence is in docs/emulator.md.
 */

const automatic = () => {
  const { vpcId: _vpc, vswitchIds: _vsw, ...input } = clusterInput();
  return { ...input, snatEntry: true };
};

describe('ACK emulator: CreateCluster network rules', () => {
  it('refuses an automatic network without a zone, naming zone_id, and creates nothing', async () => {
    const { api, emulator } = await startHarness();
    const error = await caught(api.createCluster(automatic()));
    expect(error.code).toBe('ACK_INVALID_REQUEST');
    expect(error.message).toContain('zone_id');
    expect(error.message).toContain('HTTP 400');
    expect(emulator.listAllClusters()).toEqual([]);
  });

  it('refuses a zone that is not in the region', async () => {
    const { api } = await startHarness();
    const error = await caught(api.createCluster({ ...automatic(), zoneId: 'cn-beijing-h' }));
    expect(error.code).toBe('ACK_INVALID_REQUEST');
    expect(error.message).toContain('zone_id cn-beijing-h');
  });

  it('creates the automatic network in the named zone', async () => {
    const { api, emulator } = await startHarness();
    await api.createCluster({ ...automatic(), zoneId: 'cn-hangzhou-j' });
    expect(emulator.listAllClusters()[0]?.zoneId).toBe('cn-hangzhou-j');
  });

  it('refuses more than 3 vSwitches for a serverless cluster', async () => {
    const { api, emulator } = await startHarness();
    const four = ['vsw-emuhz01a', 'vsw-emuhz01b', 'vsw-emuhz01c', 'vsw-emuhz01d'];
    const error = await caught(api.createCluster(clusterInput({ vswitchIds: four })));
    expect(error.code).toBe('ACK_INVALID_REQUEST');
    expect(error.message).toContain('at most 3');
    expect(emulator.listAllClusters()).toEqual([]);
  });

  it('refuses an addon outside the catalog, and one named twice', async () => {
    const { api } = await startHarness();
    const unknown = await caught(api.createCluster(clusterInput({ addons: [{ name: 'nope' }] })));
    expect(unknown.message).toContain('addons: nope');
    const twice = await caught(
      api.createCluster(clusterInput({ addons: [{ name: 'coredns' }, { name: 'coredns' }] })),
    );
    expect(twice.message).toContain('given twice');
  });

  it('refuses a service CIDR with host bits set', async () => {
    const { api } = await startHarness();
    const error = await caught(api.createCluster(clusterInput({ serviceCidr: '172.21.0.5/20' })));
    expect(error.message).toContain('host bits');
  });

  it('lists the addon catalog of a version through ListAddons, CoreDNS included', async () => {
    const { api } = await startHarness();
    const addons = await api.listAddons({
      regionId: REGION,
      kubernetesVersion: '1.33.1-aliyun.1',
      clusterSpec: 'ack.standard',
    });
    expect(addons.map((addon) => addon.name)).toContain('coredns');
    const none = await api.listAddons({
      regionId: REGION,
      kubernetesVersion: '9.9.9-aliyun.1',
      clusterSpec: 'ack.standard',
    });
    expect(none).toEqual([]);
  });
});

describe('ACK emulator: TagResources', () => {
  it('refuses an empty tag value, though CreateCluster accepts one', async () => {
    const { api, emulator } = await startHarness();
    const { clusterId } = await api.createCluster(
      clusterInput({ tags: { 'askp.provision-id': 'prv_0001', team: '' } }),
    );
    const error = await caught(
      api.tagResources({ regionId: REGION, clusterIds: [clusterId], tags: { owner: '' } }),
    );
    expect(error.code).toBe('ACK_INVALID_REQUEST');
    expect(error.message).toContain('cannot be an empty string');
    expect(emulator.listAllClusters()[0]?.tags).toEqual([
      { key: 'askp.provision-id', value: 'prv_0001' },
      { key: 'team', value: '' },
    ]);
    const url = await caught(
      api.tagResources({
        regionId: REGION,
        clusterIds: [clusterId],
        tags: { doc: 'see http://x' },
      }),
    );
    expect(url.message).toContain('http://');
  });
});

describe('ACK emulator: DescribeClustersV1 paging', () => {
  it('caps page_size at 50 and says so in page_info', async () => {
    const { api } = await startHarness({ askClusterQuota: 100 });
    for (let i = 0; i < 60; i += 1) {
      await api.createCluster(clusterInput({ name: `paged-${i}` }));
    }
    const page = await api.listClusters({ regionId: REGION, pageSize: 100 });
    expect(page).toMatchObject({ pageNumber: 1, pageSize: 50, totalCount: 60 });
    expect(page.clusters).toHaveLength(50);
  });

  it('a loop following page_info sees every one of more than 150 clusters exactly once', async () => {
    const { api, emulator } = await startHarness({ askClusterQuota: 200 });
    for (let i = 0; i < 163; i += 1) {
      await api.createCluster(clusterInput({ name: `many-${i}` }));
    }
    emulator.resetStats();
    const seen: string[] = [];
    const query = { regionId: REGION, profile: 'Serverless' };
    for await (const page of clusterPages(api, query)) {
      seen.push(...page.clusters.map((cluster) => cluster.clusterId));
    }
    expect(seen).toHaveLength(163);
    expect(new Set(seen).size).toBe(163);
    // 50 + 50 + 50 + 13: four pages, no extra call past the end.
    expect(emulator.stats().DescribeClustersV1).toBe(4);
  });
});

describe('ACK emulator: DescribeClusterUserKubeconfig', () => {
  it('answers the public credential when PrivateIpAddress is unset, as ACK defaults to false', async () => {
    const { api, clock } = await startHarness();
    const { clusterId } = await api.createCluster(clusterInput({ endpointPublicAccess: true }));
    clock.advanceSeconds(25);
    const cluster = await api.describeCluster({ clusterId, regionId: REGION });
    const kubeconfig = await api.describeKubeconfig({
      clusterId,
      regionId: REGION,
      temporaryDurationMinutes: 15,
    });
    expect(cluster?.endpoints.internet).toBeDefined();
    expect(kubeconfig.config).toContain(`server: ${cluster?.endpoints.internet}`);
  });

  it('refuses a public credential of a cluster without a public endpoint, naming PrivateIpAddress', async () => {
    const { api, clock } = await startHarness();
    const { clusterId } = await api.createCluster(clusterInput({ endpointPublicAccess: false }));
    clock.advanceSeconds(25);
    const error = await caught(
      api.describeKubeconfig({ clusterId, regionId: REGION, temporaryDurationMinutes: 15 }),
    );
    expect(error.code).toBe('ACK_INVALID_REQUEST');
    expect(error.message).toContain('PrivateIpAddress');
    const cluster = await api.describeCluster({ clusterId, regionId: REGION });
    const intranet = await api.describeKubeconfig({
      clusterId,
      regionId: REGION,
      privateIpAddress: true,
      temporaryDurationMinutes: 15,
    });
    expect(intranet.config).toContain(`server: ${cluster?.endpoints.intranet}`);
  });
});
