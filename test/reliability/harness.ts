import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { vi } from 'vitest';
import {
  type AckEmulator,
  type AckEmulatorOptions,
  startAckEmulator,
} from '../../emulator/ack/ack-emulator.js';
import { seededRandom } from '../../emulator/ack/prng.js';
import { type MnsEmulator, startMnsEmulator } from '../../emulator/mns/mns-emulator.js';
import { createApiHandler } from '../../functions/api/handler.js';
import { createPollerHandler } from '../../functions/poller/handler.js';
import { createWorkerHandler } from '../../functions/worker/handler.js';
import { createAlicloudClusterApi } from '../../shared/ack/alicloud-cluster-api.js';
import type { ClusterApi } from '../../shared/ack/cluster-api.port.js';
import { buildStore } from '../../shared/app/parts.js';
import { systemClock } from '../../shared/clock.js';
import { type Config, loadConfig } from '../../shared/config.js';
import { generateApiKey, hashSecret, SCOPES } from '../../shared/http/api-key.js';
import { createApiKeyCache } from '../../shared/http/api-key-cache.js';
import type { HttpResponse } from '../../shared/http/fc-http-event.js';
import { createRateLimiter } from '../../shared/http/rate-limiter.js';
import { newId } from '../../shared/ids.js';
import { createLogger } from '../../shared/logger.js';
import { createAckCallTally } from '../../shared/metrics/ack-call-tally.js';
import { cachedAccountFacts } from '../../shared/provisioning/account-facts.js';
import { type AckCatalog, createAckCatalog } from '../../shared/provisioning/ack-catalog.js';
import { createOutboxMarks } from '../../shared/provisioning/outbox-marks.js';
import type { JobQueue } from '../../shared/queue/job-queue.port.js';
import { createMnsJobQueue } from '../../shared/queue/mns-job-queue.js';
import type { Store } from '../../shared/store/store.port.js';
import { createTenantCreateSettingsCache } from '../../shared/tenancy/tenant-create-settings.js';
import type { VpcNetworkApi } from '../../shared/vpc/vpc-network.port.js';
import { createVpcNetworkApi } from '../../shared/vpc/vpc-network-api.js';
import { newWebhookSecret } from '../../shared/webhooks/signature.js';
import { createWebhookSender } from '../../shared/webhooks/webhook-sender.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * The pipeline in one process on one accelerated clock: the real api, worker and poller handlers,
 * the real SDK adapters against both emulators, PGlite, and a real loopback webhook receiver.
 * `Date` is faked (only `Date`: timers stay real), so the emulators, the store, the queue's
 * visibility timeouts and the webhook schedule all see the same time and a simulated day passes
 * in seconds. Faults are injected by wrapping the real ports, never by replacing them.
 */

/** Thrown where a test kills a function: nothing after it runs in that invocation. */
class SimulatedCrash extends Error {
  public constructor(public readonly point: string) {
    super(`simulated crash at ${point}`);
    this.name = 'SimulatedCrash';
  }
}

/**
 * Wraps a port so that once `kill.dead` is set every call throws, and a SimulatedCrash thrown by
 * any call sets it: the process died at that point, so nothing after it in that invocation is
 * written, sent or asked, whatever try/catch the code under test has around the call.
 */
interface KillSwitch {
  dead: boolean;
  at?: string;
}

const deadAfter = <T extends object>(port: T, kill: KillSwitch): T =>
  new Proxy(port, {
    get: (target, property, receiver) => {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        if (kill.dead) throw new SimulatedCrash(kill.at ?? 'a dead process');
        const died = (error: unknown): never => {
          if (error instanceof SimulatedCrash) {
            kill.dead = true;
            kill.at ??= error.point;
          }
          throw error;
        };
        try {
          const result: unknown = Reflect.apply(value, target, args);
          return result instanceof Promise ? result.catch(died) : result;
        } catch (error) {
          return died(error);
        }
      };
    },
  });

