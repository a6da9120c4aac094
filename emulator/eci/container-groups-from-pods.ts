import { createHash } from 'node:crypto';
import type { AckEmulator } from '../ack/ack-emulator.js';
import type { EmulatedPod, KubeEmulator } from '../kube/kube-emulator.js';
import type { EmulatedContainerGroup } from './eci-emulator.js';

/**
 * The ECI emulator's container groups, derived from the other emulators: every pod the
 * Kubernetes emulator holds for a cluster of the ACK emulator is one container group in that
 * cluster's VPC and first vSwitch ("each elastic container instance is a pod", ACK Serverless
 * docs), so the janitor's two views of a cluster agree by construction.
 *
 * Tags: `NameSpace`, `PodName`, `UID` and `ClusterName`, as the virtual-kubelet Alibaba Cloud
 * provider writes them (virtual-kubelet, providers/alibabacloud/eci.go, CreatePod). UNVERIFIED
 * that ACK Serverless's own virtual node writes the same keys (docs/emulator.md).
 */

const PHASE_TO_STATUS: Readonly<Record<string, string>> = {
  Pending: 'Pending',
  Running: 'Running',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
};

/** `eci-` and 17 lowercase alphanumerics, like ECI's ids; stable per pod. */
const containerGroupIdOf = (uid: string): string =>
  `eci-${createHash('sha256').update(uid).digest('hex').slice(0, 17)}`;

const toGroup = (
  cluster: ReturnType<AckEmulator['listAllClusters']>[number],
  pod: EmulatedPod,
): EmulatedContainerGroup => {
  const status = PHASE_TO_STATUS[pod.phase] ?? 'Pending';
  return {
    containerGroupId: containerGroupIdOf(pod.uid),
    // ECI names are at most 128 characters.
    containerGroupName: `${pod.namespace}-${pod.name}`.slice(0, 128),
    regionId: cluster.regionId,
    zoneId: cluster.zoneId,
    vpcId: cluster.vpcId,
    vSwitchId: cluster.vswitchIds[0] ?? '',
    status,
    tags: { ClusterName: cluster.name, NameSpace: pod.namespace, PodName: pod.name, UID: pod.uid },
    image: 'registry.cn-hangzhou.aliyuncs.com/acs/pause:3.9',
    createdAt: pod.createdAt.getTime(),
    startedAt: status === 'Pending' ? null : pod.startedAt.getTime(),
    // The Kubernetes emulator keeps no finish time: neither view shows one.
    finishedAt: null,
  };
};

const containerGroupsFromPods =
  (ack: Pick<AckEmulator, 'listAllClusters'>, kube: Pick<KubeEmulator, 'listPods'>) =>
  (): EmulatedContainerGroup[] =>
    ack
      .listAllClusters()
      .filter((cluster) => cluster.state !== 'deleted')
      .flatMap((cluster) => {
        let pods: EmulatedPod[];
        try {
          pods = kube.listPods(cluster.clusterId);
        } catch {
          // No API server registered yet (or it is gone): no pods.
          pods = [];
        }
        return pods.map((pod) => toGroup(cluster, pod));
      });

export { containerGroupIdOf, containerGroupsFromPods };
