import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

/**
 * The web console's static files: `ui/app.ts` bundled by esbuild into one `app.js` (zod's mini
 * build included: nothing is fetched from elsewhere, it works offline), next to `index.html` and
 * `app.css`. `npm run build` writes them into the api bundle (`dist/api/ui`); `npm start` builds
 * them into the data directory and points the api at it (`ASKP_UI_DIR`).
 */
/** The console's sources, wherever the build is started from. */
const UI_SOURCE = fileURLToPath(new URL('../ui/', import.meta.url));

/** Returns esbuild's metafile: what went into `app.js` (a test keeps the bundle small). */
const buildUi = async (outDir: string): Promise<Metafile> => {
  await mkdir(outDir, { recursive: true });
  const result = await build({
    metafile: true,
    entryPoints: [join(UI_SOURCE, 'app.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'app.css'])
    await copyFile(join(UI_SOURCE, file), join(outDir, file));
  return result.metafile;
};

export { buildUi };
