import { hostname } from 'node:os';
import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { Config } from '../config.js';
import { newId } from '../ids.js';
import { buildClusterApi } from './cluster-api.js';
import { type BaseApp, buildBase, type SharedParts } from './parts.js';

interface WorkerApp extends BaseApp {
  clusterApi: ClusterApi;
  /** Names this instance in leases, so a worker recognises its own claim. */
  workerId: string;
}

const createWorkerApp = async (config: Config, shared: SharedParts = {}): Promise<WorkerApp> => {
  const base = await buildBase(config, shared, 'worker');
  return {
    ...base,
    clusterApi: await buildClusterApi(config, base.ackCalls),
    workerId: `${hostname()}:${process.pid}:${newId('wkr')}`,
  };
};

export type { WorkerApp };
export { createWorkerApp };
