import {
  type ConfigurationOptions,
  CoreV1Api,
  KubeConfig,
  Observable,
  type RequestContext,
  type ResponseContext,
  type V1Pod,
} from '@kubernetes/client-node';
import { KubeError } from './kube-error.js';
import { classifyKubeError, invalidKubeconfig } from './kube-errors.js';
import {
  DEFAULT_SYSTEM_NAMESPACES,
  type WorkloadInspector,
  type WorkloadReport,
} from './workload-inspector.port.js';
import { computeWorkloadReport } from './workload-report.js';

/**
 * The WorkloadInspector over @kubernetes/client-node 1.4 (the only file that imports it): one
 * `GET /api/v1/pods` across all namespaces, paged with `limit`/`continue`, under one deadline
 * for the whole listing. The deadline aborts the request in flight (the SDK passes our
 * AbortSignal to its fetch), so a hung API server costs `timeoutMs`, not a socket forever.
 */

interface ClientNodeInspectorOptions {
  /** For the whole listing, every page included (default 10 000). */
  timeoutMs?: number;
  /** Pods per page (default 500, what kubectl asks for). */
  pageSize?: number;
  /** A guard against a server that never stops paging (default 200 pages). */
  maxPages?: number;
}

/** Runs before each request is sent: ties it to the deadline's AbortSignal. */
const abortWith = (signal: AbortSignal): ConfigurationOptions => ({
  middleware: [
    {
      pre: (context: RequestContext) => {
        context.setSignal(signal);
        return new Observable(Promise.resolve(context));
      },
      post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
    },
  ],
  middlewareMergeStrategy: 'append',
});

/**
 * Loads the kubeconfig and refuses the kinds of user the inspector must not act on: an `exec`
 * or `auth-provider` user would make loading it run a program. ACK's kubeconfigs carry a client
 * certificate (or, from the emulator, a token) inline.
 */
const coreApiFor = (kubeconfig: string): CoreV1Api => {
  const config = new KubeConfig();
  try {
    config.loadFromString(kubeconfig);
  } catch {
    throw invalidKubeconfig('is not a readable kubeconfig');
  }
  const cluster = config.getCurrentCluster();
  const user = config.getCurrentUser();
  if (cluster === null) throw invalidKubeconfig('names no current cluster');
  if (user === null) throw invalidKubeconfig('names no current user');
  if (user.exec !== undefined || user.authProvider !== undefined) {
    throw invalidKubeconfig('uses an exec or auth-provider user, which the inspector does not run');
  }
  if (!cluster.server.startsWith('https://') && !cluster.skipTLSVerify) {
    throw invalidKubeconfig('points at a server that is not https');
  }
  return config.makeApiClient(CoreV1Api);
};

/** Rejects as soon as the signal fires, even if the SDK were to ignore it somewhere. */
const untilAborted = (signal: AbortSignal): Promise<never> =>
  new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

const listAllPods = async (
  api: CoreV1Api,
  signal: AbortSignal,
  limits: { pageSize: number; maxPages: number },
): Promise<V1Pod[]> => {
  const options = abortWith(signal);
  const pods: V1Pod[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 0; page < limits.maxPages; page += 1) {
    const list = await api.listPodForAllNamespaces(
      { limit: limits.pageSize, ...(token === undefined ? {} : { _continue: token }) },
      options,
    );
    pods.push(...list.items);
    token = list.metadata?._continue;
    if (token === undefined || token === '') return pods;
    if (seen.has(token)) break;
    seen.add(token);
  }
  throw new KubeError(
    'KUBE_UNAVAILABLE',
    `the cluster's API server kept paging past ${limits.maxPages} pages of ${limits.pageSize} pods`,
    { failure: 'paging', retryable: false },
  );
};

const createClientNodeInspector = (options: ClientNodeInspectorOptions = {}): WorkloadInspector => {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const limits = { pageSize: options.pageSize ?? 500, maxPages: options.maxPages ?? 200 };
  return {
    inspect: async (input): Promise<WorkloadReport> => {
      const api = coreApiFor(input.kubeconfig);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const pods = await Promise.race([
          listAllPods(api, controller.signal, limits),
          untilAborted(controller.signal),
        ]);
        return computeWorkloadReport(pods, input.systemNamespaces ?? DEFAULT_SYSTEM_NAMESPACES);
      } catch (error) {
        throw classifyKubeError(error, { timedOut: controller.signal.aborted, timeoutMs });
      } finally {
        clearTimeout(timer);
        // Settles the race's loser: a pending listing is aborted, the abort listener released.
        controller.abort();
      }
    },
  };
};

export type { ClientNodeInspectorOptions };
export { createClientNodeInspector };