/** The emulator's `delay` faults wait on the faked clock, so a test moves them on by hand. */
const fakeClockSleep = async (ms: number): Promise<void> => {
  const until = Date.now() + ms;
  while (Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
};

interface Tenant {
  id: string;
  apiKey: string;
  webhookSecret: string;
}

interface WorkerFaults {
  /** Wraps the store a worker instance sees (e.g. to crash after the claim). */
  store?: (store: Store) => Store;
  /** Wraps the ACK port a worker instance sees (crashes, throttling). */
  clusterApi?: (api: ClusterApi) => ClusterApi;
  /** The host dies after the handler succeeded and before it deleted the messages. */
  skipDelete?: boolean;
}

/** ASKP_LEASE_SECONDS' default: short, renewed by a heartbeat while a worker holds it. */
const LEASE_SECONDS = 30;
const VISIBILITY_SECONDS = 30;
const KEY = { accessKeyId: 'LTAI5tReliabilityHarness', accessKeySecret: 'reliability-secret' };

class Harness {
  public readonly tenants: Tenant[];
  public workerInstances = 0;
  private readonly logger = createLogger({ level: 'error' });

  private constructor(
    public readonly config: Config,
    public readonly store: Store,
    public readonly ack: AckEmulator,
    public readonly mns: MnsEmulator,
    public readonly queue: JobQueue,
    public readonly clusterApi: ClusterApi,
    public readonly vpcNetwork: VpcNetworkApi,
    public readonly receiver: WebhookReceiver,
    tenants: Tenant[],
  ) {
    this.tenants = tenants;
    this.ackCatalog = createAckCatalog(async () => this.clusterApi);
  }

  /** The API's view of what ACK offers, cached like a function instance's. */
  public readonly ackCatalog: AckCatalog;

  /**
   * `ack` adds emulator options, e.g. `kubeconfigFor` to plug in an emulated Kubernetes API.
   * `endpointPerTenant` registers one webhook endpoint per tenant (every event type) on the
   * receiver, next to the per-request URLs: each event then goes out twice with one webhook-id.
   */
  public static async start(
    options: {
      ack?: Partial<Omit<AckEmulatorOptions, 'accessKeyId' | 'accessKeySecret'>>;
      endpointPerTenant?: boolean;
      /** Environment overrides, e.g. `{ ASKP_WORKER_MAX_ATTEMPTS: '2' }`. */
      env?: Record<string, string>;
    } = {},
  ): Promise<Harness> {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-25T08:00:00Z'));
    // Many provisions share one emulator across seeds: lift the ASK quota out of the way.
    const ack = await startAckEmulator({
      ...KEY,
      createSeconds: 20,
      deleteSeconds: 5,
      askClusterQuota: 1000,
      sleep: fakeClockSleep,
      ...options.ack,
    });
    const mns = await startMnsEmulator({
      ...KEY,
      queues: ['provision-jobs'],
      visibilityTimeoutSeconds: VISIBILITY_SECONDS,
    });
    const tenants: Tenant[] = [];
    // Each delivery is verified on arrival with the public library, and tagged with the tenant
    // whose secret verifies it.
    const receiver = await startWebhookReceiver({
      verify: (hook) => {
        for (const tenant of tenants) {
          try {
            new Webhook(tenant.webhookSecret).verify(hook.body, hook.headers);
            return tenant.id;
          } catch {
            // not this tenant's signature
          }
        }
        return null;
      },
    });
    const config = loadConfig({
      DATABASE_URL: 'pglite://memory',
      ALIBABA_CLOUD_ACCESS_KEY_ID: KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEY.accessKeySecret,
      ASKP_MNS_ENDPOINT: mns.url,
      ASKP_MNS_ACCOUNT_ID: '1000000000000001',
      ASKP_ACK_ENDPOINT: ack.endpoint,
      ASKP_ACK_PROTOCOL: 'http',
      ASKP_VPC_ENDPOINT: ack.endpoint,
      ASKP_LEASE_SECONDS: String(LEASE_SECONDS),
      ASKP_WORKER_MAX_ATTEMPTS: '8',
      ASKP_WEBHOOK_ALLOW_HTTP: 'true',
      ASKP_WEBHOOK_ALLOWED_CIDRS: '127.0.0.0/8',
      ASKP_WEBHOOK_TIMEOUT_MS: '2000',
      ASKP_LOG_LEVEL: 'error',
      ...options.env,
    });
    const store = await buildStore(config, { schema: 'migrate' });
    const queue = createMnsJobQueue({ ...config.mns, credentials: config.credentials });
    // The SDK's retries would sleep in real time; a fake clock run retries without waiting.
    const clusterApi = createAlicloudClusterApi({
      credentials: config.credentials,
      endpoint: ack.endpoint,
      protocol: 'http',
      timeoutMs: 5000,
      sleep: async () => undefined,
      retry: { maxAttempts: 4 },
    });
    const vpcNetwork = createVpcNetworkApi({
      credentials: config.credentials,
      endpoint: ack.endpoint,
      protocol: 'http',
      timeoutMs: 5000,
      sleep: async () => undefined,
    });
    const harness = new Harness(
      config,
      store,
      ack,
      mns,
      queue,
      clusterApi,
      vpcNetwork,
      receiver,
      tenants,
    );
    await harness.addTenant('tnt_alpha');
    await harness.addTenant('tnt_beta');
    if (options.endpointPerTenant) {
      for (const tenant of tenants) {
        await store.createWebhookEndpoint({
          id: newId('whe'),
          tenantId: tenant.id,
          url: receiver.url,
          eventTypes: [],
          description: `${tenant.id}'s endpoint`,
          at: new Date(),
        });
      }
    }
    return harness;
  }

  private async addTenant(id: string): Promise<void> {
    const webhookSecret = newWebhookSecret();
    await this.store.createTenant({ id, name: id, webhookSecret, at: new Date() });
    const key = generateApiKey();
    await this.store.putApiKey({
      id: key.id,
      tenantId: id,
      secretHash: hashSecret(key.secret),
      scopes: [...SCOPES],
      expiresAt: null,
      revokedAt: null,
      createdAt: new Date(),
      name: null,
      lastUsedAt: null,
    });
    this.tenants.push({ id, apiKey: key.key, webhookSecret });
  }

  public advance(ms: number): void {
    vi.setSystemTime(new Date(Date.now() + ms));
  }

  /** Calls the api function with an FC3 HTTP event, as the HTTP trigger would. */
  public async api(
    tenant: Tenant,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<HttpResponse> {
    const handler = createApiHandler(async () => ({
      config: this.config,
      logger: this.logger,
      clock: systemClock,
      store: this.store,
      ackCalls: createAckCallTally({ store: this.store, logger: this.logger, flushMs: 1000 }),
      queue: this.queue,
      clusterApi: async () => this.clusterApi,
      vpcNetwork: async () => this.vpcNetwork,
      ackCatalog: this.ackCatalog,
      blockedAddresses: new Map(),
      apiKeyCache: createApiKeyCache({ ttlMs: 0 }),
      // A new instance per call, keeping nothing: every create reads its tenant's settings.
      tenantCreateSettings: createTenantCreateSettingsCache({
        store: this.store,
        clock: systemClock,
        ttlMs: 0,
      }),
      rateLimiter: createRateLimiter({
        store: this.store,
        clock: systemClock,
        logger: this.logger,
        ...this.config.rateLimit,
      }),
      webhookSender: createWebhookSender({
        timeoutMs: 2000,
        allowHttp: true,
        allowedCidrs: ['127.0.0.0/8'],
      }),
      cursorKey: async () => Buffer.alloc(32, 7),
      outboxMarks: createOutboxMarks({
        store: this.store,
        clock: systemClock,
        logger: this.logger,
      }),
    }));
    const event = Buffer.from(
      JSON.stringify({
        version: 'v1',
        rawPath: path,
        headers: { Authorization: `Bearer ${tenant.apiKey}`, 'Content-Type': 'application/json' },
        queryParameters: {},
        body: body === undefined ? '' : JSON.stringify(body),
        isBase64Encoded: false,
        requestContext: { requestId: randomUUID(), http: { method, path, sourceIp: '127.0.0.1' } },
      }),
    );
    return (await handler(event, {} as never)) as HttpResponse;
  }

  /**
   * One worker invocation over one batch, as FC's MNS trigger does it: delete the batch on
   * success, leave it (to reappear after the visibility timeout) when the handler throws.
   */
  public async runWorker(faults: WorkerFaults = {}): Promise<'empty' | 'ok' | 'failed'> {
    const messages = await this.queue.receive({ max: 10, waitSeconds: 0 });
    if (messages.length === 0) return 'empty';
    this.workerInstances += 1;
    // One kill switch for the whole invocation: a crash anywhere stops every later call.
    const kill: KillSwitch = { dead: false };
    const clusterApi = deadAfter(
      faults.clusterApi ? faults.clusterApi(this.clusterApi) : this.clusterApi,
      kill,
    );
    const handler = createWorkerHandler(async () => ({
      config: this.config,
      logger: this.logger,
      clock: systemClock,
      store: deadAfter(faults.store ? faults.store(this.store) : this.store, kill),
      ackCalls: createAckCallTally({ store: this.store, logger: this.logger, flushMs: 1000 }),
      clusterApi,
      // A new instance per invocation: what it keeps of the account starts empty.
      accountFacts: cachedAccountFacts(clusterApi),
      vpcNetwork: deadAfter(this.vpcNetwork, kill),
      workerId: `worker-${this.workerInstances}`,
    }));
    const event = Buffer.from(
      JSON.stringify(
        messages.map((message) => ({
          id: randomUUID(),
          source: 'MNS-provision-jobs',
          type: 'mns:Queue:SendMessage',
          data: { messageId: message.messageId, messageBody: message.body },
        })),
      ),
    );
    try {
      await handler(event, {} as never);
    } catch {
      return 'failed';
    }
    // A killed host deletes nothing: its messages come back after the visibility timeout.
    if (kill.dead) return 'failed';
    if (faults.skipDelete) return 'ok';
    await Promise.all(messages.map((message) => this.queue.delete(message.receiptHandle)));
    return 'ok';
  }

  /**
   * One poller tick (timer trigger event). A SimulatedCrash from a wrapped port kills the tick:
   * every later call of it throws, and the tick rejects.
   */
  public async runPoller(
    options: { store?: (store: Store) => Store; clusterApi?: (api: ClusterApi) => ClusterApi } = {},
  ): Promise<void> {
    const kill: KillSwitch = { dead: false };
    const handler = createPollerHandler(async () => ({
      config: this.config,
      logger: this.logger,
      clock: systemClock,
      store: deadAfter(options.store ? options.store(this.store) : this.store, kill),
      ackCalls: createAckCallTally({ store: this.store, logger: this.logger, flushMs: 1000 }),
      queue: deadAfter(this.queue, kill),
      clusterApi: deadAfter(
        options.clusterApi ? options.clusterApi(this.clusterApi) : this.clusterApi,
        kill,
      ),
      webhookSender: createWebhookSender({
        timeoutMs: 2000,
        allowHttp: true,
        allowedCidrs: ['127.0.0.0/8'],
      }),
    }));
    const event = Buffer.from(
      JSON.stringify({
        triggerTime: new Date().toISOString(),
        triggerName: 'every-minute',
        payload: '{}',
      }),
    );
    await handler(event, {} as never).catch((error: unknown) => {
      if (!kill.dead) throw error;
    });
    if (kill.dead) throw new SimulatedCrash(kill.at ?? 'poller');
  }

  /** Every provision of every tenant. */
  public async provisions() {
    return this.store.listProvisions({
      states: ['accepted', 'provisioning', 'running', 'failed', 'deleting', 'deleted', 'cancelled'],
      limit: 10_000,
    });
  }

  /**
   * Runs workers and poller ticks, moving the clock on, until nothing is left to do: every
   * provision settled in `settled` states, the queue drained, and no webhook delivery pending.
   */
  public async settle(input: {
    settled: readonly string[];
    maxRounds?: number;
    stepMs?: number;
  }): Promise<void> {
    let last = '';
    for (let round = 0; round < (input.maxRounds ?? 400); round += 1) {
      while ((await this.runWorker()) !== 'empty') {
        // drain what is visible now
      }
      await this.runPoller();
      const provisions = await this.provisions();
      const unsettled = provisions.filter((p) => !input.settled.includes(p.state));
      const pending = await this.pendingDeliveries();
      const queued = this.mns.peekAll('provision-jobs').length;
      if (unsettled.length === 0 && pending === 0 && queued === 0) return;
      // Only webhooks left to retry: jump to the next attempt instead of crawling through hours.
      const nextDue =
        unsettled.length === 0 && queued === 0 ? await this.nextDeliveryAt() : undefined;
      if (nextDue !== undefined) {
        this.advance(Math.max(1000, nextDue - Date.now() + 1000));
        continue;
      }
      last = `unsettled: ${unsettled.map((p) => `${p.id}=${p.state}`).join(', ')}; pending deliveries: ${pending}; queued: ${queued}`;
      this.advance(input.stepMs ?? (VISIBILITY_SECONDS + 1) * 1000);
    }
    throw new Error(`the pipeline did not settle (${last})`);
  }

  /** When the earliest undelivered webhook is due (epoch ms), if any is pending. */
  public async nextDeliveryAt(): Promise<number | undefined> {
    let next: number | undefined;
    for (const provision of await this.provisions()) {
      for (const d of await this.store.listDeliveries({ provisionId: provision.id })) {
        if (d.deliveredAt !== null || d.abandonedAt !== null) continue;
        const at = d.nextAttemptAt.getTime();
        next = next === undefined ? at : Math.min(next, at);
      }
    }
    return next;
  }

  public async pendingDeliveries(): Promise<number> {
    const provisions = await this.provisions();
    let pending = 0;
    for (const provision of provisions) {
      const deliveries = await this.store.listDeliveries({ provisionId: provision.id });
      pending += deliveries.filter((d) => d.deliveredAt === null && d.abandonedAt === null).length;
    }
    return pending;
  }

  public async close(): Promise<void> {
    await this.store.close();
    await this.ack.close();
    await this.mns.close();
    await this.receiver.close();
    vi.useRealTimers();
  }
}

export type { KillSwitch, Tenant, WorkerFaults };
export { deadAfter, Harness, LEASE_SECONDS, SimulatedCrash, seededRandom, VISIBILITY_SECONDS };
