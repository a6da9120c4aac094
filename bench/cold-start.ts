import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bootstrapAdmin } from '../shared/access/bootstrap-admin.js';
import { systemClock } from '../shared/clock.js';
import { openDatabase } from '../shared/store/database.js';
import { createKyselyStore } from '../shared/store/kysely-store.js';
import { migrateToLatest } from '../shared/store/migrate.js';
import { countInstructions, valgrindMissing } from './instructions.js';
import { median, ratioLine, round, scratchSchema, timeNodeScript } from './support.js';

/**
 * Cold starts, each a whole fresh `node` process from spawn to exit, medians of RUNS runs
 * interleaved (machine load drifts over all alike), against a bare `node -e ''` of the same run;
 * beside each wall time, the process's own CPU time (what a shared machine's load does not add):
 * - the floor of any function that reads the database: node importing `pg`, connecting, one query;
 * - per function, the bundle's import alone, and its first handled invocation: import, config,
 *   database connection, first answer. The api answers `GET /v1/clusters` with a key against
 *   PostgreSQL; the worker an empty job batch; the poller and the janitor a tick with nothing to
 *   do (an empty database; ACK and MNS are never reached, their endpoints point nowhere).
 */
const RUNS = 9;

const API_EVENT = `Buffer.from(JSON.stringify({
  version: 'v1', rawPath: '/v1/clusters', headers: { authorization: 'Bearer ' + process.env.BENCH_KEY },
  queryParameters: {}, body: '', isBase64Encoded: false,
  requestContext: { requestId: 'bench', http: { method: 'GET', path: '/v1/clusters', sourceIp: '127.0.0.1' } },
}))`;

const TIMER_EVENT = `Buffer.from(JSON.stringify({ triggerTime: new Date().toISOString(), triggerName: 'bench', payload: '{}' }))`;

const CONTEXT = `{ requestId: 'bench', function: { timeout: 60 } }`;

/** The child: import the bundle, handle one invocation, exit (the pg pool would keep it alive). */
const answered: Record<string, { event: string; ok: string; context?: string }> = {
  api: { event: API_EVENT, ok: 'reply.statusCode === 200' },
  worker: { event: `Buffer.from('[]')`, ok: 'reply.processed === 0' },
  poller: { event: TIMER_EVENT, ok: "typeof reply === 'object'" },
  janitor: { event: TIMER_EVENT, ok: "typeof reply === 'object'" },
};

const childScript = (bundle: string, name: string): string => {
  const spec = answered[name];
  if (!spec) throw new Error(`no invocation for ${name}`);
  return `
const { handler } = await import(${JSON.stringify(bundle)});
const reply = await handler(${spec.event}, ${spec.context ?? CONTEXT});
if (!(${spec.ok})) { console.error(JSON.stringify(reply).slice(0, 500)); process.exit(3); }
process.exit(0);
`;
};

interface ColdStartResult {
  runs: number;
  bareNodeMs: number;
  pgFloorMs: number;
  /** The same processes' own CPU time (user + system), medians: steadier on a shared machine. */
  bareNodeCpuMs: number;
  pgFloorCpuMs: number;
  functions: Record<
    string,
    {
      importMs: number;
      answeredMs: number;
      answeredRatio: number;
      importRatio: number;
      answeredCpuMs: number;
      answeredCpuRatio: number;
      goal: number;
    }
  >;
  /** Instructions of one run each (callgrind), or why they were not counted. */
  instructions:
    | { bare: number; pgFloor: number; answered: Record<string, number> }
    | { skipped: string };
}

