import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as z from 'zod';
import {
  type KubeEmulator,
  type KubeEmulatorOptions,
  kubeconfigProviderFor,
  startKubeEmulator,
} from '../../emulator/kube/kube-emulator.js';
import { DomainError } from '../../shared/domain/errors.js';
import { createClientNodeInspector } from '../../shared/kube/client-node-inspector.js';
import { DEFAULT_SYSTEM_NAMESPACES } from '../../shared/kube/workload-inspector.port.js';

const started: KubeEmulator[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.close()));
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.parse('2025-06-01T00:00:00Z');

const newClock = () => {
  let now = T0;
  return {
    now: () => now,
    advanceMinutes: (minutes: number) => {
      now += minutes * 60_000;
    },
  };
};

const start = async (options: KubeEmulatorOptions = {}) => {
  const emulator = await startKubeEmulator(options);
  started.push(emulator);
  return emulator;
};

const harness = async (options: KubeEmulatorOptions = {}) => {
  const clock = newClock();
  const kube = await start({ now: clock.now, ...options });
  kube.registerCluster('c-alpha');
  const { config, expiration } = kube.issueKubeconfig({
    clusterId: 'c-alpha',
    clusterName: 'alpha',
    durationMinutes: 60,
  });
  return { clock, kube, kubeconfig: config, expiration };
};

const inspector = createClientNodeInspector({ timeoutMs: 5_000 });

const kubeconfigSchema = z.object({
  clusters: z
    .array(
      z.object({
        cluster: z.looseObject({
          server: z.string(),
          'certificate-authority-data': z.string(),
        }),
      }),
    )
    .length(1),
  users: z.array(z.object({ user: z.object({ token: z.string() }) })).length(1),
});

/** The one cluster and user of an emulator kubeconfig, typed. */
const readKubeconfig = (kubeconfig: string) => {
  const document = kubeconfigSchema.parse(parse(kubeconfig));
  const [cluster] = document.clusters;
  const [user] = document.users;
  if (cluster === undefined || user === undefined) throw new Error('unreachable: length(1)');
  return { cluster: cluster.cluster, token: user.user.token };
};

const tokenOf = (kubeconfig: string): string => readKubeconfig(kubeconfig).token;

const failureOf = async (promise: Promise<unknown>): Promise<DomainError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, the call succeeded');
};

/** What an error could leak into a log line: message, fields, and a cause if one were set. */
const leakSurface = (error: DomainError): string =>
  JSON.stringify({ ...error, message: error.message, cause: String(error.cause) });

