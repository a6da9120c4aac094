import type { SharedParts } from '../shared/app/parts.js';
import type { Env } from '../shared/config.js';

/**
 * Maps an s.yaml resource's `code` folder (`./dist/<name>`) to the function's source, so the local
 * host runs the same handler the bundle exports, straight from TypeScript.
 */
type FcHandler = (event: Buffer, context: object) => Promise<unknown>;
type HandlerFactory = (env: Env, shared: SharedParts) => FcHandler;

const SOURCES: Record<string, () => Promise<{ createHandler: HandlerFactory }>> = {
  api: () => import('../functions/api/index.js'),
  worker: () => import('../functions/worker/index.js'),
  poller: () => import('../functions/poller/index.js'),
  janitor: () => import('../functions/janitor/index.js'),
};

const loadHandlerFactory = async (code: string): Promise<HandlerFactory> => {
  const name = /^\.?\/?dist\/([\w-]+)\/?$/.exec(code)?.[1];
  const load = name ? SOURCES[name] : undefined;
  if (!load)
    throw new Error(
      `s.yaml: no function source for code ${code} (expected ./dist/<api|worker|poller|janitor>)`,
    );
  return (await load()).createHandler;
};

export type { FcHandler, HandlerFactory };
export { loadHandlerFactory };
