import { connectEarly } from '../../shared/store/early-connection.js';

/**
 * The bundle's entry (`dist/api/index.mjs`, `index.handler` on Function Compute): it starts the
 * database connection, then loads the function, so that connecting overlaps loading the code
 * (docs/performance.md). The local host and tests use index.ts directly. UNVERIFIED: that
 * Function Compute's nodejs20 runtime waits for the top-level await before the first invocation
 * (docs/emulator.md).
 */
connectEarly(process.env.DATABASE_URL);

const { createHandler, handler } = await import('./index.js');

export { createHandler, handler };
