import { lazy } from '../lazy.js';
import type { JobQueue } from './job-queue.port.js';

/**
 * A JobQueue whose adapter is built on first use. The MNS SDK (with its XML parser and HTTP
 * client) is a large part of a bundle's start-up: most API requests send no job, so the API (and
 * a poller tick with nothing to re-send) never loads it. A failed load is retried on the next use.
 */
const lazyJobQueue = (load: () => Promise<JobQueue>): JobQueue => {
  const queue = lazy(load);
  return {
    send: async (job) => (await queue()).send(job),
    receive: async (input) => (await queue()).receive(input),
    delete: async (receiptHandle) => (await queue()).delete(receiptHandle),
  };
};

export { lazyJobQueue };
