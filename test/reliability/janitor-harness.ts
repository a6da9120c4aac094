import { vi } from 'vitest';
import { EMULATED_NETWORKS } from '../../emulator/ack/ack-emulator.js';
import { containerGroupsFromPods } from '../../emulator/eci/container-groups-from-pods.js';
import { type EciEmulator, startEciEmulator } from '../../emulator/eci/eci-emulator.js';
import {
  type KubeEmulator,
  kubeconfigProviderFor,
  startKubeEmulator,
} from '../../emulator/kube/kube-emulator.js';
import { createJanitorHandler, type JanitorSummary } from '../../functions/janitor/handler.js';
import type { ClusterApi } from '../../shared/ack/cluster-api.port.js';
import { systemClock } from '../../shared/clock.js';
import type { Config } from '../../shared/config.js';
import type { ClusterSpec, CreateClusterRequest } from '../../shared/domain/cluster-spec.js';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import type { Provision } from '../../shared/domain/provision.js';
import { createAlicloudContainerGroups } from '../../shared/eci/alicloud-container-groups.js';
import { listJanitorRuns } from '../../shared/janitor/list-janitor-runs.js';
import { createClientNodeInspector } from '../../shared/kube/client-node-inspector.js';
import { lazy } from '../../shared/lazy.js';
import { createLogger } from '../../shared/logger.js';
import { createAckCallTally } from '../../shared/metrics/ack-call-tally.js';
import { acceptProvision } from '../../shared/provisioning/accept-provision.js';
import type { JobQueue } from '../../shared/queue/job-queue.port.js';
import type { Store } from '../../shared/store/store.port.js';
import { deadAfter, Harness } from './harness.js';

/**
 * The janitor's world: the reliability Harness (real handlers, both emulators, PGlite, a webhook
 * receiver, `Date` faked) with an emulated Kubernetes API plugged into the ACK emulator, so that
 * DescribeClusterUserKubeconfig hands out kubeconfigs that @kubernetes/client-node really uses.
 * Pods are created and deleted through the emulated API; the clock is moved by hand. The ECI
 * emulator shows the same pods as container groups (through the real @alicloud/eci20180808);
 * runs read pods through the Kubernetes API unless a test asks for another activity source.
 */

const ALL_STATES = [
  'accepted',
  'provisioning',
  'running',
  'failed',
  'deleting',
  'deleted',
  'cancelled',
] as const;
const SETTLED = ['running', 'deleted', 'cancelled', 'failed'] as const;

interface JanitorFaults {
  store?: (store: Store) => Store;
  clusterApi?: (api: ClusterApi) => ClusterApi;
  queue?: (queue: JobQueue) => JobQueue;
  janitor?: Partial<Config['janitor']>;
}

class JanitorWorld {
  private readonly logger = createLogger({ level: 'error' });
  private runs = 0;

  private constructor(
    public readonly harness: Harness,
    public readonly kube: KubeEmulator,
    public readonly eci: EciEmulator,
  ) {}

  /** `createSeconds`: how long ACK takes to create a cluster (the harness's 20 s otherwise). */
  public static async start(options: { createSeconds?: number } = {}): Promise<JanitorWorld> {
    // Pod times follow the faked clock: read Date.now at each call, not the real one at start.
    const kube = await startKubeEmulator({ now: () => Date.now() });
    const harness = await Harness.start({
      ack: {
        kubeconfigFor: kubeconfigProviderFor(kube),
        ...(options.createSeconds === undefined ? {} : { createSeconds: options.createSeconds }),
      },
    });
    const eci = await startEciEmulator({
      accessKeyId: harness.config.credentials.accessKeyId,
      accessKeySecret: harness.config.credentials.accessKeySecret,
      containerGroups: containerGroupsFromPods(harness.ack, kube),
    });
    return new JanitorWorld(harness, kube, eci);
  }

  public get store(): Store {
    return this.harness.store;
  }

  /** Accepts a provision for the first tenant (webhooks to the receiver) and waits until it runs. */
  public async createRunning(request: NewCluster): Promise<Provision> {
    const [provision] = await this.createRunningMany([request]);
    if (!provision) throw new Error('nothing was created');
    return provision;
  }

  /** Accepts every request, then waits once until they all run. */
  public async createRunningMany(requests: readonly NewCluster[]): Promise<Provision[]> {
    const tenant = this.harness.tenants[0];
    if (!tenant) throw new Error('the harness has no tenant');
    const ids: string[] = [];
    for (const request of requests) {
      const spec: ClusterSpec = createClusterRequestSchema.parse({
        region: 'cn-hangzhou',
        webhook: { url: this.harness.receiver.url },
        ...request,
      });
      const accepted = await acceptProvision(
        {
          store: this.store,
          queue: this.harness.queue,
          clock: systemClock,
          logger: this.logger,
          config: this.harness.config,
        },
        { tenantId: tenant.id, spec },
      );
      ids.push(accepted.id);
    }
    await this.settle();
    const provisions: Provision[] = [];
    for (const id of ids) {
      const provision = await this.provision(id);
      if (provision.state !== 'running' || provision.clusterId === null) {
        throw new Error(`${id} is ${provision.state}`);
      }
      // A running ACK cluster has an API server: tests may put pods there at once.
      this.kube.registerCluster(provision.clusterId);
      provisions.push(provision);
    }
    return provisions;
  }

