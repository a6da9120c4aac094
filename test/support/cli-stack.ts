import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalStack } from '../../local/stack.js';
import { startFastStack } from './fast-stack.js';

/**
 * A fast local stack for running the real `askp` binary against, with a HOME of its own (for
 * profile files) and the environment that points the CLI at the stack with its admin key.
 */
interface CliStack {
  stack: LocalStack;
  /** The test's HOME: profiles written by `askp config --save` land below it. */
  home: string;
  /** ASKP_URL, ASKP_API_KEY and HOME for `runAskp`. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const startCliStack = async (options: { createSeconds: number }): Promise<CliStack> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'askp-e2e-cli-'));
  const home = await mkdtemp(join(tmpdir(), 'askp-home-'));
  const stack = await startFastStack(dataDir, options);
  return {
    stack,
    home,
    env: { ASKP_URL: stack.apiUrl, ASKP_API_KEY: stack.apiKey, HOME: home },
    stop: async () => {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
      await rm(home, { recursive: true, force: true });
    },
  };
};

export type { CliStack };
export { startCliStack };
