import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EMULATED_AUTHORISED_ROLES } from '../../emulator/ack/catalog.js';
import { ASK_SERVICE_ROLES } from '../../shared/ack/service-roles.js';

/**
 * An emulator mirrors the cloud, not us: if it imported the service's code, a change to the
 * service could silently change what the "cloud" answers, and the tests would agree with
 * themselves. So nothing under emulator/ may import from the service's folders.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FORBIDDEN = ['shared', 'functions', 'local', 'test', 'bench', 'scripts'];

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.[cm]?[jt]s$/.test(entry.name) ? [path] : [];
  });

/** Every module specifier: static imports and re-exports, dynamic import(), require(). */
const specifiersOf = (text: string): string[] => {
  const patterns = [
    /\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[1] ?? ''));
};

/** The top-level folder of the repository a relative specifier lands in (undefined: a package). */
const landsIn = (file: string, specifier: string): string | undefined => {
  if (!specifier.startsWith('.')) return undefined;
  return relative(ROOT, resolve(dirname(file), specifier)).split(/[\\/]/)[0];
};

describe('the emulator boundary', () => {
  const files = sourceFiles(join(ROOT, 'emulator'));

  it('finds the emulator sources and reads their imports', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(specifiersOf("import { a } from '../../shared/x.js';\nexport * from './y.js';")).toEqual(
      ['../../shared/x.js', './y.js'],
    );
    expect(specifiersOf("const m = await import('../shared/z.js'); import './side.js';")).toEqual([
      './side.js',
      '../shared/z.js',
    ]);
    expect(landsIn(join(ROOT, 'emulator/ack/a.ts'), '../../shared/x.js')).toBe('shared');
  });

  it('imports nothing from the service (shared/, functions/, local/, tests)', () => {
    const offending = files.flatMap((file) =>
      specifiersOf(readFileSync(file, 'utf8'))
        .filter((specifier) => FORBIDDEN.includes(landsIn(file, specifier) ?? ''))
        .map((specifier) => `${relative(ROOT, file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
  });
});

describe('facts the emulator and the service each keep', () => {
  it('the emulated account authorises, by default, every role the preflight asks about', () => {
    expect([...EMULATED_AUTHORISED_ROLES].sort()).toEqual([...ASK_SERVICE_ROLES].sort());
  });
});
