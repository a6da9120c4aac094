import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { createLogger } from '../../shared/logger.js';

/**
 * The whole local stack in this process on free ports, with emulated clusters that are ready in
 * `createSeconds` and timer functions every half second, so an e2e test sees a cluster's life in
 * seconds. `dataDir` is the caller's (a restart reuses it).
 */
const startFastStack = (
  dataDir: string,
  options: { createSeconds?: number } = {},
): Promise<LocalStack> =>
  startLocalStack({
    env: { ASKP_LOG_LEVEL: 'warn' },
    dataDir,
    apiPort: 0,
    ackPort: 0,
    mnsPort: 0,
    kubePort: 0,
    createSeconds: options.createSeconds ?? 2,
    timerIntervalSeconds: 0.5,
    logger: createLogger({ level: 'warn' }),
  });

export { startFastStack };
