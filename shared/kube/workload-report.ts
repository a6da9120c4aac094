import type { WorkloadReport } from './workload-inspector.port.js';

/**
 * From a pod list to a WorkloadReport: pure, so every rule is unit-tested without a cluster.
 * `PodFacts` is the part of client-node's V1Pod the rules read (V1Pod is assignable to it), kept
 * structural so this file does not depend on the SDK.
 */

interface PodFacts {
  metadata?: { namespace?: string; creationTimestamp?: Date };
  status?: {
    phase?: string;
    startTime?: Date;
    containerStatuses?: { state?: { terminated?: { finishedAt?: Date } } }[];
  };
}

const FINISHED_PHASES = new Set(['Succeeded', 'Failed']);

const validTime = (value: Date | undefined): number | undefined => {
  if (!(value instanceof Date)) return undefined;
  const time = value.getTime();
  return Number.isNaN(time) ? undefined : time;
};

/** The newest moment a pod is known to have been doing something. */
const lastSignOfLife = (pod: PodFacts): number | undefined => {
  const times = [
    validTime(pod.metadata?.creationTimestamp),
    validTime(pod.status?.startTime),
    ...(pod.status?.containerStatuses ?? []).map((status) =>
      validTime(status.state?.terminated?.finishedAt),
    ),
  ].filter((time): time is number => time !== undefined);
  return times.length === 0 ? undefined : Math.max(...times);
};

/**
 * A pod with no namespace (never the case on a real API server) counts as workload: a wrong
 * "busy" costs a day of idle cluster, a wrong "idle" deletes someone's work.
 */
const computeWorkloadReport = (
  pods: readonly PodFacts[],
  systemNamespaces: readonly string[],
): WorkloadReport => {
  const system = new Set(systemNamespaces);
  const namespaces = new Set<string>();
  let workloadPods = 0;
  let activeWorkloadPods = 0;
  let systemPods = 0;
  let newest: number | undefined;
  for (const pod of pods) {
    const namespace = pod.metadata?.namespace;
    if (namespace !== undefined && system.has(namespace)) {
      systemPods += 1;
      continue;
    }
    workloadPods += 1;
    if (namespace !== undefined && namespace !== '') namespaces.add(namespace);
    // A pod with no phase yet has just been accepted: about to run, so active.
    if (!FINISHED_PHASES.has(pod.status?.phase ?? '')) activeWorkloadPods += 1;
    const seen = lastSignOfLife(pod);
    if (seen !== undefined && (newest === undefined || seen > newest)) newest = seen;
  }
  return {
    workloadPods,
    activeWorkloadPods,
    systemPods,
    lastActivityAt: newest === undefined ? null : new Date(newest),
    namespaces: [...namespaces].sort(),
  };
};

export type { PodFacts };
export { computeWorkloadReport };
