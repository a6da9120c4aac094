import { afterEach } from 'vitest';
import {
  type AckEmulator,
  type AckEmulatorOptions,
  startAckEmulator,
} from '../../emulator/ack/ack-emulator.js';
import { AckError } from '../../shared/ack/ack-error.js';
import {
  type AlicloudClusterApiOptions,
  createAlicloudClusterApi,
} from '../../shared/ack/alicloud-cluster-api.js';
import type { ClusterApi, CreateClusterInput } from '../../shared/ack/cluster-api.port.js';
import { buildStore } from '../../shared/app/parts.js';
import { systemClock } from '../../shared/clock.js';
import { loadConfig } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import type { JobQueue } from '../../shared/queue/job-queue.port.js';
import type { Store } from '../../shared/store/store.port.js';
import type { VpcNetworkApi } from '../../shared/vpc/vpc-network.port.js';
import {
  createVpcNetworkApi,
  type VpcNetworkApiOptions,
} from '../../shared/vpc/vpc-network-api.js';
import {
  newClock as clockFrom,
  type TestClock,
  tempDir as tempDirWith,
} from '../support/emulator-harness.js';

/**
 * Shared set-up for the ACK integration tests: an emulator on a free loopback port with an
 * injected clock, and the real adapter (real SDK) pointed at it with recorded, instant sleeps.
 * Servers and temporary directories are cleaned up after each test.
 */

const ACCESS_KEY_ID = 'LTAI-harness-key';
const ACCESS_KEY_SECRET = 'harness-secret-0123456789';
const REGION = 'cn-hangzhou';
const START = Date.parse('2025-06-01T00:00:00Z');

const started: AckEmulator[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.close()));
});

const newClock = (): TestClock => clockFrom(START);

/** A temporary directory, removed after the test. */
const tempDir = (): string => tempDirWith('ack-test-');

const startEmulator = async (
  options: Partial<AckEmulatorOptions> = {},
  clock: TestClock = newClock(),
): Promise<{ emulator: AckEmulator; clock: TestClock }> => {
  const emulator = await startAckEmulator({
    accessKeyId: ACCESS_KEY_ID,
    accessKeySecret: ACCESS_KEY_SECRET,
    now: clock.now,
    ...options,
  });
  started.push(emulator);
  return { emulator, clock };
};

const adapterFor = (
  emulator: AckEmulator,
  overrides: Partial<AlicloudClusterApiOptions> = {},
): { api: ClusterApi; sleeps: number[] } => {
  const sleeps: number[] = [];
  const api = createAlicloudClusterApi({
    credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET },
    endpoint: emulator.endpoint,
    protocol: 'http',
    retry: { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 10_000 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return { api, sleeps };
};

/** The VPC API adapter (real @alicloud/vpc20160428) against the ACK emulator, which serves it. */
const vpcAdapterFor = (
  emulator: AckEmulator,
  overrides: Partial<VpcNetworkApiOptions> = {},
): VpcNetworkApi =>
  createVpcNetworkApi({
    credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET },
    endpoint: emulator.endpoint,
    protocol: 'http',
    sleep: async () => undefined,
    ...overrides,
  });

const startHarness = async (
  options: Partial<AckEmulatorOptions> = {},
  adapter: Partial<AlicloudClusterApiOptions> = {},
) => {
  const { emulator, clock } = await startEmulator(options);
  return { emulator, clock, ...adapterFor(emulator, adapter) };
};

const clusterInput = (overrides: Partial<CreateClusterInput> = {}): CreateClusterInput => ({
  name: 'demo-0001',
  regionId: REGION,
  vpcId: 'vpc-emuhz01',
  vswitchIds: ['vsw-emuhz01a', 'vsw-emuhz01b'],
  serviceCidr: '172.21.0.0/20',
  endpointPublicAccess: true,
  snatEntry: false,
  clusterSpec: 'ack.standard',
  addons: [],
  tags: { 'askp.provision-id': 'prv_0001' },
  deletionProtection: false,
  ...overrides,
});

/** What an ACK adapter call threw: always an AckError (ack-error.ts). */
const caught = async (promise: Promise<unknown>): Promise<AckError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AckError) return error;
    throw error;
  }
  throw new Error('expected an AckError');
};

/**
 * A migrated in-memory store (PGlite) under a config naming the harness's key, for tests that
 * accept provisions and run their jobs against the emulator; the caller closes it.
 */
const memoryStore = (): Promise<Store> =>
  buildStore(
    loadConfig({
      DATABASE_URL: 'pglite://memory',
      ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET,
      ASKP_MNS_ENDPOINT: 'http://127.0.0.1:1',
      ASKP_MNS_ACCOUNT_ID: '1',
    }),
    { schema: 'migrate' },
  );

/** A queue for tests that run the job themselves: a send fails (logged, not fatal, by accept). */
const UNUSED_QUEUE: JobQueue = {
  send: async () => {
    throw new Error('queue not used here');
  },
  receive: async () => [],
  delete: async () => undefined,
};

/** acceptProvision's deps over that store, for a test that then runs the create job itself. */
const acceptDepsFor = (store: Store) => ({
  store,
  queue: UNUSED_QUEUE,
  clock: systemClock,
  logger: createLogger({ level: 'error' }),
  config: { janitor: { warnSeconds: 3600 } },
});

export type { TestClock };
export {
  ACCESS_KEY_ID,
  ACCESS_KEY_SECRET,
  acceptDepsFor,
  adapterFor,
  caught,
  clusterInput,
  memoryStore,
  newClock,
  REGION,
  START,
  startEmulator,
  startHarness,
  tempDir,
  vpcAdapterFor,
};
