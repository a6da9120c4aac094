import { join, resolve } from 'node:path';
import {
  type AckEmulator,
  parseFaultsFromEnv,
  startAckEmulator,
} from '../emulator/ack/ack-emulator.js';
import { containerGroupsFromPods } from '../emulator/eci/container-groups-from-pods.js';
import { type EciEmulator, startEciEmulator } from '../emulator/eci/eci-emulator.js';
import {
  type KubeEmulator,
  kubeconfigProviderFor,
  startKubeEmulator,
} from '../emulator/kube/kube-emulator.js';
import { type MnsEmulator, startMnsEmulator } from '../emulator/mns/mns-emulator.js';
import { buildUi } from '../scripts/build-ui.js';
import { buildStore } from '../shared/app/parts.js';
import { type Env, loadConfig } from '../shared/config.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { ensurePrivateDir } from '../shared/private-dir.js';
import type { Store } from '../shared/store/store.port.js';
import { bootstrapLocalAccess } from './bootstrap.js';
import { type FunctionHost, startFunctionHost } from './function-host.js';
import { loadSYaml } from './s-yaml.js';

/**
 * The whole local stack in one process: emulated ACK, ECI, Kubernetes and MNS, the embedded database, and the
 * functions of s.yaml driven by their triggers. `npm start` and the e2e tests both use this.
 */

/** The key pair the emulators accept when none is given: for local use only, never a cloud key. */
const LOCAL_ACCESS_KEY_ID = 'LTAI5tLocalAskProvisioner';
const LOCAL_ACCESS_KEY_SECRET = 'local-only-secret-not-valid-in-any-cloud';
const LOCAL_ACCOUNT_ID = '1000000000000001';

interface LocalStackOptions {
  env: Env;
  dataDir: string;
  host?: string;
  apiPort: number;
  ackPort: number;
  mnsPort: number;
  /** Fixed in npm start: kubeconfigs name the port, and should stay valid across restarts. */
  kubePort?: number;
  createSeconds: number;
  /** Live ASK clusters the emulated account may hold per region (the emulator's default: 20). */
  ackClusterQuota?: number;
  timerIntervalSeconds?: number;
  /** Per function (s.yaml resource name), over `timerIntervalSeconds`. */
  timerIntervalsByFunction?: Readonly<Record<string, number>>;
  sYamlPath?: string;
  logger?: Logger;
}

interface LocalStack {
  apiUrl: string;
  apiKey: string;
  webhookSecret: string;
  ack: AckEmulator;
  mns: MnsEmulator;
  kube: KubeEmulator;
  eci: EciEmulator;
  store: Store;
  env: Env;
  /** The data directory (0700): keys, secrets, emulator state, the database. */
  dataDir: string;
  stop(): Promise<void>;
}