describe('kube emulator + client-node inspector: reading workloads', () => {
  it('a fresh ASK cluster holds only system pods, so it reports no workload', async () => {
    const { kube, kubeconfig } = await harness();
    const report = await inspector.inspect({ kubeconfig });
    expect(report).toEqual({
      workloadPods: 0,
      activeWorkloadPods: 0,
      systemPods: 2,
      lastActivityAt: null,
      namespaces: [],
    });
    expect(kube.listPods('c-alpha').map((pod) => pod.namespace)).toEqual([
      'kube-system',
      'kube-system',
    ]);
  });

  it('creating and deleting a workload pod changes the report', async () => {
    const { kube, kubeconfig } = await harness();
    kube.createPod('c-alpha', { namespace: 'ci', name: 'runner-1', labels: { app: 'ci' } });
    expect(await inspector.inspect({ kubeconfig })).toMatchObject({
      workloadPods: 1,
      activeWorkloadPods: 1,
      systemPods: 2,
      namespaces: ['ci'],
    });
    kube.deletePod('c-alpha', 'ci', 'runner-1');
    expect(await inspector.inspect({ kubeconfig })).toMatchObject({
      workloadPods: 0,
      activeWorkloadPods: 0,
      namespaces: [],
    });
  });

  it('lastActivityAt is the start of the newest workload pod, whatever system pods do', async () => {
    const { clock, kube, kubeconfig } = await harness();
    clock.advanceMinutes(5);
    kube.createPod('c-alpha', { namespace: 'default', name: 'older' });
    clock.advanceMinutes(10);
    const newest = kube.createPod('c-alpha', { namespace: 'preview', name: 'newer' });
    clock.advanceMinutes(30);
    kube.createPod('c-alpha', { namespace: 'kube-system', name: 'addon-restarted' });
    const report = await inspector.inspect({ kubeconfig });
    expect(report.lastActivityAt?.toISOString()).toBe(newest.startedAt.toISOString());
    expect(report.lastActivityAt?.getTime()).toBe(T0 + 15 * 60_000);
    expect(report).toMatchObject({ workloadPods: 2, systemPods: 3 });
    expect(report.namespaces).toEqual(['default', 'preview']);
  });

  it('finished pods count as workload but not as active', async () => {
    const { kube, kubeconfig } = await harness();
    kube.createPod('c-alpha', { namespace: 'jobs', name: 'migrate', phase: 'Succeeded' });
    expect(await inspector.inspect({ kubeconfig })).toMatchObject({
      workloadPods: 1,
      activeWorkloadPods: 0,
    });
  });

  it('namespaces passed as systemNamespaces are not workload (e.g. an add-on namespace)', async () => {
    const { kube, kubeconfig } = await harness();
    kube.createPod('c-alpha', { namespace: 'arms-prom', name: 'arms-prometheus-0' });
    expect((await inspector.inspect({ kubeconfig })).workloadPods).toBe(1);
    const report = await inspector.inspect({
      kubeconfig,
      systemNamespaces: [...DEFAULT_SYSTEM_NAMESPACES, 'arms-prom'],
    });
    expect(report).toMatchObject({ workloadPods: 0, systemPods: 3 });
  });

  it('pages through a listing larger than one page with limit/continue', async () => {
    const { kube, kubeconfig } = await harness();
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      kube.createPod('c-alpha', { namespace: 'load', name });
    }
    kube.resetStats();
    const paged = createClientNodeInspector({ timeoutMs: 5_000, pageSize: 2 });
    expect(await paged.inspect({ kubeconfig })).toMatchObject({ workloadPods: 5, systemPods: 2 });
    // 7 pods, 2 per page.
    expect(kube.stats()).toEqual({ listPods: 4 });
  });

  it('kubeconfigProviderFor registers the cluster on first use and issues a working kubeconfig', async () => {
    const clock = newClock();
    const kube = await start({ now: clock.now });
    const provide = kubeconfigProviderFor(kube);
    const issued = await provide({
      clusterId: 'c-new',
      clusterName: 'new',
      durationMinutes: 30,
      privateIp: false,
    });
    expect(issued.expiration.getTime()).toBe(T0 + 30 * 60_000);
    expect(await inspector.inspect({ kubeconfig: issued.config })).toMatchObject({ systemPods: 2 });
    // A second kubeconfig for the same cluster: still the same cluster, not a fresh one.
    kube.createPod('c-new', { namespace: 'default', name: 'web' });
    const again = await provide({ clusterId: 'c-new', clusterName: 'new', durationMinutes: 30 });
    expect((await inspector.inspect({ kubeconfig: again.config })).workloadPods).toBe(1);
  });
});

