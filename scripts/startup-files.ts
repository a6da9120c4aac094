import type { Metafile } from 'esbuild';

/**
 * The output files a function loads at start-up, from esbuild's metafile: the entry
 * (`<function>/index.mjs`), the function's own module, which the entry imports dynamically at
 * once (functions/<fn>/entry.ts: the database connection starts before it loads), and every
 * chunk those import statically. Any other dynamic import is loaded later, when reached.
 */
const startupFiles = (metafile: Metafile, functionName: string): string[] => {
  const { outputs } = metafile;
  const entry = Object.keys(outputs).find((file) => file.endsWith('/index.mjs'));
  const functionModule = `functions/${functionName}/index.ts`;
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of outputs[file]?.imports ?? []) {
      const eager =
        imported.kind === 'import-statement' ||
        (imported.kind === 'dynamic-import' &&
          outputs[imported.path]?.entryPoint === functionModule);
      if (eager && outputs[imported.path]) visit(imported.path);
    }
  };
  if (entry) visit(entry);
  return [...seen];
};

export { startupFiles };
