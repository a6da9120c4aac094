import { DomainError } from '../domain/errors.js';

/** Where PGlite keeps its files when DATABASE_URL is unset (relative to the working directory). */
const DEFAULT_PGLITE_DIR = '.data/pg';

type DatabaseTarget =
  | { kind: 'pglite' /** `null` keeps the database in memory (tests). */; dataDir: string | null }
  | { kind: 'postgres'; connectionString: string };

const PGLITE_PREFIX = 'pglite://';
/** `kms-secret://<name>`: the URL is kept in KMS Secrets Manager (database-secret.ts reads it). */
const KMS_SECRET_PREFIX = 'kms-secret://';

const isKmsSecretUrl = (url: string | undefined): boolean =>
  url?.trim().toLowerCase().startsWith(KMS_SECRET_PREFIX) ?? false;
const POSTGRES_PATTERN = /^postgres(ql)?:\/\//i;

/**
 * The scheme alone is safe to show: the rest of a URL may carry a password, and this message ends
 * up in start-up logs.
 */
const schemeOf = (url: string): string => {
  const match = /^([a-z][a-z0-9+.-]{0,19}):/i.exec(url);
  return match?.[1] ? `"${match[1]}:"` : 'none';
};

const configError = (message: string): DomainError =>
  new DomainError('CONFIG_INVALID', message, { field: 'DATABASE_URL' });

/**
 * DATABASE_URL → which database to open. Unset or `pglite://<dir>`: PGlite persisted in that
 * directory; `pglite://memory`: PGlite in memory; `postgres://` or `postgresql://`: a server.
 */
const parseDatabaseUrl = (url: string | undefined): DatabaseTarget => {
  const text = url?.trim() ?? '';
  if (text === '') return { kind: 'pglite', dataDir: DEFAULT_PGLITE_DIR };
  if (text.toLowerCase().startsWith(PGLITE_PREFIX)) {
    const dir = text.slice(PGLITE_PREFIX.length);
    if (dir === 'memory') return { kind: 'pglite', dataDir: null };
    return { kind: 'pglite', dataDir: dir === '' ? DEFAULT_PGLITE_DIR : dir };
  }
  if (POSTGRES_PATTERN.test(text)) {
    // Checked here because the driver's own parse error carries the whole URL, password included.
    if (!URL.canParse(text)) throw configError('DATABASE_URL is not a valid postgres:// URL');
    return { kind: 'postgres', connectionString: text };
  }
  const scheme = schemeOf(text);
  throw configError(
    `DATABASE_URL must start with postgres://, postgresql:// or pglite:// (its scheme is ${scheme})`,
  );
};

export type { DatabaseTarget };
export { DEFAULT_PGLITE_DIR, isKmsSecretUrl, KMS_SECRET_PREFIX, parseDatabaseUrl };