describe('kube emulator + client-node: credentials and availability', () => {
  it('the kubeconfig verifies the server with certificate-authority-data over https', async () => {
    const { kube, kubeconfig } = await harness();
    const { cluster } = readKubeconfig(kubeconfig);
    expect(cluster.server).toBe(`${kube.url}/clusters/c-alpha`);
    expect(cluster.server.startsWith('https://127.0.0.1:')).toBe(true);
    expect(Buffer.from(cluster['certificate-authority-data'], 'base64').toString()).toBe(
      kube.caCertPem,
    );
    expect(cluster['insecure-skip-tls-verify']).toBeUndefined();
    expect(kubeconfig).not.toContain('insecure-skip-tls-verify');
  });

  it('a kubeconfig carrying a different CA fails TLS verification, not retryable', async () => {
    const { kubeconfig } = await harness();
    const stranger = await start();
    const ours = readKubeconfig(kubeconfig).cluster['certificate-authority-data'];
    const forged = kubeconfig.replace(ours, Buffer.from(stranger.caCertPem).toString('base64'));
    const error = await failureOf(inspector.inspect({ kubeconfig: forged }));
    expect(error.code).toBe('KUBE_UNAVAILABLE');
    expect(error.retryable).toBe(false);
    expect(error).toMatchObject({ failure: 'tls' });
  });

  it('an expired token is KUBE_UNAUTHORIZED and not retryable', async () => {
    const { clock, kube, kubeconfig, expiration } = await harness();
    expect(expiration.getTime()).toBe(T0 + 60 * 60_000);
    clock.advanceMinutes(59);
    await inspector.inspect({ kubeconfig });
    clock.advanceMinutes(1);
    const error = await failureOf(inspector.inspect({ kubeconfig }));
    expect(error.code).toBe('KUBE_UNAUTHORIZED');
    expect(error.retryable).toBe(false);
    // client-node 1.4 drops the body of a 401, so only the status is known.
    expect(error).toMatchObject({ status: 401 });
    expect(kube.stats()['error:Unauthorized']).toBe(1);
  });

  it("one cluster's token is refused by another cluster", async () => {
    const { kube, kubeconfig } = await harness();
    kube.registerCluster('c-beta');
    const pointedAtBeta = kubeconfig.replace('/clusters/c-alpha', '/clusters/c-beta');
    const error = await failureOf(inspector.inspect({ kubeconfig: pointedAtBeta }));
    expect(error.code).toBe('KUBE_UNAUTHORIZED');
  });

  it('a removed cluster is KUBE_UNAVAILABLE and retryable', async () => {
    const { kube, kubeconfig } = await harness();
    kube.removeCluster('c-alpha');
    const error = await failureOf(inspector.inspect({ kubeconfig }));
    expect(error.code).toBe('KUBE_UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(error).toMatchObject({ status: 503 });
    expect(() => kube.registerCluster('c-alpha')).toThrow(/never reused/);
  });

  it('isApiServerUp=false answers 503 like a removed cluster', async () => {
    let up = true;
    const { kubeconfig } = await harness({ isApiServerUp: () => up });
    up = false;
    expect((await failureOf(inspector.inspect({ kubeconfig }))).code).toBe('KUBE_UNAVAILABLE');
    up = true;
    expect((await inspector.inspect({ kubeconfig })).systemPods).toBe(2);
  });

  it('throttling (429) is retryable and carries Retry-After', async () => {
    const { kube, kubeconfig } = await harness();
    kube.injectFault({ status: 429 });
    const error = await failureOf(inspector.inspect({ kubeconfig }));
    expect(error).toMatchObject({ code: 'KUBE_UNAVAILABLE', retryable: true, retryAfterMs: 1000 });
    expect((await inspector.inspect({ kubeconfig })).systemPods).toBe(2);
  });

  it('a 500 from the API server is retryable', async () => {
    const { kube, kubeconfig } = await harness();
    kube.injectFault({ status: 500, clusterId: 'c-alpha' });
    const error = await failureOf(inspector.inspect({ kubeconfig }));
    expect(error).toMatchObject({ code: 'KUBE_UNAVAILABLE', retryable: true });
    expect(error).toMatchObject({ status: 500, statusReason: 'InternalError' });
  });

  it('an API server slower than the timeout is KUBE_UNAVAILABLE, retryable', async () => {
    const { kube, kubeconfig } = await harness();
    kube.injectFault({ delayMs: 2_000 });
    const impatient = createClientNodeInspector({ timeoutMs: 100 });
    const error = await failureOf(impatient.inspect({ kubeconfig }));
    expect(error).toMatchObject({ code: 'KUBE_UNAVAILABLE', retryable: true });
    expect(error).toMatchObject({ failure: 'timeout', timeoutMs: 100 });
  });

  it('a kubeconfig that is not YAML is VALIDATION_FAILED without quoting it', async () => {
    const secret = 'token-abcdef-0123456789';
    const error = await failureOf(
      inspector.inspect({ kubeconfig: `users: [ {user: {token: ${secret}}` }),
    );
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'kubeconfig' });
    expect(leakSurface(error)).not.toContain(secret);
  });

  it('errors never carry the token or the CA', async () => {
    const { clock, kube, kubeconfig } = await harness();
    const token = tokenOf(kubeconfig);
    const caData = readKubeconfig(kubeconfig).cluster['certificate-authority-data'];
    clock.advanceMinutes(120);
    const unauthorized = await failureOf(inspector.inspect({ kubeconfig }));
    kube.removeCluster('c-alpha');
    const unavailable = await failureOf(inspector.inspect({ kubeconfig }));
    for (const error of [unauthorized, unavailable]) {
      expect(error.cause).toBeUndefined();
      expect(leakSurface(error)).not.toContain(token);
      expect(leakSurface(error)).not.toContain(caData.slice(0, 40));
    }
  });
});

