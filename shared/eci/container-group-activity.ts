import type { WorkloadReport } from '../kube/workload-inspector.port.js';
import { computeWorkloadReport, type PodFacts } from '../kube/workload-report.js';
import type { ContainerGroupFacts } from './container-groups.port.js';

/**
 * From ECI container groups to the same WorkloadReport the Kubernetes view gives, pure: each
 * group becomes the PodFacts of its pod and `computeWorkloadReport` applies the very rules of
 * the kube path, so the two views of one cluster decide alike.
 *
 * - Finished: ECI's final statuses are Succeeded, Failed and Expired (DescribeContainerGroups,
 *   "the metadata of an instance in the final status (Failed, Succeeded, or Expired)"), and
 *   ScheduleFailed never ran; every other status (Pending, Scheduling, Running, Restarting,
 *   Updating, Terminating) is a pod still there, so active.
 * - Namespace: read from the group's tags. UNVERIFIED which tag ACK Serverless writes; the
 *   virtual-kubelet Alibaba Cloud provider tags each group `NameSpace`, `PodName` and
 *   `ClusterName` (virtual-kubelet, providers/alibabacloud/eci.go, CreatePod). A group without
 *   a namespace tag counts as workload, as a pod without a namespace does: a wrong "busy" costs a
 *   day of idle cluster, a wrong "idle" deletes someone's work.
 * - Times: creation, container starts and finishes, and ECI's SucceededTime/FailedTime are the
 *   signs of life, like a pod's creation, start and container finish.
 */

const NAMESPACE_TAG_KEYS = ['NameSpace', 'k8s.aliyun.com/namespace', 'namespace'] as const;

const FINISHED_STATUSES: Readonly<Record<string, 'Succeeded' | 'Failed'>> = {
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Expired: 'Failed',
  ScheduleFailed: 'Failed',
};

const namespaceOf = (tags: Readonly<Record<string, string>>): string | undefined => {
  for (const key of NAMESPACE_TAG_KEYS) {
    const value = tags[key];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
};

const newest = (times: readonly Date[]): Date | undefined =>
  times.length === 0 ? undefined : new Date(Math.max(...times.map((time) => time.getTime())));

const toPodFacts = (group: ContainerGroupFacts): PodFacts => {
  const namespace = namespaceOf(group.tags);
  const finishes = [
    ...group.containerFinishTimes,
    ...(group.succeededTime ? [group.succeededTime] : []),
    ...(group.failedTime ? [group.failedTime] : []),
  ];
  const startTime = newest(group.containerStartTimes);
  return {
    metadata: {
      ...(namespace === undefined ? {} : { namespace }),
      ...(group.creationTime ? { creationTimestamp: group.creationTime } : {}),
    },
    status: {
      phase: FINISHED_STATUSES[group.status] ?? 'Running',
      ...(startTime === undefined ? {} : { startTime }),
      containerStatuses: finishes.map((finishedAt) => ({ state: { terminated: { finishedAt } } })),
    },
  };
};

/**
 * The report for one cluster from the groups of its vSwitches. Groups are counted once (a group
 * listed under two vSwitches is one pod), and a group that names another VPC than the cluster's
 * is not the cluster's.
 */
const containerGroupReport = (
  groups: readonly ContainerGroupFacts[],
  input: { vpcId: string | null; systemNamespaces: readonly string[] },
): WorkloadReport => {
  const seen = new Set<string>();
  const pods: PodFacts[] = [];
  for (const group of groups) {
    if (seen.has(group.containerGroupId)) continue;
    seen.add(group.containerGroupId);
    if (input.vpcId !== null && group.vpcId !== null && group.vpcId !== input.vpcId) continue;
    pods.push(toPodFacts(group));
  }
  return computeWorkloadReport(pods, input.systemNamespaces);
};

export { containerGroupReport, NAMESPACE_TAG_KEYS };
