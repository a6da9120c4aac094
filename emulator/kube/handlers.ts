import { parseNamespaceBody, parsePodBody } from './bodies.js';
import { kubeErrors } from './errors.js';
import { paginate } from './paging.js';
import { renderList, renderNamespace, renderPod, single } from './render.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { type KubeStore, podKey } from './store.js';
import type { StoredCluster, StoredNamespace, StoredPod } from './types.js';

/**
 * The Kubernetes API paths the emulator serves, below a cluster's `/clusters/<id>` prefix: the
 * discovery documents a client may ask for, namespaces (list, read, create) and pods (list across
 * or within a namespace, read, create, delete). Anything else is 404, as on a real API server.
 */

interface KubeRequest {
  method: string;
  /** Path segments after the cluster prefix, e.g. `['api', 'v1', 'pods']`. */
  segments: string[];
  query: URLSearchParams;
  body: unknown;
  cluster: StoredCluster;
  /** No bearer token: only the public-info paths answer (system:public-info-viewer). */
  anonymous: boolean;
}

interface KubeReply {
  status: number;
  /** JSON, or text for the health endpoints. */
  body: Record<string, unknown> | string;
  /** The name `stats()` counts it under. */
  operation: string;
}

interface HandlerContext {
  store: KubeStore;
  kubernetesVersion: string;
}

const POD_FIELDS: Record<string, (pod: StoredPod) => string> = {
  'metadata.name': (pod) => pod.name,
  'metadata.namespace': (pod) => pod.namespace,
  'spec.nodeName': (pod) => pod.nodeName,
  'status.phase': (pod) => pod.phase,
  'status.podIP': (pod) => pod.podIp,
};

const NAMESPACE_FIELDS: Record<string, (namespace: StoredNamespace) => string> = {
  'metadata.name': (namespace) => namespace.name,
  'status.phase': () => 'Active',
};

const ok = (
  operation: string,
  body: Record<string, unknown> | string,
  status = 200,
): KubeReply => ({
  status,
  body,
  operation,
});

const refuseWatch = (query: URLSearchParams): void => {
  if (query.get('watch') === 'true' || query.get('watch') === '1') {
    throw kubeErrors.badRequest('watch is not supported by the Kubernetes emulator');
  }
};

const listPods = (context: HandlerContext, request: KubeRequest, namespace?: string): KubeReply => {
  refuseWatch(request.query);
  if (namespace !== undefined) context.store.namespace(request.cluster, namespace);
  const matchesLabels = parseLabelSelector(request.query.get('labelSelector'));
  const matchesFields = parseFieldSelector(request.query.get('fieldSelector'), POD_FIELDS);
  const pods = context.store
    .pods(request.cluster, namespace)
    .filter((pod) => matchesLabels(pod.labels) && matchesFields(pod));
  const page = paginate(pods, podKey, request.query);
  return ok(
    namespace === undefined ? 'listPods' : 'listNamespacedPods',
    renderList('PodList', page.items.map(renderPod), {
      resourceVersion: request.cluster.revision,
      continueToken: page.continueToken,
      remainingItemCount: page.remainingItemCount,
    }),
  );
};

const listNamespaces = (request: KubeRequest): KubeReply => {
  refuseWatch(request.query);
  const matchesLabels = parseLabelSelector(request.query.get('labelSelector'));
  const matchesFields = parseFieldSelector(request.query.get('fieldSelector'), NAMESPACE_FIELDS);
  const namespaces = [...request.cluster.namespaces]
    .filter((namespace) => matchesLabels({ 'kubernetes.io/metadata.name': namespace.name }))
    .filter(matchesFields)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page = paginate(namespaces, (namespace) => namespace.name, request.query);
  return ok(
    'listNamespaces',
    renderList('NamespaceList', page.items.map(renderNamespace), {
      resourceVersion: request.cluster.revision,
      continueToken: page.continueToken,
      remainingItemCount: page.remainingItemCount,
    }),
  );
};

const discovery = (context: HandlerContext, segments: string[]): KubeReply | undefined => {
  const path = segments.join('/');
  if (path === 'version') {
    const [major, minor] = context.kubernetesVersion.replace(/^v/, '').split('.');
    return ok('getVersion', {
      major: major ?? '1',
      minor: minor ?? '0',
      gitVersion: context.kubernetesVersion,
      platform: 'linux/amd64',
    });
  }
  if (path === 'api') {
    return ok('discovery', {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
    });
  }
  if (path === 'apis')
    return ok('discovery', { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
  if (path === 'api/v1') {
    const resource = (name: string, kind: string, namespaced: boolean, verbs: string[]) => ({
      name,
      singularName: kind.toLowerCase(),
      namespaced,
      kind,
      verbs,
    });
    return ok('discovery', {
      kind: 'APIResourceList',
      groupVersion: 'v1',
      resources: [
        resource('namespaces', 'Namespace', false, ['create', 'get', 'list']),
        resource('pods', 'Pod', true, ['create', 'delete', 'get', 'list']),
      ],
    });
  }
  return undefined;
};

const PUBLIC_PATHS = new Set(['version', 'healthz', 'livez', 'readyz']);

const route = (context: HandlerContext, request: KubeRequest): KubeReply => {
  const { method, segments, cluster } = request;
  const { store } = context;
  const only = (allowed: string, reply: () => KubeReply): KubeReply => {
    if (method !== allowed) throw kubeErrors.methodNotAllowed(method);
    return reply();
  };
  const path = segments.join('/');
  if (PUBLIC_PATHS.has(path) && path !== 'version') return only('GET', () => ok('health', 'ok'));
  if (request.anonymous && !PUBLIC_PATHS.has(path)) {
    throw kubeErrors.forbidden(
      method === 'GET' ? 'list' : method.toLowerCase(),
      segments.at(-1) ?? '',
    );
  }
  const documents = discovery(context, segments);
  if (documents !== undefined) return only('GET', () => documents);

  const [api, version, first, namespace, resource, name, ...extra] = segments;
  if (api !== 'api' || version !== 'v1' || extra.length > 0) throw kubeErrors.noRoute();
  if (first === 'pods' && namespace === undefined) {
    return only('GET', () => listPods(context, request));
  }
  if (first !== 'namespaces') throw kubeErrors.noRoute();
  if (namespace === undefined) {
    if (method === 'POST') {
      const created = store.createNamespace(cluster, parseNamespaceBody(request.body));
      return ok('createNamespace', single('Namespace', renderNamespace(created)), 201);
    }
    return only('GET', () => listNamespaces(request));
  }
  if (resource === undefined) {
    return only('GET', () =>
      ok(
        'readNamespace',
        single('Namespace', renderNamespace(store.namespace(cluster, namespace))),
      ),
    );
  }
  if (resource !== 'pods') throw kubeErrors.noRoute();
  if (name === undefined) {
    if (method === 'POST') {
      store.namespace(cluster, namespace);
      const pod = store.createPod(cluster, parsePodBody(request.body, namespace));
      return ok('createPod', single('Pod', renderPod(pod)), 201);
    }
    return only('GET', () => listPods(context, request, namespace));
  }
  if (method === 'DELETE') {
    return ok('deletePod', single('Pod', renderPod(store.deletePod(cluster, namespace, name))));
  }
  return only('GET', () =>
    ok('readPod', single('Pod', renderPod(store.pod(cluster, namespace, name)))),
  );
};

export type { HandlerContext, KubeReply, KubeRequest };
export { route };
