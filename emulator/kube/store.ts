import { randomUUID } from 'node:crypto';
import { kubeErrors } from './errors.js';
import { INITIAL_NAMESPACES, randomSuffix, systemPods, VIRTUAL_NODE } from './system-pods.js';
import type { KubeState, StoredCluster, StoredNamespace, StoredPod, StoredToken } from './types.js';

/**
 * Every emulated cluster's objects and the tokens that open them, in memory, handed to `persist`
 * after every change. Methods that a request reaches throw KubeStatusErrors, so the router can
 * answer them as the API server would.
 */

interface NewPod {
  namespace: string;
  name?: string | undefined;
  generateName?: string | undefined;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  containers: { name: string; image: string }[];
  phase?: string | undefined;
}

/** Expired tokens are kept this long (for a clear 401 story in the state file), then dropped. */
const TOKEN_RETENTION_MS = 24 * 60 * 60 * 1000;

const podKey = (pod: { namespace: string; name: string }): string => `${pod.namespace}/${pod.name}`;

const byKey = (a: StoredPod, b: StoredPod): number =>
  podKey(a) < podKey(b) ? -1 : podKey(a) > podKey(b) ? 1 : 0;

class KubeStore {
  public constructor(
    private readonly state: KubeState,
    private readonly persist: (state: KubeState) => void,
    private readonly now: () => number,
  ) {}

  public get tls(): KubeState['tls'] {
    return this.state.tls;
  }

  public allClusters(): readonly StoredCluster[] {
    return this.state.clusters;
  }

  public cluster(clusterId: string): StoredCluster | undefined {
    return this.state.clusters.find((cluster) => cluster.clusterId === clusterId);
  }

  /** A cluster whose API server answers: registered and not removed. */
  public liveCluster(clusterId: string): StoredCluster | undefined {
    const cluster = this.cluster(clusterId);
    return cluster === undefined || cluster.removedAt !== null ? undefined : cluster;
  }

  /** Idempotent. ACK never reuses a cluster id, so bringing a removed one back is a bug. */
  public registerCluster(clusterId: string): StoredCluster {
    const existing = this.cluster(clusterId);
    if (existing !== undefined) {
      if (existing.removedAt !== null) {
        throw new Error(`cluster ${clusterId} was removed; cluster ids are never reused`);
      }
      return existing;
    }
    const at = this.now();
    const cluster: StoredCluster = {
      clusterId,
      registeredAt: at,
      removedAt: null,
      revision: 1,
      namespaces: [],
      pods: [],
    };
    for (const name of INITIAL_NAMESPACES) this.addNamespace(cluster, name);
    for (const seed of systemPods()) this.addPod(cluster, seed);
    this.state.clusters.push(cluster);
    this.persist(this.state);
    return cluster;
  }

  /** The API server goes away; its tokens with it. Unknown ids leave a tombstone too. */
  public removeCluster(clusterId: string): void {
    const cluster = this.cluster(clusterId) ?? this.registerCluster(clusterId);
    if (cluster.removedAt === null) cluster.removedAt = this.now();
    this.state.tokens = this.state.tokens.filter((token) => token.clusterId !== clusterId);
    this.persist(this.state);
  }

  public addToken(token: StoredToken): void {
    const horizon = this.now() - TOKEN_RETENTION_MS;
    this.state.tokens = this.state.tokens.filter((kept) => kept.expiresAt > horizon);
    this.state.tokens.push(token);
    this.persist(this.state);
  }

  public findToken(sha256: string): StoredToken | undefined {
    return this.state.tokens.find((token) => token.sha256 === sha256);
  }

  public createNamespace(cluster: StoredCluster, name: string): StoredNamespace {
    if (cluster.namespaces.some((namespace) => namespace.name === name)) {
      throw kubeErrors.alreadyExists('namespaces', name);
    }
    const namespace = this.addNamespace(cluster, name);
    this.persist(this.state);
    return namespace;
  }

  public namespace(cluster: StoredCluster, name: string): StoredNamespace {
    const found = cluster.namespaces.find((namespace) => namespace.name === name);
    if (found === undefined) throw kubeErrors.notFound('namespaces', name);
    return found;
  }

  /**
   * Through the API the namespace must exist (as on a real cluster); the test helper passes
   * `createNamespace` so a test can drop a pod anywhere in one call.
   */
  public createPod(cluster: StoredCluster, input: NewPod, createNamespace = false): StoredPod {
    if (!cluster.namespaces.some((namespace) => namespace.name === input.namespace)) {
      if (!createNamespace) throw kubeErrors.notFound('namespaces', input.namespace);
      this.addNamespace(cluster, input.namespace);
    }
    const name = input.name ?? `${input.generateName ?? 'pod-'}${randomSuffix(5)}`;
    if (cluster.pods.some((pod) => pod.namespace === input.namespace && pod.name === name)) {
      throw kubeErrors.alreadyExists('pods', name);
    }
    const pod = this.addPod(cluster, { ...input, name });
    this.persist(this.state);
    return pod;
  }

  public pod(cluster: StoredCluster, namespace: string, name: string): StoredPod {
    const found = cluster.pods.find((pod) => pod.namespace === namespace && pod.name === name);
    if (found === undefined) throw kubeErrors.notFound('pods', name);
    return found;
  }

  /** Deletion is immediate: the emulator has no graceful termination period. */
  public deletePod(cluster: StoredCluster, namespace: string, name: string): StoredPod {
    const pod = this.pod(cluster, namespace, name);
    cluster.pods = cluster.pods.filter((kept) => kept !== pod);
    cluster.revision += 1;
    this.persist(this.state);
    return pod;
  }

  /** Sorted by namespace/name: the order real list calls return and `continue` relies on. */
  public pods(cluster: StoredCluster, namespace?: string): StoredPod[] {
    return cluster.pods
      .filter((pod) => namespace === undefined || pod.namespace === namespace)
      .sort(byKey);
  }

  private addNamespace(cluster: StoredCluster, name: string): StoredNamespace {
    cluster.revision += 1;
    const namespace: StoredNamespace = {
      name,
      uid: randomUUID(),
      createdAt: this.now(),
      resourceVersion: cluster.revision,
    };
    cluster.namespaces.push(namespace);
    return namespace;
  }

  private addPod(cluster: StoredCluster, input: NewPod & { name: string }): StoredPod {
    cluster.revision += 1;
    const at = this.now();
    const pod: StoredPod = {
      namespace: input.namespace,
      name: input.name,
      uid: randomUUID(),
      labels: { ...input.labels },
      annotations: { ...input.annotations },
      generateName: input.generateName,
      containers: input.containers.map((container) => ({ ...container })),
      nodeName: VIRTUAL_NODE,
      podIp: `10.0.${(cluster.revision >> 8) & 255}.${cluster.revision & 255}`,
      phase: input.phase ?? 'Running',
      createdAt: at,
      startedAt: at,
      resourceVersion: cluster.revision,
    };
    cluster.pods.push(pod);
    return pod;
  }
}

export type { NewPod };
export { KubeStore, podKey };
