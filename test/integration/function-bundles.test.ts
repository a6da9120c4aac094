import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleAll, FUNCTIONS, type FunctionName } from '../../scripts/bundle.js';
import { startupFiles } from '../../scripts/startup-files.js';

/** What `npm run build` ships to Function Compute: one bundle per function, nothing local. */
describe('function bundles', () => {
  let outRoot: string;
  let metafiles: Record<FunctionName, Metafile>;

  beforeAll(async () => {
    outRoot = await mkdtemp(join(tmpdir(), 'askp-dist-'));
    metafiles = await bundleAll(outRoot);
  }, 120_000);

  afterAll(async () => {
    await rm(outRoot, { recursive: true, force: true });
  });

  const inputsOf = (name: FunctionName): string[] =>
    Object.values(metafiles[name].outputs).flatMap((output) => Object.keys(output.inputs));

  /** Inputs of what loads at start-up: the entry, the function's module, their static imports. */
  const startupInputsOf = (name: FunctionName): string[] => {
    const outputs = metafiles[name].outputs;
    return startupFiles(metafiles[name], name).flatMap((file) =>
      Object.keys(outputs[file]?.inputs ?? {}),
    );
  };

  it.each(FUNCTIONS)('bundles %s to <function>/index.mjs exporting a handler', async (name) => {
    const module = (await import(pathToFileURL(join(outRoot, name, 'index.mjs')).href)) as {
      handler?: unknown;
    };
    expect(typeof module.handler).toBe('function');
  });

  it.each(FUNCTIONS)(
    'starts the %s database connection from a small entry that loads the function after it',
    (name) => {
      const outputs = metafiles[name].outputs;
      const entry = Object.entries(outputs).find(([file]) => file.endsWith('/index.mjs'))?.[1];
      // The entry starts connecting; the function's own module is a chunk it imports after.
      expect(Object.keys(entry?.inputs ?? {})).toContain(`functions/${name}/entry.ts`);
      expect(Object.keys(entry?.inputs ?? {})).not.toContain(`functions/${name}/index.ts`);
      expect(entry?.imports.some((imported) => imported.kind === 'dynamic-import')).toBe(true);
      // What loads at start-up still holds the function (else the checks below prove nothing).
      expect(startupInputsOf(name)).toContain(`functions/${name}/index.ts`);
      expect(startupInputsOf(name)).toContain('shared/store/early-connection.ts');
    },
  );

  it.each(FUNCTIONS)('keeps emulator/ and local/ code out of the %s bundle', (name) => {
    const local = inputsOf(name).filter(
      (input) => input.startsWith('emulator/') || input.startsWith('local/'),
    );
    expect(local).toEqual([]);
  });

  it('never loads the ACK SDK when the api function starts', () => {
    // The few API routes that ask ACK load it on first use, from a separate chunk.
    expect(
      startupInputsOf('api').filter((input) => input.includes('@alicloud/cs20151215')),
    ).toEqual([]);
  });

  it('never loads the MNS SDK when the api function starts, only when a request sends a job', () => {
    expect(inputsOf('api').some((input) => input.includes('node_modules/@alicloud/mns/'))).toBe(
      true,
    );
    expect(startupInputsOf('api').filter((input) => input.includes('@alicloud/mns'))).toEqual([]);
  });

  it("loads the OpenAPI builder and the webhook events' schemas only on GET /openapi.json", () => {
    for (const lazyInput of ['shared/http/openapi.ts', 'shared/webhooks/webhook-event-docs.ts']) {
      expect(inputsOf('api'), lazyInput).toContain(lazyInput);
      expect(startupInputsOf('api'), lazyInput).not.toContain(lazyInput);
    }
  });

  it('loads no migration at start-up: a cold start checks only their names', () => {
    for (const name of FUNCTIONS) {
      expect(inputsOf(name), name).toContain('shared/store/migrations/0001_initial.ts');
      expect(
        startupInputsOf(name).filter((input) => /^shared\/store\/migrations\/\d/.test(input)),
        name,
      ).toEqual([]);
    }
  });

  it('loads no route module at start-up, only the table the router matches on', () => {
    const routeModules = inputsOf('api').filter((input) =>
      input.startsWith('functions/api/routes/'),
    );
    expect(routeModules).toContain('functions/api/routes/clusters-read.ts');
    expect(
      startupInputsOf('api').filter((input) => input.startsWith('functions/api/routes/')),
    ).toEqual(['functions/api/routes/route-table.ts']);
  });

  it('loads prom-client in the api only on the /metrics route, never at start-up', () => {
    expect(inputsOf('api').some((input) => input.includes('node_modules/prom-client/'))).toBe(true);
    expect(startupInputsOf('api').filter((input) => input.includes('prom-client'))).toEqual([]);
  });

  it('gives the worker and the poller the ACK SDK only through a lazily loaded chunk', () => {
    for (const name of ['worker', 'poller'] as const) {
      expect(inputsOf(name).some((input) => input.includes('@alicloud/cs20151215'))).toBe(true);
      expect(startupInputsOf(name).some((input) => input.includes('@alicloud/cs20151215'))).toBe(
        false,
      );
    }
  });

  it('gives the janitor the ACK SDK and client-node only through lazily loaded chunks', () => {
    for (const dependency of ['@alicloud/cs20151215', '@kubernetes/client-node']) {
      expect(
        inputsOf('janitor').some((input) => input.includes(dependency)),
        dependency,
      ).toBe(true);
      expect(
        startupInputsOf('janitor').some((input) => input.includes(dependency)),
        dependency,
      ).toBe(false);
    }
  });

  it('never loads the KMS SDK at start-up (only for a kms-secret:// DATABASE_URL)', () => {
    for (const name of FUNCTIONS) {
      expect(
        startupInputsOf(name).filter((input) => input.includes('@alicloud/kms20160120')),
        name,
      ).toEqual([]);
      expect(
        inputsOf(name).some((input) => input.includes('@alicloud/kms20160120')),
        name,
      ).toBe(true);
    }
  });

  it('keeps client-node out of every bundle but the janitor', () => {
    for (const name of FUNCTIONS.filter((fn) => fn !== 'janitor')) {
      expect(inputsOf(name).filter((input) => input.includes('@kubernetes/client-node'))).toEqual(
        [],
      );
    }
  });

  it('imports zod as a namespace, so that what no schema uses (its 60-odd locales) stays out', () => {
    // `import * as z from 'zod'` makes esbuild build zod's whole `z` object: every locale and
    // every schema kind, 443 KiB in each function's start-up; `import * as z` lets it drop them.
    for (const name of FUNCTIONS) {
      const locales = inputsOf(name).filter((input) =>
        input.includes('node_modules/zod/v4/locales/'),
      );
      expect(
        locales.map((input) => input.replace(/.*\/locales\//, '')),
        name,
      ).toEqual(['en.js']);
    }
  });

  it('leaves PGlite out of every bundle (deployed functions use PostgreSQL)', () => {
    for (const name of FUNCTIONS) {
      expect(inputsOf(name).filter((input) => input.includes('pglite'))).toEqual([]);
    }
  });
});
