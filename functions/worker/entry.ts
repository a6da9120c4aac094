import { connectEarly } from '../../shared/store/early-connection.js';

/**
 * The bundle's entry (`dist/worker/index.mjs`, `index.handler` on Function Compute): it starts the
 * database connection, then loads the function, so that connecting overlaps loading the code
 * (docs/performance.md). The local host and tests use index.ts directly.
 */
connectEarly(process.env.DATABASE_URL);

const { createHandler, handler } = await import('./index.js');

export { createHandler, handler };
