/**
 * What the emulated Kubernetes API keeps per cluster. Times are epoch milliseconds of the
 * emulator's (injectable) clock; the wire format (RFC 3339, whole seconds) is made in render.ts.
 */

interface StoredNamespace {
  name: string;
  uid: string;
  createdAt: number;
  resourceVersion: number;
}

interface StoredContainer {
  name: string;
  image: string;
}

interface StoredPod {
  namespace: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generateName?: string | undefined;
  containers: StoredContainer[];
  nodeName: string;
  podIp: string;
  /** Pods the API creates are Running at once: ASK starts them on ECI, no scheduling wait here. */
  phase: string;
  createdAt: number;
  startedAt: number;
  resourceVersion: number;
}

interface StoredCluster {
  clusterId: string;
  registeredAt: number;
  /** Set by removeCluster: the API server is gone, every request answers 503. */
  removedAt: number | null;
  /** The cluster's etcd revision: every write takes the next one, as resourceVersion. */
  revision: number;
  namespaces: StoredNamespace[];
  pods: StoredPod[];
}

/** A bearer token. Only its SHA-256 is kept, so the state file cannot be used to log in. */
interface StoredToken {
  sha256: string;
  clusterId: string;
  user: string;
  expiresAt: number;
}

/** The CA the kubeconfigs carry and the serving certificate it signed, all PEM. */
interface TlsMaterial {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
}

interface KubeState {
  tls: TlsMaterial;
  clusters: StoredCluster[];
  tokens: StoredToken[];
}

export type {
  KubeState,
  StoredCluster,
  StoredContainer,
  StoredNamespace,
  StoredPod,
  StoredToken,
  TlsMaterial,
};