  /** A cluster made in ACK behind our back (not through a provision), running; with `nodePools` a managed one. */
  public async createForeignCluster(input: {
    name: string;
    regionId?: string;
    tags: Record<string, string>;
    nodePools?: { name: string; desiredSize: number }[];
  }): Promise<string> {
    const regionId = input.regionId ?? 'cn-hangzhou';
    const network = EMULATED_NETWORKS.find((candidate) => candidate.regionId === regionId);
    if (!network) throw new Error(`the emulator has no network in ${regionId}`);
    const { clusterId } = await this.harness.clusterApi.createCluster({
      name: input.name,
      regionId,
      vpcId: network.vpcId,
      vswitchIds: network.vswitches.map((vswitch) => vswitch.vswitchId),
      serviceCidr: '172.21.0.0/20',
      endpointPublicAccess: false,
      snatEntry: false,
      clusterSpec: 'ack.standard',
      addons: [],
      tags: input.tags,
      deletionProtection: false,
      ...(input.nodePools === undefined
        ? {}
        : {
            nodePools: input.nodePools.map((pool) => ({
              ...pool,
              instanceTypes: ['ecs.g7.large'],
              systemDiskCategory: 'cloud_essd',
              systemDiskSize: 120,
              vswitchIds: network.vswitches.map((vswitch) => vswitch.vswitchId),
            })),
          }),
    });
    this.advance(25_000);
    return clusterId;
  }

  /** ACK's state of a cluster now, as the emulator sees it. */
  public ackState(clusterId: string): string | undefined {
    return this.harness.ack.listAllClusters().find((c) => c.clusterId === clusterId)?.state;
  }

  /** Runs workers and poller ticks until nothing is in flight and every webhook is delivered. */
  public settle(): Promise<void> {
    return this.harness.settle({ settled: SETTLED });
  }

  public async provision(id: string): Promise<Provision> {
    const provision = await this.store.getProvision({ id });
    if (!provision) throw new Error(`no provision ${id}`);
    return provision;
  }

  public async provisions(): Promise<Provision[]> {
    return this.store.listProvisions({ states: ALL_STATES, limit: 1000 });
  }

  public advance(ms: number): void {
    this.harness.advance(ms);
  }

  /** Moves the clock to `at` (never backwards). */
  public advanceTo(at: Date): void {
    this.harness.advance(Math.max(0, at.getTime() - Date.now()));
  }

  /** One janitor invocation, as its timer trigger would make it. */
  public async runJanitor(faults: JanitorFaults = {}): Promise<JanitorSummary> {
    this.runs += 1;
    const { harness } = this;
    const config: Config = {
      ...harness.config,
      janitor: { ...harness.config.janitor, activitySource: 'kube', ...faults.janitor },
    };
    const handler = createJanitorHandler(async () => ({
      config,
      logger: this.logger,
      clock: systemClock,
      store: faults.store ? faults.store(harness.store) : harness.store,
      ackCalls: createAckCallTally({ store: harness.store, logger: this.logger, flushMs: 1000 }),
      clusterApi: faults.clusterApi ? faults.clusterApi(harness.clusterApi) : harness.clusterApi,
      queue: faults.queue ? faults.queue(harness.queue) : harness.queue,
      inspector: lazy(async () => createClientNodeInspector()),
      containerGroups: lazy(async () =>
        createAlicloudContainerGroups({
          credentials: harness.config.credentials,
          endpoint: this.eci.endpoint,
          protocol: 'http',
        }),
      ),
      janitorId: `janitor-${this.runs}`,
    }));
    const event = Buffer.from(
      JSON.stringify({
        triggerTime: new Date().toISOString(),
        triggerName: 'every-15-minutes',
        payload: '{"job":"janitor"}',
      }),
    );
    return (await handler(event, {} as never)) as JanitorSummary;
  }

  /** The janitor's reports, newest first, as the admin endpoint lists them. */
  public async janitorRuns() {
    return (await listJanitorRuns({ store: this.store }, { limit: 100 })).items;
  }

  public async eventTypes(id: string): Promise<string[]> {
    const events = await this.store.listEvents({ provisionId: id, limit: 1000 });
    return events.map((event) => event.type);
  }

  /** The `cluster.expiring` webhooks the receiver got, parsed, with who verified them. */
  public expiringWebhooks(): { verifiedAs: string | null; payload: ExpiringPayload }[] {
    return this.harness.receiver.received
      .map((hook) => ({
        verifiedAs: hook.verifiedAs,
        payload: JSON.parse(hook.body) as ExpiringPayload,
      }))
      .filter((hook) => hook.payload.type === 'cluster.expiring');
  }

  /** Every webhook of one type the receiver got, parsed. */
  public webhooksOfType(type: string): ExpiringPayload[] {
    return this.harness.receiver.received
      .map((hook) => JSON.parse(hook.body) as ExpiringPayload)
      .filter((payload) => payload.type === type);
  }

  public deleteClusterCalls(): number {
    return this.harness.ack.stats().DeleteCluster ?? 0;
  }

  public async close(): Promise<void> {
    try {
      await this.harness.close();
    } finally {
      await this.kube.close();
      await this.eci.close();
      // Whatever failed above, the next test must not start on this test's faked clock.
      vi.useRealTimers();
    }
  }
}

type NewCluster = Partial<CreateClusterRequest> & { name: string };

interface ExpiringPayload {
  type: string;
  data: { id: string; deleteAt?: string; reason?: string; why?: string; state: string };
}

export type { ExpiringPayload, JanitorFaults, NewCluster };
export { deadAfter, JanitorWorld };
