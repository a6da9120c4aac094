/**
 * The WorkloadInspector port: what runs in a cluster, read through its Kubernetes API with a
 * short-lived kubeconfig (ACK's DescribeClusterUserKubeconfig). The janitor uses it for the idle
 * policy: "a cluster is idle when no pod outside the system namespaces has run for idleAfter".
 *
 * A report is a snapshot, not a verdict: the janitor decides. A cluster is busy while
 * `activeWorkloadPods > 0` (a pod that has been running for a week is activity now, however old
 * its start); otherwise it has been idle since `lastActivityAt` (or, when that is null, since it
 * became running).
 */

/**
 * Namespaces Kubernetes itself owns. ACK add-ons may install into namespaces of their own (ARMS
 * Prometheus uses `arms-prom`, for one; which ones depends on the add-ons a cluster was created
 * with), so callers that install add-ons pass their own list: `systemNamespaces` replaces this
 * default, so spread it when extending it.
 */
const DEFAULT_SYSTEM_NAMESPACES: readonly string[] = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

interface WorkloadInspectInput {
  /** The kubeconfig YAML. A credential: never logged, never put into an error. */
  kubeconfig: string;
  /** Pods in these namespaces are not workload (default DEFAULT_SYSTEM_NAMESPACES). */
  systemNamespaces?: readonly string[];
}

interface WorkloadReport {
  /** Pods outside the system namespaces, in any phase (finished Job pods included). */
  workloadPods: number;
  /** Of those, the ones not finished (phase other than Succeeded and Failed): busy now. */
  activeWorkloadPods: number;
  /** Pods inside the system namespaces. */
  systemPods: number;
  /**
   * The newest creationTimestamp, startTime or container finishedAt among workload pods; null
   * when there are none. Kubernetes keeps these to the second.
   */
  lastActivityAt: Date | null;
  /** The namespaces that hold workload pods, sorted. */
  namespaces: string[];
}

interface WorkloadInspector {
  /**
   * Throws DomainError: KUBE_UNAUTHORIZED (401/403, not retryable: get a new kubeconfig),
   * KUBE_UNAVAILABLE (retryable for 5xx, 429, network faults and timeouts; not for TLS or other
   * client errors), VALIDATION_FAILED with field `kubeconfig` for one that cannot be used.
   */
  inspect(input: WorkloadInspectInput): Promise<WorkloadReport>;
}

export type { WorkloadInspectInput, WorkloadInspector, WorkloadReport };
export { DEFAULT_SYSTEM_NAMESPACES };
