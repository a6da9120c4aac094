// zod's mini build: the same parsing with tree-shakable functions, a fraction of the full
// build's size in the console's bundle (the console only parses what it reads).
import * as z from 'zod/mini';

/**
 * The console's view of the REST API: one fetch helper that adds the key kept in this browser
 * tab's session storage, and zod schemas for what each page reads (loose: fields the console
 * does not show may come and go).
 */

const KEY_NAME = 'askp.apiKey';

const session = {
  key: (): string | null => sessionStorage.getItem(KEY_NAME),
  signIn: (key: string): void => sessionStorage.setItem(KEY_NAME, key),
  signOut: (): void => sessionStorage.removeItem(KEY_NAME),
};

const problemSchema = z.looseObject({
  title: z.optional(z.string()),
  detail: z.optional(z.string()),
  code: z.optional(z.string()),
  field: z.optional(z.string()),
});

class ApiError extends Error {
  public constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const request = async (
  method: string,
  path: string,
  body?: unknown,
  key: string | null = session.key(),
): Promise<unknown> => {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed: unknown = text === '' ? null : JSON.parse(text);
  if (!response.ok) {
    const problem = problemSchema.safeParse(parsed);
    const detail = problem.success ? (problem.data.detail ?? problem.data.title) : undefined;
    const field = problem.success && problem.data.field ? ` (${problem.data.field})` : '';
    throw new ApiError(response.status, `${detail ?? `HTTP ${response.status}`}${field}`);
  }
  return parsed;
};

const progressSchema = z.object({
  stage: z.nullable(z.string()),
  completedStages: z.number(),
  totalStages: z.number(),
});

const clusterSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  region: z.string(),
  state: z.string(),
  clusterId: z.nullable(z.string()),
  clusterName: z.string(),
  ackState: z.nullable(z.string()),
  endpoints: z.looseObject({ intranet: z.optional(z.string()), internet: z.optional(z.string()) }),
  spec: z.looseObject({
    kubernetesVersion: z.optional(z.string()),
    clusterSpec: z.optional(z.string()),
    endpointPublicAccess: z.optional(z.boolean()),
    network: z.unknown(),
  }),
  labels: z.record(z.string(), z.string()),
  deletionProtection: z.boolean(),
  error: z.nullable(z.object({ code: z.string(), message: z.string() })),
  progress: z.optional(z.nullable(progressSchema)),
  expiresAt: z.nullable(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const clusterListSchema = z.looseObject({
  items: z.array(clusterSchema),
  nextCursor: z.nullable(z.string()),
});

const eventListSchema = z.looseObject({
  events: z.array(
    z.looseObject({
      sequence: z.number(),
      type: z.string(),
      state: z.string(),
      message: z.string(),
      source: z.string(),
      at: z.string(),
    }),
  ),
});

const optionsSchema = z.looseObject({
  region: z.string(),
  regions: z.array(z.object({ id: z.string(), name: z.string() })),
  kubernetesVersions: z.array(z.looseObject({ version: z.string() })),
  defaultKubernetesVersion: z.nullable(z.string()),
  clusterSpecs: z.array(z.string()),
  // ACK's addon catalog (ListAddons); coredns is installed unless the request names it.
  addons: z.array(
    z.looseObject({
      name: z.string(),
      version: z.nullable(z.string()),
      category: z.nullable(z.string()),
    }),
  ),
});

const preflightSchema = z.looseObject({
  ok: z.boolean(),
  findings: z.array(
    z.looseObject({
      check: z.string(),
      status: z.string(),
      message: z.string(),
      action: z.optional(z.string()),
    }),
  ),
  kubernetesVersion: z.nullable(z.string()),
  cost: z.looseObject({
    usdPerHour: z.number(),
    usdPerMonth: z.number(),
    verified: z.boolean(),
    items: z.array(
      z.looseObject({ item: z.string(), usdPerHour: z.number(), usdPerMonth: z.number() }),
    ),
    excludes: z.array(z.string()),
  }),
});

const deliveryListSchema = z.looseObject({
  items: z.array(
    z.looseObject({
      id: z.string(),
      eventType: z.string(),
      clusterId: z.string(),
      url: z.string(),
      status: z.string(),
      series: z.number(),
      createdAt: z.string(),
      attempts: z.array(
        z.looseObject({ status: z.nullable(z.number()), error: z.nullable(z.string()) }),
      ),
    }),
  ),
  nextCursor: z.nullable(z.string()),
});

const janitorRunListSchema = z.looseObject({
  items: z.array(
    z.looseObject({
      id: z.string(),
      startedAt: z.string(),
      finishedAt: z.nullable(z.string()),
      mode: z.string(),
      examined: z.number(),
      warned: z.number(),
      deleted: z.number(),
      cancelled: z.number(),
      skipped: z.record(z.string(), z.looseObject({ count: z.number() })),
      error: z.nullable(z.string()),
    }),
  ),
});

const kubeconfigSchema = z.looseObject({ kubeconfig: z.string(), expiresAt: z.string() });

type Cluster = z.output<typeof clusterSchema>;
type Options = z.output<typeof optionsSchema>;
type Preflight = z.output<typeof preflightSchema>;

const api = {
  listClusters: async () =>
    clusterListSchema.parse(await request('GET', '/v1/clusters?limit=100')).items,
  getCluster: async (id: string) =>
    clusterSchema.parse(await request('GET', `/v1/clusters/${encodeURIComponent(id)}`)),
  events: async (id: string) =>
    eventListSchema.parse(await request('GET', `/v1/clusters/${encodeURIComponent(id)}/events`))
      .events,
  options: async (region: string) =>
    optionsSchema.parse(await request('GET', `/v1/options?region=${encodeURIComponent(region)}`)),
  preflight: async (body: unknown) =>
    preflightSchema.parse(await request('POST', '/v1/clusters:preflight', body)),
  create: async (body: unknown) => clusterSchema.parse(await request('POST', '/v1/clusters', body)),
  patch: async (id: string, body: unknown) =>
    clusterSchema.parse(await request('PATCH', `/v1/clusters/${encodeURIComponent(id)}`, body)),
  remove: async (id: string) =>
    clusterSchema.parse(await request('DELETE', `/v1/clusters/${encodeURIComponent(id)}`)),
  kubeconfig: async (id: string) =>
    kubeconfigSchema.parse(
      await request('GET', `/v1/clusters/${encodeURIComponent(id)}/kubeconfig`),
    ),
  deliveries: async () =>
    deliveryListSchema.parse(await request('GET', '/v1/webhooks/deliveries?limit=100')).items,
  redeliver: async (id: string) =>
    request('POST', `/v1/webhooks/deliveries/${encodeURIComponent(id)}/redeliver`),
  janitorRuns: async () =>
    janitorRunListSchema.parse(await request('GET', '/v1/admin/janitor/runs?limit=50')).items,
  /** A key is good when it can list clusters. */
  check: async (key: string) => {
    await request('GET', '/v1/clusters?limit=1', undefined, key);
  },
};

export type { Cluster, Options, Preflight };
export { ApiError, api, session };
