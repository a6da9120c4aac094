import http from 'node:http';
import { percentile } from './support.js';

/**
 * A small closed-loop load generator (autocannon-like): `connections` keep-alive connections,
 * each sending the next request when the last answered, for `seconds`. Counts 2xx answers.
 */
interface LoadResult {
  requests: number;
  errors: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const load = async (input: {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
}): Promise<LoadResult> => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: input.connections });
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + input.seconds * 1000;
  const once = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = http.get(input.url, { agent, headers: input.headers ?? {} }, (res) => {
        res.resume();
        res.on('end', () => {
          if ((res.statusCode ?? 0) < 300) latencies.push(performance.now() - started);
          else errors += 1;
          resolve();
        });
      });
      req.on('error', () => {
        errors += 1;
        resolve();
      });
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: input.connections }, async () => {
      while (performance.now() < until) await once();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    requests: latencies.length,
    errors,
    perSecond: latencies.length / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
};

export type { LoadResult };
export { load };
