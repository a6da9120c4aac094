import type { SharedParts } from '../../shared/app/parts.js';
import { createPollerApp } from '../../shared/app/poller-app.js';
import { type Env, loadConfig } from '../../shared/config.js';
import { lazy } from '../../shared/lazy.js';
import { createPollerHandler } from './handler.js';

/** Entry point on Function Compute (`index.handler`); the local host calls `createHandler`. */
const createHandler = (env: Env, shared: SharedParts = {}) =>
  createPollerHandler(lazy(() => createPollerApp(loadConfig(env), shared)));

const handler = createHandler(process.env);

export { createHandler, handler };
