import type { StoredNamespace, StoredPod } from './types.js';

/**
 * Objects as the API server writes them in JSON. Timestamps are RFC 3339 in whole seconds, the
 * precision of metav1.Time; resourceVersions are strings. Items inside a list carry no kind or
 * apiVersion, single objects do.
 */

const timestamp = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

const renderNamespace = (namespace: StoredNamespace): Record<string, unknown> => ({
  metadata: {
    name: namespace.name,
    uid: namespace.uid,
    resourceVersion: String(namespace.resourceVersion),
    creationTimestamp: timestamp(namespace.createdAt),
    labels: { 'kubernetes.io/metadata.name': namespace.name },
  },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
});

const containerStatus = (pod: StoredPod, container: StoredPod['containers'][number]) => {
  const running = pod.phase === 'Running';
  return {
    name: container.name,
    image: container.image,
    imageID: '',
    containerID: `containerd://${pod.uid.replaceAll('-', '')}${container.name}`,
    ready: running,
    started: running,
    restartCount: 0,
    state: running
      ? { running: { startedAt: timestamp(pod.startedAt) } }
      : { waiting: { reason: pod.phase === 'Pending' ? 'ContainerCreating' : 'Unknown' } },
  };
};

const renderPod = (pod: StoredPod): Record<string, unknown> => ({
  metadata: {
    name: pod.name,
    ...(pod.generateName === undefined ? {} : { generateName: pod.generateName }),
    namespace: pod.namespace,
    uid: pod.uid,
    resourceVersion: String(pod.resourceVersion),
    creationTimestamp: timestamp(pod.createdAt),
    ...(Object.keys(pod.labels).length === 0 ? {} : { labels: pod.labels }),
    ...(Object.keys(pod.annotations).length === 0 ? {} : { annotations: pod.annotations }),
  },
  spec: {
    containers: pod.containers.map((container) => ({
      name: container.name,
      image: container.image,
      imagePullPolicy: 'IfNotPresent',
      resources: {},
    })),
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: 'default',
    nodeName: pod.nodeName,
    schedulerName: 'default-scheduler',
  },
  status: {
    phase: pod.phase,
    conditions: [
      {
        type: 'Ready',
        status: pod.phase === 'Running' ? 'True' : 'False',
        lastTransitionTime: timestamp(pod.startedAt),
      },
    ],
    hostIP: '192.168.0.1',
    podIP: pod.podIp,
    podIPs: [{ ip: pod.podIp }],
    startTime: timestamp(pod.startedAt),
    containerStatuses: pod.containers.map((container) => containerStatus(pod, container)),
    qosClass: 'BestEffort',
  },
});

const single = (kind: string, body: Record<string, unknown>): Record<string, unknown> => ({
  kind,
  apiVersion: 'v1',
  ...body,
});

interface ListMeta {
  resourceVersion: number;
  continueToken?: string | undefined;
  remainingItemCount?: number | undefined;
}

const renderList = (
  kind: string,
  items: Record<string, unknown>[],
  meta: ListMeta,
): Record<string, unknown> => ({
  kind,
  apiVersion: 'v1',
  metadata: {
    resourceVersion: String(meta.resourceVersion),
    ...(meta.continueToken === undefined ? {} : { continue: meta.continueToken }),
    ...(meta.remainingItemCount === undefined
      ? {}
      : { remainingItemCount: meta.remainingItemCount }),
  },
  items,
});

export { renderList, renderNamespace, renderPod, single, timestamp };
