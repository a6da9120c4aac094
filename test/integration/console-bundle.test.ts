import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi } from '../../scripts/build-ui.js';

/**
 * The console's `app.js` is what a browser downloads before it shows anything. It parses with
 * zod's mini build; the full build (with every locale) made it 472 kB, the mini one under 40 kB.
 * These checks fail if the full build comes back through any import.
 */
describe('web console bundle', () => {
  let outDir: string;
  let metafile: Metafile;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'askp-ui-'));
    metafile = await buildUi(outDir);
  }, 60_000);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  const inputs = (): string[] =>
    Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs));

  it("carries zod's mini build only: no classic schemas, no locales", () => {
    const zod = inputs().filter((input) => input.includes('node_modules/zod/'));
    expect(zod.some((input) => input.includes('/v4/mini/'))).toBe(true);
    expect(zod.filter((input) => /\/v4\/(classic|locales)\//.test(input))).toEqual([]);
  });

  it('takes no code from the service (shared/, functions/): the console talks to the API only', () => {
    expect(
      inputs().filter((input) => input.startsWith('shared/') || input.startsWith('functions/')),
    ).toEqual([]);
  });

  it('stays a small download (under 100 kB minified)', async () => {
    const { size } = await stat(join(outDir, 'app.js'));
    expect(size).toBeLessThan(100_000);
  });
});
