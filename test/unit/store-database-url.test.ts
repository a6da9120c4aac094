import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.js';
import { DEFAULT_PGLITE_DIR, parseDatabaseUrl } from '../../shared/store/database-url.js';

const configErrorOf = (url: string): DomainError => {
  try {
    parseDatabaseUrl(url);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`expected ${url} to be rejected`);
};

describe('parseDatabaseUrl', () => {
  it('falls back to PGlite in .data/pg when DATABASE_URL is unset or blank', () => {
    expect(parseDatabaseUrl(undefined)).toEqual({ kind: 'pglite', dataDir: DEFAULT_PGLITE_DIR });
    expect(parseDatabaseUrl('  ')).toEqual({ kind: 'pglite', dataDir: '.data/pg' });
  });

  it('reads the PGlite directory from pglite://<dir>, relative or absolute', () => {
    expect(parseDatabaseUrl('pglite://./tmp/db')).toEqual({ kind: 'pglite', dataDir: './tmp/db' });
    expect(parseDatabaseUrl('pglite:///var/lib/askp')).toEqual({
      kind: 'pglite',
      dataDir: '/var/lib/askp',
    });
    expect(parseDatabaseUrl('pglite://')).toEqual({ kind: 'pglite', dataDir: DEFAULT_PGLITE_DIR });
  });

  it('keeps pglite://memory in memory (no directory)', () => {
    expect(parseDatabaseUrl('pglite://memory')).toEqual({ kind: 'pglite', dataDir: null });
  });

  it('passes postgres:// and postgresql:// URLs to the pool unchanged', () => {
    const url = 'postgres://app:pw@db.internal:5432/askp?sslmode=require';
    expect(parseDatabaseUrl(url)).toEqual({ kind: 'postgres', connectionString: url });
    expect(parseDatabaseUrl('postgresql://db/askp')).toEqual({
      kind: 'postgres',
      connectionString: 'postgresql://db/askp',
    });
  });

  it('rejects another scheme with CONFIG_INVALID naming DATABASE_URL, without the password', () => {
    const error = configErrorOf('mysql://u:secret@x/db');
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.field).toBe('DATABASE_URL');
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).toContain('"mysql:"');
    expect(error.message).not.toContain('secret');
  });

  it('rejects an unparsable postgres URL without echoing it', () => {
    const error = configErrorOf('postgres://u:secret@[::1/db');
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).not.toContain('secret');
  });

  it('does not echo a value that has no scheme at all', () => {
    const error = configErrorOf('hunter2secret');
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).not.toContain('hunter2');
  });
});
