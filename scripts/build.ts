import { bundleAll } from './bundle.js';

const metafiles = await bundleAll(process.argv[2] ?? 'dist');
for (const [name, metafile] of Object.entries(metafiles)) {
  const bytes = Object.values(metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  process.stdout.write(
    `dist/${name}: ${Object.keys(metafile.outputs).filter((f) => f.endsWith('.mjs')).length} file(s), ${(bytes / 1024).toFixed(0)} KiB\n`,
  );
}
