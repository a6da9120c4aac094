import { type Clock, systemClock } from '../clock.js';
import { type CredentialsSource, createCredentialsSource } from '../cloud/credentials.js';
import type { Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { type AckCallTally, createAckCallTally } from '../metrics/ack-call-tally.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import { lazyJobQueue } from '../queue/lazy-job-queue.js';
import { secretBoxSource } from '../secrets/secret-source.js';
import { openDatabase } from '../store/database.js';
import { isKmsSecretUrl } from '../store/database-url.js';
import { createKyselyStore } from '../store/kysely-store.js';
import { migrateToLatest } from '../store/migrate.js';
import { requireCurrentSchema } from '../store/schema-status.js';
import { createServiceKeyStore } from '../store/service-key-store.js';
import type { Store } from '../store/store.port.js';

/**
 * The composition root, shared part: the only place that decides which adapter serves a port.
 * Each function has a builder of its own in this folder (api-app.ts, worker-app.ts,
 * poller-app.ts) so that its bundle holds only what it uses: esbuild makes a chunk of every
 * dynamic import it finds in a reachable file, dead code or not, so the ACK adapter is imported
 * only from the files of functions that call ACK.
 */
interface BaseApp {
  config: Config;
  logger: Logger;
  clock: Clock;
  store: Store;
  /** ACK calls counted in memory; timer functions flush them at the end of each invocation. */
  ackCalls: AckCallTally;
}

/** What a host may share between functions (the local host runs all three in one process). */
interface SharedParts {
  store?: Store;
  /** When no store is shared: what to do about the schema (default `require-current`). */
  schema?: SchemaPolicy;
  clock?: Clock;
  logger?: Logger;
}

/**
 * What a host does about the schema when it opens the store. Deployed functions `require-current`
 * (migrations run at deploy time, `askp admin migrate`); the local host and tests `migrate`.
 */
type SchemaPolicy = 'migrate' | 'require-current';

/**
 * The credentials a function's clients sign with: the source its handler updates from every
 * invocation's context (functions/<fn>/index.ts), or, without one (tests, tools), the
 * configuration's fixed credentials.
 */
const credentialsOf = (config: Config, given?: CredentialsSource): CredentialsSource =>
  given ?? createCredentialsSource(() => config.credentials);

const buildStore = async (
  config: Config,
  options: { schema?: SchemaPolicy; credentials?: CredentialsSource } = {},
): Promise<Store> => {
  // A kms-secret:// URL is read here, once per instance (the store is built once), with the
  // credentials of the invocation that builds it (a build retried later must not use stale ones).
  // The KMS SDK is loaded only then: a plain URL costs no cold-start time.
  const databaseUrl = isKmsSecretUrl(config.databaseUrl)
    ? await (await import('../store/database-secret.js')).resolveDatabaseUrl(config.databaseUrl, {
        credentials: credentialsOf(config, options.credentials).current(),
        regionId: config.kms.regionId,
        endpoint: config.kms.endpoint,
      })
    : config.databaseUrl;
  const { db, close } = await openDatabase({ databaseUrl });
  try {
    if ((options.schema ?? 'require-current') === 'migrate') await migrateToLatest(db);
    else await requireCurrentSchema(db);
  } catch (error) {
    // The build is retried on the next invocation: do not leave this attempt's pool open.
    await close().catch(() => undefined);
    throw error;
  }
  const credentials = credentialsOf(config, options.credentials);
  const secretBox = await secretBoxSource(config.secrets, {
    store: createServiceKeyStore(db),
    access: () => ({
      credentials: credentials.current(),
      regionId: config.kms.regionId,
      endpoint: config.kms.endpoint,
    }),
    now: () => new Date(),
  });
  return createKyselyStore({ db, close, ...(secretBox ? { secretBox } : {}) });
};

/** How long the API's ACK call counts wait in memory (it has no invocation end to flush at). */
const ACK_CALLS_FLUSH_MS = 5000;

const buildBase = async (
  config: Config,
  shared: SharedParts,
  fn: string,
  credentials: CredentialsSource,
): Promise<BaseApp> => {
  const logger = shared.logger ?? createLogger({ level: config.logLevel, fields: { fn } });
  const store =
    shared.store ??
    (await buildStore(config, {
      credentials,
      ...(shared.schema ? { schema: shared.schema } : {}),
    }));
  return {
    config,
    logger,
    clock: shared.clock ?? systemClock,
    store,
    ackCalls: createAckCallTally({ store, logger, flushMs: ACK_CALLS_FLUSH_MS }),
  };
};

/** The MNS adapter, loaded on the first send (a chunk of its own: not at start-up). */
const buildQueue = (config: Config, credentials: CredentialsSource): JobQueue =>
  lazyJobQueue(async () =>
    (await import('../queue/mns-job-queue.js')).createMnsJobQueue({
      endpoint: config.mns.endpoint,
      accountId: config.mns.accountId,
      queueName: config.mns.queueName,
      credentials,
    }),
  );

export type { BaseApp, SchemaPolicy, SharedParts };
export { buildBase, buildQueue, buildStore, credentialsOf };