describe('kube emulator: restarts', () => {
  it('keeps clusters, pods, tokens and the CA in the state file across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-emulator-'));
    tempDirs.push(dir);
    const stateFile = join(dir, 'kube.json');
    const clock = newClock();
    const first = await start({ now: clock.now, stateFile });
    first.registerCluster('c-alpha');
    first.createPod('c-alpha', { namespace: 'ci', name: 'runner' });
    const { config } = first.issueKubeconfig({
      clusterId: 'c-alpha',
      clusterName: 'alpha',
      durationMinutes: 60,
    });
    const { port } = first;
    await first.close();

    // Kubeconfigs name the port: a restart keeps it, as the local host's fixed port does.
    const second = await start({ now: clock.now, stateFile, port });
    expect(second.caCertPem).toBe(first.caCertPem);
    const report = await inspector.inspect({ kubeconfig: config });
    expect(report).toMatchObject({ workloadPods: 1, systemPods: 2, namespaces: ['ci'] });
    expect(second.listPods('c-alpha').map((pod) => pod.name)).toContain('runner');
  });

  it('the state file holds token hashes, not the tokens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-emulator-'));
    tempDirs.push(dir);
    const stateFile = join(dir, 'kube.json');
    const kube = await start({ stateFile });
    kube.registerCluster('c-alpha');
    const { config } = kube.issueKubeconfig({ clusterId: 'c-alpha', durationMinutes: 15 });
    expect(readFileSync(stateFile, 'utf8')).not.toContain(tokenOf(config));
  });
});

/** The status and parsed Status body of a call the SDK rejected (it keeps the body as text). */
const statusOf = async (promise: Promise<unknown>): Promise<{ code: unknown; body: unknown }> => {
  try {
    await promise;
  } catch (error) {
    const body: unknown = Reflect.get(Object(error), 'body');
    return {
      code: Reflect.get(Object(error), 'code'),
      body: typeof body === 'string' ? JSON.parse(body) : body,
    };
  }
  throw new Error('expected the SDK to reject, the call succeeded');
};

