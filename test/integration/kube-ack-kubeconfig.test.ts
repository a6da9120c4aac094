import { afterEach, describe, expect, it } from 'vitest';
import { EMULATED_NETWORKS } from '../../emulator/ack/ack-emulator.js';
import { kubeconfigProviderFor, startKubeEmulator } from '../../emulator/kube/kube-emulator.js';
import { createClientNodeInspector } from '../../shared/kube/client-node-inspector.js';
import { adapterFor, newClock, REGION, startEmulator } from './ack-harness.js';

/**
 * The whole path the janitor takes: the ACK adapter (real cs20151215 SDK) asks the ACK emulator
 * for a running cluster's kubeconfig, the emulator gets it from the Kubernetes emulator through
 * `kubeconfigProviderFor`, and the inspector (real client-node) reads that cluster's pods.
 */

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('ACK DescribeClusterUserKubeconfig wired to the Kubernetes emulator', () => {
  it('client-node, given the kubeconfig ACK returns for a running cluster, lists the pods a test created there', async () => {
    const clock = newClock();
    const kube = await startKubeEmulator({ now: clock.now });
    closers.push(() => kube.close());
    const { emulator: ack } = await startEmulator(
      { kubeconfigFor: kubeconfigProviderFor(kube) },
      clock,
    );
    const { api } = adapterFor(ack);
    const network = EMULATED_NETWORKS.find((candidate) => candidate.regionId === REGION);
    const { clusterId } = await api.createCluster({
      name: 'kube-wiring-0001',
      regionId: REGION,
      vpcId: network?.vpcId ?? 'vpc-emuhz01',
      vswitchIds: network?.vswitches.map((vswitch) => vswitch.vswitchId) ?? [],
      serviceCidr: '172.21.0.0/20',
      endpointPublicAccess: false,
      snatEntry: false,
      clusterSpec: 'ack.standard',
      addons: [],
      tags: {},
      deletionProtection: false,
    });
    clock.advanceSeconds(60);

    const issued = await api.describeKubeconfig({
      clusterId,
      regionId: REGION,
      privateIpAddress: true,
      temporaryDurationMinutes: 30,
    });
    expect(issued.config).toContain(kube.serverUrlFor(clusterId));
    expect(issued.expiration.getTime()).toBe(clock.now() + 30 * 60_000);

    kube.createPod(clusterId, { namespace: 'ci', name: 'runner-1' });
    const report = await createClientNodeInspector().inspect({ kubeconfig: issued.config });
    expect(report).toMatchObject({ workloadPods: 1, systemPods: 2, namespaces: ['ci'] });
  });
});
