import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { type ErrorCode, isDomainError } from '../shared/domain/errors.js';
import { openDatabase } from '../shared/store/database.js';
import { type KmsAccess, resolveDatabaseUrl } from '../shared/store/database-secret.js';
import { isKmsSecretUrl, parseDatabaseUrl } from '../shared/store/database-url.js';
import type { Database } from '../shared/store/schema.js';
import { type CommandContext, type OptionSpec, stringOption } from './command.js';
import { CliError, EXIT_CODES, type ExitCode } from './exit-codes.js';

const DATABASE_URL_OPTION: OptionSpec = {
  type: 'string',
  value: '<url>',
  env: 'DATABASE_URL',
  description: 'postgres://… (or pglite://<dir> for a local database)',
};

/** How long the CLI waits for PostgreSQL to accept a connection before calling it unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/** `host:port/database`: what a message may say about the target (never user or password). */
const describeTarget = (url: string): string => {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'pglite') return `pglite://${target.dataDir ?? 'memory'}`;
  const parsed = new URL(target.connectionString);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
};

/** Domain errors a command may meet, by what the operator should do about them. */
const EXIT_BY_DOMAIN_CODE: Partial<Record<ErrorCode, ExitCode>> = {
  CONFIG_INVALID: EXIT_CODES.config,
  SCHEMA_OUTDATED: EXIT_CODES.schemaOutdated,
  VALIDATION_FAILED: EXIT_CODES.usage,
  CONFLICT: EXIT_CODES.refused,
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

/**
 * A driver failure → a CLI error that says what to fix. Only codes and the target's host, port
 * and database go into the message: `pg`'s own messages may quote the connection string.
 */
const databaseFailure = (error: unknown, target: string): CliError => {
  if (error instanceof CliError) return error;
  if (isDomainError(error))
    return new CliError(EXIT_BY_DOMAIN_CODE[error.code] ?? EXIT_CODES.failed, error.message, {
      cause: error,
    });
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : '';
  if ((code !== undefined && NETWORK_CODES.has(code)) || /timeout|terminated/i.test(message)) {
    return new CliError(
      EXIT_CODES.unreachable,
      `cannot reach the database at ${target} (${code ?? 'connection timed out'}): check the host, the port and that this machine may connect`,
      { cause: error },
    );
  }
  if (code?.startsWith('28')) {
    return new CliError(
      EXIT_CODES.config,
      `the database at ${target} refused the credentials in the URL (SQLSTATE ${code})`,
    );
  }
  if (code === '3D000') {
    return new CliError(
      EXIT_CODES.config,
      `the database named in the URL does not exist at ${target}`,
    );
  }
  if (
    /certificate|self[- ]signed|SSL|TLS/i.test(message) ||
    code?.startsWith('ERR_TLS') ||
    code?.startsWith('CERT_') ||
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN'
  ) {
    return new CliError(
      EXIT_CODES.config,
      `TLS to the database at ${target} failed (${code ?? 'handshake'}): see sslmode and sslrootcert in docs/deploy.md`,
    );
  }
  return new CliError(
    EXIT_CODES.failed,
    `the database at ${target} failed: ${code ? `SQLSTATE/code ${code}` : error instanceof Error ? error.name : 'unknown error'}`,
    { cause: error },
  );
};

/**
 * For a `kms-secret://<name>` DATABASE_URL: the operator's credentials, and the KMS of
 * ASKP_KMS_ENDPOINT, else of the deploy region (ASKP_DEPLOY_REGION, as s.yaml uses it).
 */
const kmsAccessFrom = (context: CommandContext): KmsAccess => {
  const { env } = context;
  const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (
    isKmsSecretUrl(stringOption(context, 'database-url', DATABASE_URL_OPTION)) &&
    (!accessKeyId || !accessKeySecret)
  ) {
    throw new CliError(
      EXIT_CODES.config,
      'DATABASE_URL names a KMS secret: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET to read it',
    );
  }
  return {
    credentials: {
      accessKeyId: accessKeyId ?? '',
      accessKeySecret: accessKeySecret ?? '',
      ...(env.ALIBABA_CLOUD_SECURITY_TOKEN
        ? { securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN }
        : {}),
    },
    regionId: env.ASKP_DEPLOY_REGION || env.FC_REGION || undefined,
    endpoint: env.ASKP_KMS_ENDPOINT || undefined,
  };
};

/**
 * Opens the database the command names (--database-url or DATABASE_URL), checks that it answers,
 * runs `use`, and closes it whatever happens.
 */
const withDatabase = async <T>(
  context: CommandContext,
  use: (db: Kysely<Database>, target: string) => Promise<T>,
): Promise<T> => {
  const url = stringOption(context, 'database-url', DATABASE_URL_OPTION);
  if (url === undefined) {
    throw new CliError(
      EXIT_CODES.config,
      'no database: pass --database-url or set DATABASE_URL (postgres://user:password@host:5432/db)',
    );
  }
  let target: string;
  let resolved: string;
  try {
    resolved = (await resolveDatabaseUrl(url, kmsAccessFrom(context))) ?? url;
    target = describeTarget(resolved);
  } catch (error) {
    throw databaseFailure(error, 'DATABASE_URL');
  }
  let opened: Awaited<ReturnType<typeof openDatabase>>;
  try {
    opened = await openDatabase({ databaseUrl: resolved, connectTimeoutMs: CONNECT_TIMEOUT_MS });
  } catch (error) {
    throw databaseFailure(error, target);
  }
  try {
    await sql`select 1`.execute(opened.db);
    return await use(opened.db, target);
  } catch (error) {
    throw databaseFailure(error, target);
  } finally {
    await opened.close().catch(() => undefined);
  }
};

export { DATABASE_URL_OPTION, databaseFailure, describeTarget, kmsAccessFrom, withDatabase };
