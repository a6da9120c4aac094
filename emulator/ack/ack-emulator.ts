import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EMULATED_NETWORKS, EMULATED_REGIONS, EMULATED_VERSIONS } from './catalog.js';
import { type AckFault, FaultQueue } from './faults.js';
import type { HandlerContext } from './handlers/handler.js';
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
 * server; router.ts routes; signature.ts authenticates; store.ts holds state; handlers/ has one
 * file per operation.
 */

interface AckEmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  accessKeyId: string;
  accessKeySecret: string;
  /** How long a creation takes (default 20). */
  createSeconds?: number;
  /** How long a deletion takes (default 5). */
  deleteSeconds?: number;
  /** The clock cluster lifecycles follow (default Date.now). */
  now?: () => number;
  /** JSON file the state is written to after every change and loaded from at start. */
  stateFile?: string;
  /** Creations whose name matches fail (and stay failed until deleted). */
  failNamePattern?: RegExp;
  /** Live ASK clusters allowed per region (default 20). */
  askClusterQuota?: number;
  /** The API server addresses running clusters report (default: stable fake addresses). */
  endpointsFor?: (cluster: StoredCluster) => ClusterEndpoints;
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
  injectFault(fault: AckFault): void;
  clearFaults(): void;
}

const startAckEmulator = async (options: AckEmulatorOptions): Promise<AckEmulator> => {
  const now = options.now ?? Date.now;
  const store = new ClusterStore(options.stateFile);
  const context: HandlerContext = {
    store,
    now,
    timing: {
      createMs: (options.createSeconds ?? 20) * 1000,
      deleteMs: (options.deleteSeconds ?? 5) * 1000,
    },
    askClusterQuota: options.askClusterQuota ?? 20,
    failNamePattern: options.failNamePattern,
    endpointsFor: options.endpointsFor ?? defaultEndpoints,
  };
  const stats = new Map<string, number>();
  const faults = new FaultQueue();
  let closed = false;
  const verifier = createSignatureVerifier({
    accessKeyId: options.accessKeyId,
    accessKeySecret: options.accessKeySecret,
  });
  const server = createServer(
    createRouter({ context, verify: verifier.verify, faults, stats, isClosed: () => closed }),
  );

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
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
    listAllClusters: () =>
      store
        .allClusters()
        .map((cluster) => ({ ...structuredClone(cluster), state: clusterStateAt(cluster, now()) })),
    stats: () => Object.fromEntries(stats),
    resetStats: () => stats.clear(),
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
  };
};

export type { AckEmulator, AckEmulatorOptions, AckFault, ClusterEndpoints, EmulatedCluster };
export { EMULATED_NETWORKS, EMULATED_REGIONS, EMULATED_VERSIONS, startAckEmulator };