describe('client-node CoreV1Api directly against the emulator', () => {
  const coreApi = (kubeconfig: string): CoreV1Api => {
    const config = new KubeConfig();
    config.loadFromString(kubeconfig);
    return config.makeApiClient(CoreV1Api);
  };

  it('creates, lists, reads and deletes pods and namespaces through the real SDK', async () => {
    const { kube, kubeconfig } = await harness();
    const api = coreApi(kubeconfig);
    await api.createNamespace({ body: { metadata: { name: 'team-a' } } });
    const created = await api.createNamespacedPod({
      namespace: 'team-a',
      body: {
        metadata: { name: 'web-0', labels: { app: 'web', tier: 'front' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
      },
    });
    expect(created.status?.phase).toBe('Running');
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.status?.startTime).toBeInstanceOf(Date);

    const all = await api.listPodForAllNamespaces();
    expect(all.kind).toBe('PodList');
    expect(all.items.map((pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`)).toContain(
      'team-a/web-0',
    );
    const web = await api.listPodForAllNamespaces({ labelSelector: 'app=web,tier in (front)' });
    expect(web.items.map((pod) => pod.metadata?.name)).toEqual(['web-0']);
    const running = await api.listPodForAllNamespaces({ fieldSelector: 'status.phase=Running' });
    expect(running.items).toHaveLength(3);
    const inNamespace = await api.listNamespacedPod({ namespace: 'team-a' });
    expect(inNamespace.items).toHaveLength(1);
    const namespaces = await api.listNamespace();
    expect(namespaces.items.map((namespace) => namespace.metadata?.name)).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
      'team-a',
    ]);
    expect((await api.readNamespacedPod({ namespace: 'team-a', name: 'web-0' })).kind).toBe('Pod');

    await api.deleteNamespacedPod({ namespace: 'team-a', name: 'web-0' });
    expect(kube.listPods('c-alpha').some((pod) => pod.name === 'web-0')).toBe(false);
    expect(
      await statusOf(api.readNamespacedPod({ namespace: 'team-a', name: 'web-0' })),
    ).toMatchObject({ code: 404, body: { kind: 'Status', reason: 'NotFound', code: 404 } });
  });

  it('answers a pod in a missing namespace with 404 and a duplicate with 409, as Status objects', async () => {
    const { kubeconfig } = await harness();
    const api = coreApi(kubeconfig);
    const pod = {
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    };
    expect(await statusOf(api.createNamespacedPod({ namespace: 'nope', body: pod }))).toMatchObject(
      {
        code: 404,
        body: { reason: 'NotFound', message: 'namespaces "nope" not found' },
      },
    );
    await api.createNamespacedPod({ namespace: 'default', body: pod });
    expect(
      await statusOf(api.createNamespacedPod({ namespace: 'default', body: pod })),
    ).toMatchObject({
      code: 409,
      body: { reason: 'AlreadyExists' },
    });
    const empty = { metadata: { name: 'q' }, spec: { containers: [] } };
    expect(
      await statusOf(api.createNamespacedPod({ namespace: 'default', body: empty })),
    ).toMatchObject({ code: 422, body: { reason: 'Invalid' } });
  });

  it('sends the token as a Bearer header to GET /api/v1/pods under the cluster prefix', async () => {
    const { kube, kubeconfig } = await harness();
    kube.resetStats();
    await coreApi(kubeconfig).listPodForAllNamespaces();
    expect(kube.stats()).toEqual({ listPods: 1 });
    const response = await fetchWithCa(kube, '/clusters/c-alpha/api/v1/pods', {
      authorization: `Bearer ${tokenOf(kubeconfig)}`,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ kind: 'PodList', apiVersion: 'v1' });
  });

  it('serves /version to anonymous callers but forbids listing pods without a token', async () => {
    const { kube } = await harness();
    const version = await fetchWithCa(kube, '/clusters/c-alpha/version', {});
    expect(version).toMatchObject({ status: 200, body: { major: '1', minor: '33' } });
    const pods = await fetchWithCa(kube, '/clusters/c-alpha/api/v1/pods', {});
    expect(pods).toMatchObject({ status: 403, body: { kind: 'Status', reason: 'Forbidden' } });
    const bogus = await fetchWithCa(kube, '/clusters/c-alpha/api/v1/pods', {
      authorization: 'Bearer not-a-token',
    });
    expect(bogus).toMatchObject({
      status: 401,
      body: { kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 },
    });
  });
});

/** A raw HTTPS GET trusting the emulator's CA, to check wire shapes the SDK hides. */
const fetchWithCa = (
  kube: KubeEmulator,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown }> => {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${kube.url}${path}`, { ca: kube.caCertPem, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({
          status: incoming.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
};
