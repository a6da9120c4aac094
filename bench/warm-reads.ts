import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type LoadResult, load } from './load.js';
import { round, scratchSchema } from './support.js';

/**
 * Warm reads through the local host: an authenticated `GET /v1/clusters/{id}` (the whole stack in
 * a child process on PostgreSQL) against the floor, a bare node:http + `pg` server answering the
 * same row with one query (another child, same database), 10 connections each, after a warm-up.
 * The two are loaded in turn, ROUNDS times, and compared round by round: the machine's load
 * drifts over both alike, and the median round is reported (a single pair of 5 s runs swung the
 * throughput ratio between 0.49 and 0.59 on the same code).
 */
const CONNECTIONS = 10;
const SECONDS = 3;
const ROUNDS = 3;

const startChild = async (
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; ready: Record<string, string> }> => {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code})`)));
  });
  return { child, ready: JSON.parse(first) as Record<string, string> };
};

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

const benchWarmReads = async (): Promise<{
  lines: string[];
  result: { service: LoadResult; floor: LoadResult; throughputRatio: number; p50Ratio: number };
}> => {
  const scratch = await scratchSchema();
  const env = { BENCH_STACK_DATABASE_URL: scratch.url };
  const stack = await startChild(
    process.execPath,
    ['--import', 'tsx', 'bench/servers/stack-server.ts'],
    env,
  );
  let floorChild: ChildProcess | undefined;
  try {
    const apiUrl = stack.ready.apiUrl ?? '';
    const authorization = `Bearer ${stack.ready.apiKey ?? ''}`;
    const created = await fetch(`${apiUrl}/v1/clusters`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'warm', region: 'cn-hangzhou' }),
    });
    const { id } = (await created.json()) as { id: string };
    const floor = await startChild(process.execPath, ['bench/servers/floor-server.mjs'], env);
    floorChild = floor.child;
    const serviceTarget = { url: `${apiUrl}/v1/clusters/${id}`, headers: { authorization } };
    const floorTarget = { url: `${floor.ready.url ?? ''}/v1/clusters/${id}` };
    await load({ ...serviceTarget, connections: CONNECTIONS, seconds: 1 });
    await load({ ...floorTarget, connections: CONNECTIONS, seconds: 1 });
    const rounds: { floor: LoadResult; service: LoadResult; throughputRatio: number }[] = [];
    for (let round_ = 0; round_ < ROUNDS; round_ += 1) {
      const floorRun = await load({ ...floorTarget, connections: CONNECTIONS, seconds: SECONDS });
      const serviceRun = await load({
        ...serviceTarget,
        connections: CONNECTIONS,
        seconds: SECONDS,
      });
      rounds.push({
        floor: floorRun,
        service: serviceRun,
        throughputRatio: serviceRun.perSecond / floorRun.perSecond,
      });
    }
    const median = [...rounds].sort((a, b) => a.throughputRatio - b.throughputRatio)[
      Math.floor(ROUNDS / 2)
    ];
    if (!median) throw new Error('no round of warm reads ran');
    const { floor: floorResult, service } = median;
    const throughputRatio = round(median.throughputRatio);
    const p50Ratio = round(service.p50Ms / floorResult.p50Ms);
    const row = (label: string, r: LoadResult) =>
      `  ${label.padEnd(34)} ${r.perSecond.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(1).padStart(6)} ms  p99 ${r.p99Ms.toFixed(1).padStart(6)} ms  (${r.requests} ok, ${r.errors} errors)`;
    return {
      lines: [
        `warm reads through the local host (${CONNECTIONS} connections; ${ROUNDS} rounds of ${SECONDS} s each, floor then service, after 1 s of warm-up; the median round)`,
        row('floor: node:http + pg, one query', floorResult),
        row('service: GET /v1/clusters/{id}', service),
        `  throughput ${throughputRatio}x the floor (goal >= 0.5x), p50 ${p50Ratio}x the floor's (goal <= 2x); every round's throughput ratio: ${rounds.map((r) => r.throughputRatio.toFixed(2)).join(', ')}`,
      ],
      result: { service, floor: floorResult, throughputRatio, p50Ratio },
    };
  } finally {
    if (floorChild) await stop(floorChild);
    await stop(stack.child);
    await scratch.drop();
  }
};

export { benchWarmReads };
