import { writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { bundleAll, FUNCTIONS } from '../scripts/bundle.js';
import { bundleSizes } from './bundle-sizes.js';
import { benchColdStart } from './cold-start.js';
import { benchCreates } from './creates.js';
import { benchPollerScale } from './poller-scale.js';
import { benchPollerTick } from './poller-tick.js';
import { benchWarmReads } from './warm-reads.js';
import { benchWebhooks } from './webhooks.js';

/**
 * `npm run bench`: every figure beside its baseline measured in this same run, printed and
 * written to bench/results.json. Needs PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL).
 * `npm run bench -- cold warm creates poller webhooks` picks parts (all by default).
 */
const parts = new Set(process.argv.slice(2));
const wants = (part: string) => parts.size === 0 || parts.has(part);

const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version };
const print = (lines: readonly string[]) => process.stdout.write(`${lines.join('\n')}\n\n`);
const started = performance.now();
// A part that throws ends the run, but the figures of the parts before it are still written.
process.on('exit', (code) => {
  if (code === 0) return;
  results.failed = { exitCode: code, seconds: Math.round((performance.now() - started) / 1000) };
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
});

const metafiles = await bundleAll('dist');
const sizes = bundleSizes(metafiles);
results.bundles = sizes;
print([
  'bundle sizes (KiB: entry file / loaded at start-up / all chunks)',
  ...Object.entries(sizes).map(
    ([name, size]) =>
      `  ${name.padEnd(8)} ${String(size.entryKiB).padStart(6)} / ${String(size.startupKiB).padStart(6)} / ${String(size.totalKiB).padStart(6)}`,
  ),
]);

if (wants('cold')) {
  const cold = await benchColdStart(FUNCTIONS);
  results.coldStart = cold.result;
  print(cold.lines);
}

if (wants('warm')) {
  const warm = await benchWarmReads();
  results.warmReads = warm.result;
  print(warm.lines);
}

if (wants('creates')) {
  const creates = await benchCreates();
  results.creates = creates.result;
  print(creates.lines);
}

if (wants('poller')) {
  const poller = await benchPollerScale([100, 1000, 10_000]);
  results.pollerScale = poller.result;
  print(poller.lines);
  const tick = await benchPollerTick(10_000);
  results.pollerTick = tick.result;
  print(tick.lines);
}

if (wants('webhooks')) {
  const webhooks = await benchWebhooks();
  results.webhooks = webhooks.result;
  print(webhooks.lines);
}

results.seconds = Math.round((performance.now() - started) / 1000);
await writeFile('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`written to bench/results.json (the run took ${results.seconds} s)\n`);
