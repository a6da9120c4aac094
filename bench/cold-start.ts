import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Cold start of each function bundle: a fresh `node` importing `dist/<fn>/index.mjs`, against a
 * bare `node -e ''` measured in the same run (the baseline), median of several runs.
 */
const RUNS = 7;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

const timeNode = (args: string[]): number => {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed`);
  return Number(process.hrtime.bigint() - started) / 1e6;
};

const benchColdStart = (functions: readonly string[]): string[] => {
  const baseline = median(Array.from({ length: RUNS }, () => timeNode(['-e', ''])));
  const lines = [`cold start (median of ${RUNS}, baseline: bare node ${baseline.toFixed(0)} ms)`];
  for (const name of functions) {
    const url = pathToFileURL(join('dist', name, 'index.mjs')).href;
    const ms = median(
      Array.from({ length: RUNS }, () =>
        timeNode(['--input-type=module', '-e', `await import(${JSON.stringify(url)})`]),
      ),
    );
    lines.push(
      `  ${name.padEnd(8)} ${ms.toFixed(0).padStart(5)} ms  ${(ms / baseline).toFixed(2)}x baseline`,
    );
  }
  return lines;
};

export { benchColdStart };
