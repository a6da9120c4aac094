import { randomBytes } from 'node:crypto';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { FaultQueue, type KubeFault } from './faults.js';
import { renderKubeconfig } from './kubeconfig.js';
import { createKubeListener, sha256 } from './listener.js';
import { loadKubeState, saveKubeState } from './state-file.js';
import { KubeStore } from './store.js';
import { generateTlsMaterial } from './tls.js';
import type { KubeState, StoredPod } from './types.js';

/**
 * One HTTPS server that plays the Kubernetes API servers of many emulated ACK clusters, told apart
 * by path: cluster `c1` lives at `https://127.0.0.1:<port>/clusters/c1`, the `server:` of its
 * kubeconfig (@kubernetes/client-node keeps a path in the server URL and appends `/api/v1/...`).
 * Tokens are bound to one cluster as well, so a kubeconfig for A is refused (401) on B.
 *
 * This file starts the server and offers the helpers tests use; listener.ts authenticates and
 * routes; handlers.ts answers; store.ts holds the state; state-file.ts keeps it across restarts.
 */

interface KubeEmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. Kubeconfigs name the port, so keep it fixed across restarts. */
  port?: number;
  /** The clock token expiry and pod times follow (default Date.now). */
  now?: () => number;
  /** JSON file holding the CA, clusters, pods and token hashes; loaded at start. */
  stateFile?: string;
  /** What GET /version reports (default v1.33.1-aliyun.1). */
  kubernetesVersion?: string;
  /** Consulted on every request; false answers 503, as for a removed cluster. */
  isApiServerUp?: (clusterId: string) => boolean;
}

interface IssueKubeconfigInput {
  clusterId: string;
  /** Accepted for parity with ACK; its kubeconfigs name the cluster `kubernetes` regardless. */
  clusterName?: string;
  durationMinutes: number;
  /** The kubeconfig's user name (default kubernetes-admin). Every token is cluster-admin. */
  user?: string;
}

interface IssuedKubeconfig {
  config: string;
  expiration: Date;
}

interface EmulatedPod {
  namespace: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
  phase: string;
  createdAt: Date;
  startedAt: Date;
}

interface CreatePodInput {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  image?: string;
  /** Default Running. */
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
}

interface KubeEmulator {
  /** `https://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The CA (PEM) every kubeconfig carries. */
  caCertPem: string;
  /** A cluster's API server URL, the `server:` of its kubeconfig. */
  serverUrlFor(clusterId: string): string;
  close(): Promise<void>;
  /** Idempotent. Throws for a removed cluster: ACK never reuses ids. */
  registerCluster(clusterId: string): void;
  /** The API server is gone: every request to it then answers 503 ServiceUnavailable. */
  removeCluster(clusterId: string): void;
  issueKubeconfig(input: IssueKubeconfigInput): IssuedKubeconfig;
  /** Test helper: creates the namespace too when it is missing. */
  createPod(clusterId: string, input: CreatePodInput): EmulatedPod;
  deletePod(clusterId: string, namespace: string, name: string): void;
  listPods(clusterId: string): EmulatedPod[];
  /** Requests per operation, e.g. `{ listPods: 2, 'error:Unauthorized': 1 }`. */
  stats(): Record<string, number>;
  resetStats(): void;
  injectFault(fault: KubeFault): void;
  clearFaults(): void;
}

const DEFAULT_IMAGE = 'registry.cn-hangzhou.aliyuncs.com/acs/pause:3.9';

const toEmulatedPod = (pod: StoredPod): EmulatedPod => ({
  namespace: pod.namespace,
  name: pod.name,
  uid: pod.uid,
  labels: { ...pod.labels },
  phase: pod.phase,
  createdAt: new Date(pod.createdAt),
  startedAt: new Date(pod.startedAt),
});

const loadOrCreateState = async (stateFile: string | undefined): Promise<KubeState> => {
  const loaded = stateFile === undefined ? undefined : loadKubeState(stateFile);
  return loaded ?? { tls: await generateTlsMaterial(), clusters: [], tokens: [] };
};

