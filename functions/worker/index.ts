import type { SharedParts } from '../../shared/app/parts.js';
import { createWorkerApp } from '../../shared/app/worker-app.js';
import { createCredentialsSource } from '../../shared/cloud/credentials.js';
import { type Env, loadConfig } from '../../shared/config.js';
import { lazy } from '../../shared/lazy.js';
import { createWorkerHandler } from './handler.js';

/** Entry point on Function Compute (`index.handler`); the local host calls `createHandler`. */
const createHandler = (env: Env, shared: SharedParts = {}) => {
  // This instance's credentials: the environment's at first, then each invocation's own.
  const credentials = createCredentialsSource(() => loadConfig(env).credentials);
  return createWorkerHandler(
    lazy(() => createWorkerApp(loadConfig(env), shared, credentials)),
    credentials,
  );
};

const handler = createHandler(process.env);

export { createHandler, handler };
