import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  EMULATED_AUTHORISED_ROLES,
  EMULATED_NETWORKS,
  EMULATED_REGIONS,
  EMULATED_VERSIONS,
} from './catalog.js';
import { settleChangeTasks } from './change-tasks.js';
import { parseFaultsFromEnv } from './fault-env.js';
import type { ParsedFault } from './fault-schema.js';
import { type AckFault, FaultSet, type FaultView } from './faults.js';
import type { HandlerContext, KubeconfigFor, KubeconfigRequest } from './handlers/handler.js';
import { clusterStateAt } from './lifecycle.js';
import { defaultEndpoints } from './render.js';
import { createRouter } from './router.js';
import { createSignatureVerifier } from './signature.js';
import { ClusterStore } from './store.js';
import type { ClusterEndpoints, EmulatedCluster, StoredCluster } from './types.js';

/**
 * An ACK (CS OpenAPI 2015-12-15) emulator over plain node:http, for @alicloud/cs20151215 pointed at
 * `{ endpoint: emulator.endpoint, protocol: 'http' }`. It verifies ACS3-HMAC-SHA256 signatures,
 * speaks ROA JSON with ACK's snake_case bodies and error shape, and models ACK Serverless clusters
 * whose lifecycle follows the (injectable) clock. Like LocalStack/Azurite: this file starts the
 * server; router.ts runs the pipeline; routes.ts maps method and path to handlers/ (one file per
 * operation); signature.ts authenticates; store.ts holds state; faults.ts disturbs requests;
 * control.ts serves `/_emulator/faults`. docs/emulator.md is the user's guide.
 */

interface AckEmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  accessKeyId: string;
  accessKeySecret: string;
  /**
   * When set, every request must carry this STS token (`x-acs-security-token`), or an emulated
   * one (emulator/sts/sts-tokens.ts) that has not expired.
   */
  securityToken?: string;
  /** The clock emulated STS tokens expire by (default Date.now). */
  tokenNow?: () => number;
  /** How long a creation takes (default 20). */
  createSeconds?: number;
  /** How long a deletion takes (default 5). */
  deleteSeconds?: number;
  /** How long a change task (API server EIP, upgrade, addons) takes (default 4). */
  changeSeconds?: number;
  /** The clock cluster lifecycles follow (default Date.now). */
  now?: () => number;
  /** Waits out `delay` faults (default: real time). */
  sleep?: (ms: number) => Promise<void>;
  /** JSON file the state is written to after every change and loaded from at start. */
  stateFile?: string;
  /** Creations whose name matches fail (and stay failed until deleted). */
  failNamePattern?: RegExp;
  /** Faults active from the start (e.g. from parseFaultsFromEnv). */
  faults?: (AckFault | ParsedFault)[];
  /** Seeds the PRNG of faults with a `rate` (default 1). */
  seed?: number;
  /** Live ASK clusters allowed per region, also reported by DescribeUserQuota (default 20). */
  askClusterQuota?: number;
  /** RAM service roles the account has authorised (default: EMULATED_AUTHORISED_ROLES). */
  grantedRoles?: readonly string[];
  /** The API server addresses running clusters report (default: stable fake addresses). */
  endpointsFor?: (cluster: StoredCluster) => ClusterEndpoints;
  /** Issues kubeconfigs, e.g. from an emulated Kubernetes API (default: kubeconfig.ts). */
  kubeconfigFor?: KubeconfigFor;
}

interface AckEmulator {
  url: string;
  port: number;
  /** `127.0.0.1:<port>`, as the SDK's `endpoint` option wants it. */
  endpoint: string;
  close(): Promise<void>;
  /** Every cluster ever created, deleted ones included, with its state now. */
  listAllClusters(): EmulatedCluster[];
  /** Requests per action, e.g. `{ DescribeClustersV1: 3 }` (unroutable ones count as Unknown). */
  stats(): Record<string, number>;
  resetStats(): void;
  /** Validates (throws FaultValidationError naming the field) and activates a fault. */
  injectFault(fault: AckFault): FaultView;
  listFaults(): FaultView[];
  clearFaults(): void;
}

const listen = async (server: ReturnType<typeof createServer>, port: number, host: string) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

const startAckEmulator = async (options: AckEmulatorOptions): Promise<AckEmulator> => {
  const now = options.now ?? Date.now;
  const store = new ClusterStore(options.stateFile);
  const faults = new FaultSet(options.seed ?? 1);
  for (const fault of options.faults ?? []) faults.add(fault);
  const context: HandlerContext = {
    store,
    now,
    timing: {
      createMs: (options.createSeconds ?? 20) * 1000,
      deleteMs: (options.deleteSeconds ?? 5) * 1000,
      changeMs: (options.changeSeconds ?? 4) * 1000,
    },
    askClusterQuota: options.askClusterQuota ?? 20,
    creationFailure: (name) =>
      options.failNamePattern?.test(name) === true
        ? 'the cluster name matches failNamePattern'
        : faults.takeCreationFailure(name),
    taskFailure: (taskType) => faults.takeTaskFailure(taskType),
    endpointsFor: options.endpointsFor ?? defaultEndpoints,
    grantedRoles: new Set(options.grantedRoles ?? EMULATED_AUTHORISED_ROLES),
    kubeconfigFor: options.kubeconfigFor,
  };
  const stats = new Map<string, number>();
  let closed = false;
  const verifier = createSignatureVerifier({
    accessKeyId: options.accessKeyId,
    accessKeySecret: options.accessKeySecret,
    ...(options.securityToken === undefined ? {} : { securityToken: options.securityToken }),
    ...(options.tokenNow === undefined ? {} : { tokenNow: options.tokenNow }),
  });
  const server = createServer(
    createRouter({
      context,
      verify: verifier.verify,
      faults,
      stats,
      isClosed: () => closed,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    }),
  );
  const host = options.host ?? '127.0.0.1';
  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  // Listening on every interface: clients still connect through loopback.
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;

  return {
    url: `http://${reachable}:${port}`,
    port,
    endpoint: `${reachable}:${port}`,
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // The SDK keeps connections alive; without this close() would wait for them to idle out.
        server.closeAllConnections();
      });
    },
    listAllClusters: () => {
      settleChangeTasks(store, now());
      return store
        .allClusters()
        .map((cluster) => ({ ...structuredClone(cluster), state: clusterStateAt(cluster, now()) }));
    },
    stats: () => Object.fromEntries(stats),
    resetStats: () => stats.clear(),
    injectFault: (fault) => faults.add(fault),
    listFaults: () => faults.list(),
    clearFaults: () => {
      faults.clear();
    },
  };
};

export type {
  AckEmulator,
  AckEmulatorOptions,
  AckFault,
  ClusterEndpoints,
  EmulatedCluster,
  FaultView,
  KubeconfigFor,
  KubeconfigRequest,
};
export {
  EMULATED_NETWORKS,
  EMULATED_REGIONS,
  EMULATED_VERSIONS,
  parseFaultsFromEnv,
  startAckEmulator,
};
