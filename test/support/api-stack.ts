import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { createApiApp } from '../../shared/app/api-app.js';
import type { Clock } from '../../shared/clock.js';
import { type Env, loadConfig } from '../../shared/config.js';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import type { Provision } from '../../shared/domain/provision.js';
import { newId } from '../../shared/ids.js';
import { lazy } from '../../shared/lazy.js';
import { createLogger } from '../../shared/logger.js';
import type { Store } from '../../shared/store/store.port.js';
import { type ApiCaller, httpApi, inProcessApi } from './api-client.js';

/**
 * One local stack for a test file, set up for API tests: the poller's timer effectively off (a
 * provision stays where the API and the worker left it), clusters slow to come up, and quiet
 * logs. `inProcess` calls the same API function in-process against the stack's own store and
 * queue, with a clock, environment or store of the test's choosing.
 */
interface ApiStack {
  stack: LocalStack;
  /** Over HTTP, through the local HTTP trigger. */
  api: ApiCaller;
  /** The bootstrap admin key (tenant `tnt_local`). */
  adminKey: string;
  inProcess(options?: { env?: Env; clock?: Clock; store?: Store }): ApiCaller;
  /**
   * A provision written straight to the store, with its outbox entry but no message sent: with
   * the poller off it stays `accepted`, which no API call can guarantee (the worker is quick).
   */
  insertAccepted(
    tenantId: string,
    input?: { labels?: Record<string, string>; deletionProtection?: boolean },
  ): Promise<Provision>;
  stop(): Promise<void>;
}

const startApiStack = async (env: Env = {}): Promise<ApiStack> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'askp-api-'));
  const logger = createLogger({ level: 'error' });
  // In-process calls are where tests inject failures on purpose: their logs would only be noise.
  const silent = createLogger({ level: 'error', write: () => {} });
  const stack = await startLocalStack({
    env: { ASKP_LOG_LEVEL: 'error', ...env },
    dataDir,
    apiPort: 0,
    ackPort: 0,
    mnsPort: 0,
    createSeconds: 3600,
    timerIntervalSeconds: 86_400,
    logger,
  });
  return {
    stack,
    api: httpApi(stack.apiUrl),
    adminKey: stack.apiKey,
    inProcess: (options = {}) =>
      inProcessApi(
        lazy(() =>
          createApiApp(loadConfig({ ...stack.env, ASKP_LOG_LEVEL: 'error', ...options.env }), {
            store: options.store ?? stack.store,
            logger: silent,
            ...(options.clock ? { clock: options.clock } : {}),
          }),
        ),
      ).call,
    insertAccepted: async (tenantId, input = {}) => {
      const now = new Date();
      const id = newId('prv', now.getTime());
      const labels = input.labels ?? {};
      const { provision } = await stack.store.createProvision({
        provision: {
          id,
          tenantId,
          name: 'inserted',
          region: 'cn-hangzhou',
          spec: createClusterRequestSchema.parse({
            name: 'inserted',
            region: 'cn-hangzhou',
            labels,
            deletionProtection: input.deletionProtection ?? false,
          }),
          clusterName: `inserted-${id.slice(-10)}`,
          labels,
          expiresAt: null,
          createdAt: now,
        },
        event: {
          type: 'provision.accepted',
          state: 'accepted',
          message: 'inserted by a test',
          source: 'service',
          at: now,
        },
        job: { v: 1, kind: 'create', provisionId: id },
      });
      return provision;
    },
    stop: async () => {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

/** A clock that stands still until the test moves it. */
const manualClock = (start: Date): Clock & { advance(ms: number): void } => {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
  };
};

export type { ApiStack };
export { manualClock, startApiStack };
