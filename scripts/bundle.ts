import { cp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import { buildUi } from './build-ui.js';

/**
 * One esbuild bundle per function: `dist/<function>/index.mjs` exporting `handler` for FC's
 * `nodejs20` runtime, built from functions/<function>/entry.ts. Dynamic imports become chunks
 * next to it, loaded only when reached (the ACK SDK is never reached by the API function). PGlite is the embedded local database and never
 * ships: deployed functions use PostgreSQL (`DATABASE_URL=postgres://…`).
 */
const FUNCTIONS = ['api', 'worker', 'poller', 'janitor'] as const;
type FunctionName = (typeof FUNCTIONS)[number];

const EXTERNAL = [
  '@electric-sql/pglite',
  '@electric-sql/pglite/*',
  'kysely-pglite-dialect',
  'pg-native',
];

// CommonJS dependencies (the Alibaba SDKs) call require() for Node built-ins; an ESM bundle has none.
const REQUIRE_SHIM =
  "import { createRequire as __askpCreateRequire } from 'node:module'; const require = __askpCreateRequire(import.meta.url);";

/**
 * `pg` asks at import whether it runs on Cloudflare Workers, and on Node 20 (no `navigator`) it
 * asks by constructing a `Response`: that loads Node's whole fetch implementation (undici), a
 * tenth of a function's cold start, for nothing. The bundles run on Node only, so the answer is
 * fixed here; the build fails if `pg` changes the line (the patch must not silently stop applying).
 */
const PG_STREAM = /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/;
const PG_CLOUDFLARE_PROBE = 'if (isCloudflareRuntime()) {';

const pgOnNodeOnly: Plugin = {
  name: 'pg-on-node-only',
  setup(context) {
    context.onLoad({ filter: PG_STREAM }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(PG_CLOUDFLARE_PROBE))
        throw new Error(`${args.path}: pg's Cloudflare probe changed; update scripts/bundle.ts`);
      return { contents: source.replace(PG_CLOUDFLARE_PROBE, 'if (false) {'), loader: 'js' };
    });
  },
};

/**
 * CA certificates an operator put in deploy/certs/ (e.g. ApsaraDB RDS's CA, to verify the database
 * with `sslrootcert=/code/certs/<file>.pem`; docs/deploy.md) ship with every function: Function
 * Compute unpacks a function's code in /code.
 */
const CERTS_DIR = join('deploy', 'certs');

const copyCertificates = async (outdir: string): Promise<void> => {
  const files = await readdir(CERTS_DIR).catch(() => [] as string[]);
  for (const file of files.filter((name) => name.endsWith('.pem'))) {
    await cp(join(CERTS_DIR, file), join(outdir, 'certs', file));
  }
};

const bundleFunction = async (name: FunctionName, outRoot: string): Promise<Metafile> => {
  const outdir = join(outRoot, name);
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    // entry.ts starts the database connection, then imports index.ts (a chunk of its own).
    entryPoints: { index: join('functions', name, 'entry.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'none',
    external: EXTERNAL,
    // @alicloud/mns's index picks lib/ (async functions) or an es5/ build needing babel-runtime;
    // Node 20 always takes lib/, so bundle that one alone.
    alias: { '@alicloud/mns': '@alicloud/mns/lib/client.js' },
    banner: { js: REQUIRE_SHIM },
    plugins: [pgOnNodeOnly],
    logLevel: 'warning',
  });
  await copyCertificates(outdir);
  // The api serves the web console's static files from ui/ next to its bundle.
  if (name === 'api') await buildUi(join(outdir, 'ui'));
  return result.metafile;
};

const bundleAll = async (outRoot = 'dist'): Promise<Record<FunctionName, Metafile>> => {
  const entries = await Promise.all(
    FUNCTIONS.map(async (name) => [name, await bundleFunction(name, outRoot)] as const),
  );
  return Object.fromEntries(entries) as Record<FunctionName, Metafile>;
};

export type { FunctionName };
export { bundleAll, FUNCTIONS };
