import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { ActivityFacts } from '../domain/janitor-policy.js';
import type { Provision } from '../domain/provision.js';
import type { WorkloadInspector } from '../kube/workload-inspector.port.js';
import { DEFAULT_SYSTEM_NAMESPACES } from '../kube/workload-inspector.port.js';

/** ACK's shortest credential: the janitor only lists pods once. */
const KUBECONFIG_MINUTES = 15;

interface ActivityDeps {
  clusterApi: ClusterApi;
  /** Loaded on first use: most runs never read a cluster's pods. */
  inspector: () => Promise<WorkloadInspector>;
}

/**
 * Reads whether the provision's cluster is busy: a kubeconfig that lives 15 minutes
 * (DescribeClusterUserKubeconfig, intranet address unless the API server is public), one pod
 * listing through it. The kubeconfig is a credential: it stays in this function's scope, is
 * never stored, logged or put into an error (the inspector's errors never quote it).
 */
const readActivity = async (
  deps: ActivityDeps,
  input: { provision: Provision; clusterId: string; systemNamespaces: readonly string[] },
): Promise<ActivityFacts> => {
  const issued = await deps.clusterApi.describeKubeconfig({
    clusterId: input.clusterId,
    regionId: input.provision.region,
    privateIpAddress: !input.provision.spec.endpointPublicAccess,
    temporaryDurationMinutes: KUBECONFIG_MINUTES,
  });
  const inspector = await deps.inspector();
  const report = await inspector.inspect({
    kubeconfig: issued.config,
    systemNamespaces: [...DEFAULT_SYSTEM_NAMESPACES, ...input.systemNamespaces],
  });
  return { activeWorkloadPods: report.activeWorkloadPods, lastActivityAt: report.lastActivityAt };
};

export type { ActivityDeps };
export { KUBECONFIG_MINUTES, readActivity };
