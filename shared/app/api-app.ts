import type { Config } from '../config.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import { type BaseApp, buildBase, buildQueue, type SharedParts } from './parts.js';

interface ApiApp extends BaseApp {
  queue: JobQueue;
}

/** The API function's app: store and queue; never the ACK SDK. */
const createApiApp = async (config: Config, shared: SharedParts = {}): Promise<ApiApp> => ({
  ...(await buildBase(config, shared, 'api')),
  queue: buildQueue(config),
});

export type { ApiApp };
export { createApiApp };
