import type { SharedParts } from '../../shared/app/parts.js';
import { createWorkerApp } from '../../shared/app/worker-app.js';
import { type Env, loadConfig } from '../../shared/config.js';
import { lazy } from '../../shared/lazy.js';
import { createWorkerHandler } from './handler.js';

/** Entry point on Function Compute (`index.handler`); the local host calls `createHandler`. */
const createHandler = (env: Env, shared: SharedParts = {}) =>
  createWorkerHandler(lazy(() => createWorkerApp(loadConfig(env), shared)));

const handler = createHandler(process.env);

export { createHandler, handler };