const benchColdStart = async (
  functions: readonly string[],
): Promise<{ lines: string[]; result: ColdStartResult }> => {
  const scratch = await scratchSchema();
  try {
    const opened = await openDatabase({ databaseUrl: scratch.url });
    await migrateToLatest(opened.db);
    const { key } = await bootstrapAdmin(
      { store: createKyselyStore({ db: opened.db }), clock: systemClock },
      { tenantName: 'bench', anotherKey: false },
    );
    await opened.close();
    const env = {
      DATABASE_URL: scratch.url,
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'bench',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'bench',
      ASKP_MNS_ENDPOINT: 'http://127.0.0.1:9',
      ASKP_MNS_ACCOUNT_ID: '1',
      ASKP_ACK_ENDPOINT: '127.0.0.1:9',
      ASKP_ACK_PROTOCOL: 'http',
      ASKP_LOG_LEVEL: 'error',
      BENCH_KEY: key,
    };
    const bundleOf = (name: string) => pathToFileURL(join('dist', name, 'index.mjs')).href;
    const pgFloor = `
const { default: pg } = await import('pg');
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
await client.query('select 1');
await client.end();
`;
    const samples = new Map<string, number[]>();
    const add = (label: string, ms: number) =>
      samples.set(label, [...(samples.get(label) ?? []), ms]);
    const time = (label: string, flags: string[], script: string) => {
      const { wallMs, cpuMs } = timeNodeScript(flags, script, env);
      add(label, wallMs);
      add(`${label}:cpu`, cpuMs);
    };
    const esm = ['--input-type=module'];
    for (let i = 0; i < RUNS; i += 1) {
      time('bare', [], '');
      time('pg', esm, pgFloor);
      for (const name of functions) {
        const url = bundleOf(name);
        time(`${name}:import`, esm, `await import(${JSON.stringify(url)})`);
        time(`${name}:answered`, esm, childScript(url, name));
      }
    }
    const m = (label: string) => median(samples.get(label) ?? []);
    const bare = m('bare');
    const bareCpu = m('bare:cpu');
    const result: ColdStartResult = {
      runs: RUNS,
      bareNodeMs: round(bare, 1),
      pgFloorMs: round(m('pg'), 1),
      bareNodeCpuMs: round(bareCpu, 1),
      pgFloorCpuMs: round(m('pg:cpu'), 1),
      functions: {},
      instructions: { skipped: 'not counted' },
    };
    const cpuNote = (label: string) =>
      `   cpu ${m(`${label}:cpu`).toFixed(0).padStart(4)} ms ${(m(`${label}:cpu`) / bareCpu).toFixed(2)}x`;
    const lines = [
      `cold start (whole processes, median of ${RUNS}; baseline: bare node ${bare.toFixed(0)} ms, ${bareCpu.toFixed(0)} ms of CPU)`,
      `${ratioLine('node + pg: connect, one query (floor)', m('pg'), bare)}${cpuNote('pg')}`,
    ];
    for (const name of functions) {
      const goal = name === 'api' ? 2.0 : 2.5;
      const imported = m(`${name}:import`);
      const first = m(`${name}:answered`);
      result.functions[name] = {
        importMs: round(imported, 1),
        answeredMs: round(first, 1),
        importRatio: round(imported / bare),
        answeredRatio: round(first / bare),
        answeredCpuMs: round(m(`${name}:answered:cpu`), 1),
        answeredCpuRatio: round(m(`${name}:answered:cpu`) / bareCpu),
        goal,
      };
      lines.push(
        `${ratioLine(`${name}: import only`, imported, bare)}${cpuNote(`${name}:import`)}`,
      );
      lines.push(
        ratioLine(`${name}: first invocation answered`, first, bare, `<= ${goal.toFixed(1)}x`) +
          cpuNote(`${name}:answered`),
      );
    }
    const missing = valgrindMissing();
    if (missing) {
      result.instructions = { skipped: missing };
      lines.push(`cold start in instructions: skipped, ${missing}`);
      return { lines, result };
    }
    const counted = await countInstructions(
      [
        { label: 'bare', flags: [], script: '' },
        { label: 'pg', flags: esm, script: pgFloor },
        ...functions.map((name) => ({
          label: name,
          flags: esm,
          script: childScript(bundleOf(name), name),
        })),
      ],
      env,
    );
    const count = (label: string) => counted.get(label) ?? Number.NaN;
    result.instructions = {
      bare: count('bare'),
      pgFloor: count('pg'),
      answered: Object.fromEntries(functions.map((name) => [name, count(name)])),
    };
    const instructionLine = (label: string, value: number, goal?: number) =>
      `  ${label.padEnd(44)} ${(value / 1e6).toFixed(0).padStart(7)} M  ${(value / count('bare')).toFixed(2)}x${goal ? `  (the wall-time goal: <= ${goal.toFixed(1)}x)` : ''}`;
    lines.push(
      'cold start in instructions (valgrind callgrind, one whole process each: the same count within ~0.5% on an idle or a loaded machine)',
      instructionLine('bare node', count('bare')),
      instructionLine('node + pg: connect, one query (floor)', count('pg')),
      ...functions.map((name) =>
        instructionLine(
          `${name}: first invocation answered`,
          count(name),
          name === 'api' ? 2.0 : 2.5,
        ),
      ),
    );
    return { lines, result };
  } finally {
    await scratch.drop();
  }
};

export type { ColdStartResult };
export { benchColdStart };
