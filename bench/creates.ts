import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../local/stack.js';
import { createLogger } from '../shared/logger.js';
import { measureCreateFloor } from './create-floor.js';
import { createHttpClient } from './http-client.js';
import { percentile, round, scratchSchema } from './support.js';

/**
 * Creates through the local stack (in this process, on PostgreSQL, the ACK emulator's cluster
 * quota raised so 200 clusters pass preflight): 200 `POST /v1/clusters` one after another, each
 * timed to its answer (row + outbox + send) and to the moment the ACK emulator counts its
 * CreateCluster (the worker took the job off the queue and called ACK). The POST's p50 is set
 * against the p50 of 200 authenticated `GET /v1/clusters/{id}` sent the same way, same run, and
 * beside the floor no POST can go under (create-floor.ts): one durable commit and one send.
 * Requests go through plain `node:http` (http-client.ts), not `fetch`.
 */
const REQUESTS = 200;
const DISPATCH_TIMEOUT_MS = 60_000;

interface CreateFigures {
  requests: number;
  post: { p50Ms: number; p99Ms: number };
  dispatched: { p50Ms: number; p99Ms: number };
  warmGet: { p50Ms: number; p99Ms: number };
  /** One durable commit, then one send, bare (create-floor.ts). */
  floor: { p50Ms: number; p99Ms: number };
  postToGetP50: number;
  /** ACK calls per measured create, by action. */
  ackCallsPerCreate: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const benchCreates = async (): Promise<{ lines: string[]; result: CreateFigures }> => {
  const scratch = await scratchSchema();
  const dataDir = await mkdtemp(join(tmpdir(), 'askp-bench-creates-'));
  const stack = await startLocalStack({
    env: {
      DATABASE_URL: scratch.url,
      ASKP_LOG_LEVEL: 'error',
      ASKP_RATE_LIMIT_PER_SECOND: '100000',
      ASKP_RATE_LIMIT_BURST: '1000000',
    },
    dataDir,
    apiPort: 0,
    ackPort: 0,
    mnsPort: 0,
    // Creations outlast the bench: only CreateCluster is asked of ACK, no state follows.
    createSeconds: 3600,
    ackClusterQuota: REQUESTS + 50,
    timerIntervalSeconds: 86_400,
    logger: createLogger({ level: 'error', write: () => {} }),
  });
  try {
    const client = createHttpClient(stack.apiUrl, { authorization: `Bearer ${stack.apiKey}` });
    const created = () => stack.ack.stats().CreateCluster ?? 0;
    const post = (name: string) =>
      client.send('POST', '/v1/clusters', { name, region: 'cn-hangzhou' });
    const waitFor = async (count: number, started: number): Promise<number> => {
      while (created() < count) {
        if (performance.now() - started > DISPATCH_TIMEOUT_MS)
          throw new Error(`CreateCluster #${count} not called within ${DISPATCH_TIMEOUT_MS} ms`);
        await sleep(1);
      }
      return performance.now() - started;
    };

    // Warm-up: a few creates through every path (api, queue, worker, ACK SDK), not measured.
    const warmUp = 5;
    let id = '';
    for (let index = 0; index < warmUp; index += 1) {
      const started = performance.now();
      const answer = await post(`warm-${index}`);
      if (answer.status !== 202 && answer.status !== 201)
        throw new Error(`POST answered ${answer.status}: ${answer.body.toString()}`);
      ({ id } = JSON.parse(answer.body.toString()) as { id: string });
      await waitFor(created() + 1, started);
    }

    const postMs: number[] = [];
    const dispatchMs: number[] = [];
    stack.ack.resetStats();
    for (let index = 0; index < REQUESTS; index += 1) {
      const before = created();
      const started = performance.now();
      const answer = await post(`bench-${index}`);
      postMs.push(performance.now() - started);
      if (answer.status >= 300) throw new Error(`POST #${index} answered ${answer.status}`);
      dispatchMs.push(await waitFor(before + 1, started));
    }

    // What the measured creates asked ACK, per create (the worker's preflight included).
    const ackCallsPerCreate = Object.fromEntries(
      Object.entries(stack.ack.stats()).map(([action, calls]) => [
        action,
        round(calls / REQUESTS, 2),
      ]),
    );

    // The warm GET, sent the same way (one at a time, same client, same process).
    const getMs: number[] = [];
    for (let index = 0; index < REQUESTS + 20; index += 1) {
      const started = performance.now();
      const answer = await client.send('GET', `/v1/clusters/${id}`);
      if (answer.status !== 200) throw new Error(`GET answered ${answer.status}`);
      if (index >= 20) getMs.push(performance.now() - started);
    }

    client.close();
    // The floor: a durable commit and a send, bare (create-floor.ts), after the stack's run.
    const floorMs = await measureCreateFloor({
      databaseUrl: scratch.url,
      dataDir,
      requests: REQUESTS,
      warmUp: 5,
    });

    const figure = (values: number[]) => ({
      p50Ms: round(percentile(values, 50), 1),
      p99Ms: round(percentile(values, 99), 1),
    });
    const result: CreateFigures = {
      requests: REQUESTS,
      post: figure(postMs),
      dispatched: figure(dispatchMs),
      warmGet: figure(getMs),
      floor: figure(floorMs),
      postToGetP50: round(percentile(postMs, 50) / percentile(getMs, 50)),
      ackCallsPerCreate,
    };
    const row = (label: string, f: { p50Ms: number; p99Ms: number }) =>
      `  ${label.padEnd(48)} p50 ${f.p50Ms.toFixed(1).padStart(7)} ms  p99 ${f.p99Ms.toFixed(1).padStart(7)} ms`;
    return {
      lines: [
        `creates through the local stack (${REQUESTS} requests one at a time, PostgreSQL, after ${warmUp} warm-up creates)`,
        row('baseline: warm GET /v1/clusters/{id}', result.warmGet),
        row('floor: durable insert, then MNS send (bare)', result.floor),
        row('POST /v1/clusters answered (row+outbox+send)', result.post),
        row('POST -> CreateCluster dispatched', result.dispatched),
        `  POST p50 ${result.postToGetP50}x the warm GET's (goal <= 3x); the GET's and the floor's p50 together: ${round((percentile(getMs, 50) + percentile(floorMs, 50)) / percentile(getMs, 50))}x`,
        `  ACK calls per create: ${JSON.stringify(ackCallsPerCreate)}`,
      ],
      result,
    };
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
    await scratch.drop();
  }
};

export { benchCreates };
