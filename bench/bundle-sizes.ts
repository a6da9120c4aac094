import type { Metafile } from 'esbuild';
import type { FunctionName } from '../scripts/bundle.js';

/**
 * Bundle sizes from esbuild's metafile: the entry file, what loads at start-up (the entry and
 * the chunks it imports statically) and every chunk (the lazily loaded ones too).
 */
interface BundleSize {
  entryKiB: number;
  startupKiB: number;
  totalKiB: number;
}

const sizeOf = (metafile: Metafile): BundleSize => {
  const outputs = metafile.outputs;
  const code = Object.keys(outputs).filter((file) => file.endsWith('.mjs'));
  const entry = code.find((file) => file.endsWith('/index.mjs'));
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of outputs[file]?.imports ?? [])
      if (imported.kind === 'import-statement' && outputs[imported.path]) visit(imported.path);
  };
  if (entry) visit(entry);
  const kib = (files: Iterable<string>) =>
    Math.round([...files].reduce((sum, file) => sum + (outputs[file]?.bytes ?? 0), 0) / 1024);
  return { entryKiB: kib(entry ? [entry] : []), startupKiB: kib(seen), totalKiB: kib(code) };
};

const bundleSizes = (
  metafiles: Record<FunctionName, Metafile>,
): Record<FunctionName, BundleSize> => {
  const entries = Object.entries(metafiles).map(([name, metafile]) => [name, sizeOf(metafile)]);
  return Object.fromEntries(entries) as Record<FunctionName, BundleSize>;
};

export type { BundleSize };
export { bundleSizes };