const startLocalStack = async (options: LocalStackOptions): Promise<LocalStack> => {
  const host = options.host ?? '127.0.0.1';
  const dataDir = resolve(options.dataDir);
  await ensurePrivateDir(dataDir);
  const logger = options.logger ?? createLogger({ fields: { fn: 'local' } });
  const accessKeyId = options.env.ALIBABA_CLOUD_ACCESS_KEY_ID || LOCAL_ACCESS_KEY_ID;
  const accessKeySecret = options.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET || LOCAL_ACCESS_KEY_SECRET;
  const queueName = options.env.ASKP_QUEUE_NAME || 'provision-jobs';

  const kube = await startKubeEmulator({
    host,
    port: options.kubePort ?? 0,
    stateFile: join(dataDir, 'kube-emulator.json'),
    // A deleted cluster's API server is gone: its kubeconfig stops working.
    isApiServerUp: (clusterId) =>
      ack.listAllClusters().some((c) => c.clusterId === clusterId && c.state !== 'deleted'),
  });
  const ack: AckEmulator = await startAckEmulator({
    host,
    port: options.ackPort,
    accessKeyId,
    accessKeySecret,
    createSeconds: options.createSeconds,
    ...(options.ackClusterQuota === undefined ? {} : { askClusterQuota: options.ackClusterQuota }),
    stateFile: join(dataDir, 'ack-emulator.json'),
    kubeconfigFor: kubeconfigProviderFor(kube),
    // ASKP_EMULATOR_FAULTS / ASKP_EMULATOR_FAIL_NAMES / ASKP_EMULATOR_SEED (docs/emulator.md).
    ...parseFaultsFromEnv(options.env),
  });
  // ECI shows the Kubernetes emulator's pods as container groups: the janitor's idle checks of
  // network "auto" clusters read them there, as they must on the deployed service.
  const eci = await startEciEmulator({
    host,
    accessKeyId,
    accessKeySecret,
    containerGroups: containerGroupsFromPods(ack, kube),
  });
  const mns = await startMnsEmulator({
    host,
    port: options.mnsPort,
    accessKeyId,
    accessKeySecret,
    queues: [queueName],
    stateFile: join(dataDir, 'mns-emulator.json'),
  });

  // The environment s.yaml is resolved against: the caller's, with the local services filled in.
  const env: Env = {
    ...options.env,
    ALIBABA_CLOUD_ACCESS_KEY_ID: accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: accessKeySecret,
    ASKP_MNS_ENDPOINT: mns.url,
    ASKP_MNS_ACCOUNT_ID: options.env.ASKP_MNS_ACCOUNT_ID || LOCAL_ACCOUNT_ID,
    ASKP_QUEUE_NAME: queueName,
    ASKP_ACK_ENDPOINT: ack.endpoint,
    ASKP_ACK_PROTOCOL: 'http',
    // The ACK emulator serves the VPC API too (DescribeVpcs, DescribeVSwitches).
    ASKP_VPC_ENDPOINT: ack.endpoint,
    ASKP_ECI_ENDPOINT: eci.endpoint,
    ASKP_ECI_PROTOCOL: 'http',
    DATABASE_URL: options.env.DATABASE_URL || `pglite://${join(dataDir, 'pg')}`,
    // Local mode may send webhooks to loopback receivers over plain HTTP.
    ASKP_WEBHOOK_ALLOW_HTTP: options.env.ASKP_WEBHOOK_ALLOW_HTTP || 'true',
    ASKP_WEBHOOK_ALLOWED_CIDRS: options.env.ASKP_WEBHOOK_ALLOWED_CIDRS || '127.0.0.0/8,::1/128',
    // Webhook secrets are sealed at rest under a key kept in the (0700) data directory.
    ASKP_SECRETS_KEY_FILE: options.env.ASKP_SECRETS_KEY_FILE || join(dataDir, 'secrets.key'),
    // The web console, built from ui/ at start (deployed, it sits next to the api bundle).
    ASKP_UI_DIR: options.env.ASKP_UI_DIR || join(dataDir, 'ui'),
  };
  const stops: (() => Promise<void>)[] = [
    () => mns.close(),
    () => eci.close(),
    () => ack.close(),
    () => kube.close(),
  ];
  try {
    if (!options.env.ASKP_UI_DIR) await buildUi(join(dataDir, 'ui'));
    const sYaml = await loadSYaml(options.sYamlPath ?? 's.yaml', env);
    // One embedded database for all functions: PGlite allows a single owner per data directory.
    const store = await buildStore(loadConfig(env), { schema: 'migrate' });
    stops.unshift(() => store.close());
    const access = await bootstrapLocalAccess({
      store,
      dataDir,
      ...(options.env.ASKP_BOOTSTRAP_API_KEY
        ? { bootstrapKey: options.env.ASKP_BOOTSTRAP_API_KEY }
        : {}),
    });
    const runtimeEnv: Env = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: accessKeySecret,
    };
    const functions: FunctionHost = await startFunctionHost({
      sYaml,
      runtimeEnv,
      shared: { store },
      logger,
      http: { host, port: options.apiPort },
      timerIntervalSeconds: options.timerIntervalSeconds,
      ...(options.timerIntervalsByFunction
        ? { timerIntervalsByFunction: options.timerIntervalsByFunction }
        : {}),
    });
    stops.unshift(() => functions.stop());
    if (!functions.apiUrl) throw new Error('s.yaml has no HTTP-triggered function');
    return {
      apiUrl: functions.apiUrl,
      apiKey: access.apiKey,
      webhookSecret: access.tenant.webhookSecret,
      ack,
      mns,
      kube,
      eci,
      store,
      env,
      dataDir,
      stop: async () => {
        for (const stop of stops) await stop();
      },
    };
  } catch (error) {
    for (const stop of stops) await stop().catch(() => undefined);
    throw error;
  }
};

export type { LocalStack, LocalStackOptions };
export { LOCAL_ACCESS_KEY_ID, LOCAL_ACCESS_KEY_SECRET, startLocalStack };
