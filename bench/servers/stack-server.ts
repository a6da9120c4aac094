import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../../local/stack.js';
import { createLogger } from '../../shared/logger.js';

/**
 * The local host for the warm-read bench, in a process of its own (so the load generator does
 * not share its event loop): the whole stack on PostgreSQL (BENCH_STACK_DATABASE_URL), timers
 * off, rate limits out of the way. Prints `{apiUrl, apiKey}` as one JSON line when it listens.
 */
const dataDir = await mkdtemp(join(tmpdir(), 'askp-bench-stack-'));
const stack = await startLocalStack({
  env: {
    DATABASE_URL: process.env.BENCH_STACK_DATABASE_URL ?? '',
    ASKP_LOG_LEVEL: 'error',
    ASKP_RATE_LIMIT_PER_SECOND: '100000',
    ASKP_RATE_LIMIT_BURST: '1000000',
  },
  dataDir,
  apiPort: 0,
  ackPort: 0,
  mnsPort: 0,
  createSeconds: 3600,
  ackClusterQuota: 10_000,
  timerIntervalSeconds: 86_400,
  logger: createLogger({ level: 'error' }),
});
process.stdout.write(`${JSON.stringify({ apiUrl: stack.apiUrl, apiKey: stack.apiKey })}\n`);
process.on('SIGTERM', () => {
  void stack.stop().finally(() => process.exit(0));
});