const startKubeEmulator = async (options: KubeEmulatorOptions = {}): Promise<KubeEmulator> => {
  const now = options.now ?? Date.now;
  const { stateFile } = options;
  const persist = (state: KubeState) => {
    if (stateFile !== undefined) saveKubeState(stateFile, state);
  };
  const state = await loadOrCreateState(stateFile);
  // Written at once, so the CA is kept even if nothing else happens before a restart.
  persist(state);
  const store = new KubeStore(state, persist, now);
  const stats = new Map<string, number>();
  const faults = new FaultQueue();
  const server = createServer(
    { key: state.tls.serverKey, cert: state.tls.serverCert },
    createKubeListener({
      context: { store, kubernetesVersion: options.kubernetesVersion ?? 'v1.33.1-aliyun.1' },
      now,
      faults,
      count: (operation) => stats.set(operation, (stats.get(operation) ?? 0) + 1),
      isApiServerUp: options.isApiServerUp ?? (() => true),
    }),
  );

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // Listening on every interface: clients still connect through loopback (the certificate's SAN).
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `https://${reachable}:${port}`;
  const serverUrlFor = (clusterId: string) => `${url}/clusters/${encodeURIComponent(clusterId)}`;

  const liveCluster = (clusterId: string) => {
    const cluster = store.liveCluster(clusterId);
    if (cluster === undefined) throw new Error(`no live emulated cluster ${clusterId}`);
    return cluster;
  };

  let closed = false;
  return {
    url,
    port,
    caCertPem: state.tls.caCert,
    serverUrlFor,
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Clients keep connections alive; without this close() would wait for them to idle out.
        server.closeAllConnections();
      });
    },
    registerCluster: (clusterId) => {
      store.registerCluster(clusterId);
    },
    removeCluster: (clusterId) => store.removeCluster(clusterId),
    issueKubeconfig: (input) => {
      if (!Number.isFinite(input.durationMinutes) || input.durationMinutes <= 0) {
        throw new Error(`durationMinutes must be a positive number, got ${input.durationMinutes}`);
      }
      liveCluster(input.clusterId);
      const token = randomBytes(32).toString('base64url');
      const user = input.user ?? 'kubernetes-admin';
      const expiresAt = now() + input.durationMinutes * 60_000;
      store.addToken({ sha256: sha256(token), clusterId: input.clusterId, user, expiresAt });
      const config = renderKubeconfig({
        server: serverUrlFor(input.clusterId),
        caCertPem: state.tls.caCert,
        clusterId: input.clusterId,
        user,
        token,
      });
      return { config, expiration: new Date(expiresAt) };
    },
    createPod: (clusterId, input) =>
      toEmulatedPod(
        store.createPod(
          liveCluster(clusterId),
          {
            namespace: input.namespace,
            name: input.name,
            labels: input.labels,
            containers: [{ name: 'main', image: input.image ?? DEFAULT_IMAGE }],
            phase: input.phase,
          },
          true,
        ),
      ),
    deletePod: (clusterId, namespace, name) => {
      store.deletePod(liveCluster(clusterId), namespace, name);
    },
    listPods: (clusterId) => store.pods(liveCluster(clusterId)).map(toEmulatedPod),
    stats: () => Object.fromEntries(stats),
    resetStats: () => stats.clear(),
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
  };
};

interface KubeconfigRequest {
  clusterId: string;
  clusterName: string;
  durationMinutes: number;
  /** ACK's PrivateIpAddress flag; the emulator has one address, so it changes nothing. */
  privateIp?: boolean;
}

/**
 * The `kubeconfigFor` hook for the ACK emulator's DescribeClusterUserKubeconfig: registers the
 * cluster on first use (a running ACK cluster has an API server), then issues a kubeconfig.
 * `user` names the kubeconfig's user, e.g. the RAM user id ACK puts there.
 */
const kubeconfigProviderFor =
  (kube: KubeEmulator, options: { user?: string } = {}) =>
  async (input: KubeconfigRequest): Promise<IssuedKubeconfig> => {
    kube.registerCluster(input.clusterId);
    return kube.issueKubeconfig({
      clusterId: input.clusterId,
      clusterName: input.clusterName,
      durationMinutes: input.durationMinutes,
      ...(options.user === undefined ? {} : { user: options.user }),
    });
  };

export type {
  CreatePodInput,
  EmulatedPod,
  IssuedKubeconfig,
  IssueKubeconfigInput,
  KubeconfigRequest,
  KubeEmulator,
  KubeEmulatorOptions,
  KubeFault,
};
export { kubeconfigProviderFor, startKubeEmulator };
