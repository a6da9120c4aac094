import type { Metafile } from 'esbuild';
import type { FunctionName } from '../scripts/bundle.js';
import { startupFiles } from '../scripts/startup-files.js';

/**
 * Bundle sizes from esbuild's metafile: the entry file, what loads at start-up (the entry, the
 * function's module and the chunks they import statically: scripts/startup-files.ts) and every
 * chunk (the lazily loaded ones too).
 */
interface BundleSize {
  entryKiB: number;
  startupKiB: number;
  totalKiB: number;
}

const sizeOf = (metafile: Metafile, name: string): BundleSize => {
  const outputs = metafile.outputs;
  const code = Object.keys(outputs).filter((file) => file.endsWith('.mjs'));
  const entry = code.find((file) => file.endsWith('/index.mjs'));
  const kib = (files: Iterable<string>) =>
    Math.round([...files].reduce((sum, file) => sum + (outputs[file]?.bytes ?? 0), 0) / 1024);
  return {
    entryKiB: kib(entry ? [entry] : []),
    startupKiB: kib(startupFiles(metafile, name)),
    totalKiB: kib(code),
  };
};

const bundleSizes = (
  metafiles: Record<FunctionName, Metafile>,
): Record<FunctionName, BundleSize> => {
  const entries = Object.entries(metafiles).map(([name, metafile]) => [
    name,
    sizeOf(metafile, name),
  ]);
  return Object.fromEntries(entries) as Record<FunctionName, BundleSize>;
};

export type { BundleSize };
export { bundleSizes };
