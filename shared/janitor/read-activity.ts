import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { ActivityFacts } from '../domain/janitor-policy.js';
import type { Provision } from '../domain/provision.js';
import { containerGroupReport } from '../eci/container-group-activity.js';
import type { ContainerGroupLister } from '../eci/container-groups.port.js';
import { EciError } from '../eci/eci-error.js';
import { KubeError } from '../kube/kube-error.js';
import type { WorkloadInspector } from '../kube/workload-inspector.port.js';
import { DEFAULT_SYSTEM_NAMESPACES } from '../kube/workload-inspector.port.js';
import type { ActivitySource } from './activity-source.js';

/** ACK's shortest credential: the janitor only lists pods once. */
const KUBECONFIG_MINUTES = 15;

interface ActivityDeps {
  clusterApi: ClusterApi;
  /** Loaded on first use: most runs never read a cluster's pods. */
  inspector: () => Promise<WorkloadInspector>;
  /** ECI's view of the pods; absent, only the Kubernetes API is read. */
  containerGroups?: (() => Promise<ContainerGroupLister>) | undefined;
}

interface ActivityInput {
  provision: Provision;
  clusterId: string;
  systemNamespaces: readonly string[];
  source?: ActivitySource | undefined;
}

/**
 * Through the Kubernetes API: a kubeconfig that lives 15 minutes (DescribeClusterUserKubeconfig,
 * intranet address unless the API server is public), one pod listing through it. The kubeconfig
 * is a credential: it stays in this function's scope, is never stored, logged or put into an
 * error (the inspector's errors never quote it).
 */
const readKubeActivity = async (
  deps: ActivityDeps,
  input: ActivityInput,
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

/** The cluster's VPC and vSwitches: the spec's own network, else what ACK says it created. */
const networkOf = async (
  deps: ActivityDeps,
  input: ActivityInput,
): Promise<{ vpcId: string | null; vswitchIds: string[] }> => {
  const { network } = input.provision.spec;
  if (network !== 'auto') return { vpcId: network.vpcId, vswitchIds: [...network.vswitchIds] };
  const cluster = await deps.clusterApi.describeCluster({
    clusterId: input.clusterId,
    regionId: input.provision.region,
  });
  return { vpcId: cluster?.vpcId ?? null, vswitchIds: cluster?.vswitchIds ?? [] };
};

/**
 * Through ECI: every container group in the cluster's vSwitches (DescribeContainerGroups'
 * `VSwitchId` filter, one listing per vSwitch), those of another VPC left out. A cluster whose
 * vSwitches ACK does not name is "unknown", never "no pods".
 */
const readEciActivity = async (
  deps: ActivityDeps,
  lister: () => Promise<ContainerGroupLister>,
  input: ActivityInput,
): Promise<ActivityFacts> => {
  const { vpcId, vswitchIds } = await networkOf(deps, input);
  if (vswitchIds.length === 0) {
    throw new EciError(`ACK names no vSwitch for cluster ${input.clusterId}`, {
      action: 'DescribeContainerGroups',
      retryable: false,
    });
  }
  const containerGroups = await lister();
  const groups = [];
  for (const vSwitchId of vswitchIds) {
    groups.push(...(await containerGroups.list({ regionId: input.provision.region, vSwitchId })));
  }
  const report = containerGroupReport(groups, {
    vpcId,
    systemNamespaces: [...DEFAULT_SYSTEM_NAMESPACES, ...input.systemNamespaces],
  });
  return { activeWorkloadPods: report.activeWorkloadPods, lastActivityAt: report.lastActivityAt };
};

/** No answer from the API server (not a refusal): the case ECI can stand in for. */
const unreachable = (error: unknown): boolean =>
  error instanceof KubeError &&
  (error.failure === 'network' || error.failure === 'timeout' || error.failure === 'tls');

/**
 * Reads whether the provision's cluster is busy, from the source the configuration and the
 * cluster's network call for. Throws when it cannot tell: the janitor then skips the idle
 * policy for this run ("activity-unknown") and never deletes on it.
 */
const readActivity = async (deps: ActivityDeps, input: ActivityInput): Promise<ActivityFacts> => {
  const source = input.source ?? 'auto';
  const lister = deps.containerGroups;
  if (lister === undefined || source === 'kube') return readKubeActivity(deps, input);
  if (source === 'eci' || input.provision.spec.network === 'auto') {
    return readEciActivity(deps, lister, input);
  }
  try {
    return await readKubeActivity(deps, input);
  } catch (error) {
    if (!unreachable(error)) throw error;
    // A given network the service is not attached to. Other clusters sharing its vSwitches
    // count as activity here: a wrong "busy" is the safe way to be wrong.
    return readEciActivity(deps, lister, input);
  }
};

export type { ActivityDeps, ActivityInput };
export { KUBECONFIG_MINUTES, readActivity };
