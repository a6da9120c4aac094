import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase } from '../shared/store/database.js';

/** Shared pieces of `npm run bench`: statistics, timing a whole process, a scratch schema. */
const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
};

const median = (values: readonly number[]): number => percentile(values, 50);

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/**
 * Prepended to a child's `-e` script: at exit it prints its own CPU time (user + system, every
 * thread). On a shared machine wall time also counts the waits for a core; CPU time does not.
 */
const CPU_REPORT =
  "process.on('exit', () => { const u = process.cpuUsage(); process.stdout.write('\\ncpu-us ' + (u.user + u.system) + '\\n'); });";

/**
 * Wall and CPU time (ms) of a fresh `node` running the `-e` script `script` (after `flags`), from
 * spawn to exit; the CPU time is the child's own, reported at its exit.
 */
const timeNodeScript = (
  flags: string[],
  script: string,
  env: Record<string, string> = {},
): { wallMs: number; cpuMs: number } => {
  const { wallMs, stdout } = runNode([...flags, '-e', `${CPU_REPORT}\n${script}`], env);
  const reported = /cpu-us (\d+)/.exec(stdout)?.[1];
  if (reported === undefined) throw new Error('the child did not report its CPU time');
  return { wallMs, cpuMs: Number(reported) / 1000 };
};

const runNode = (
  args: string[],
  env: Record<string, string>,
): { wallMs: number; stdout: string } => {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  if (result.status !== 0) {
    throw new Error(`node failed (${result.status}): ${result.stderr.toString().slice(0, 800)}`);
  }
  return {
    wallMs: Number(process.hrtime.bigint() - started) / 1e6,
    stdout: result.stdout.toString(),
  };
};

const databaseUrl = (): string =>
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema on the bench database; `url` points at it (search_path). Dropped by `drop`. */
const scratchSchema = async (): Promise<{ url: string; drop(): Promise<void> }> => {
  const adminUrl = databaseUrl();
  const admin = await openDatabase({ databaseUrl: adminUrl, connectTimeoutMs: 5000 });
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  const url = new URL(adminUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin.db);
      await admin.close();
    },
  };
};

/** One line of the report: a figure, its baseline and their ratio against a goal. */
const ratioLine = (label: string, value: number, baseline: number, goal?: string): string =>
  `  ${label.padEnd(44)} ${value.toFixed(0).padStart(7)} ms  ${(value / baseline).toFixed(2)}x${goal ? `  (goal ${goal})` : ''}`;

export { databaseUrl, median, percentile, ratioLine, round, scratchSchema, timeNodeScript };
