import { isDomainError } from '../../shared/domain/errors.js';
import { ensureQueue } from '../../shared/queue/mns-job-queue.js';
import { QueueError } from '../../shared/queue/queue-error.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import { type Command, type CommandContext, type OptionSpec, stringOption } from '../command.js';
import { DATABASE_URL_OPTION, withDatabase } from '../database.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';

const OPTIONS = {
  'database-url': DATABASE_URL_OPTION,
  'mns-endpoint': {
    type: 'string',
    value: '<url>',
    env: 'ASKP_MNS_ENDPOINT',
    description: 'http(s)://<account>.mns.<region>.aliyuncs.com',
  },
  'mns-account-id': {
    type: 'string',
    value: '<id>',
    env: 'ASKP_MNS_ACCOUNT_ID',
    description: 'the account id in the MNS endpoint',
  },
  queue: {
    type: 'string',
    value: '<name>',
    env: 'ASKP_QUEUE_NAME',
    description: 'the jobs queue (default provision-jobs)',
  },
  'dead-letter-queue': {
    type: 'string',
    value: '<name>',
    env: 'ASKP_DEAD_LETTER_QUEUE_NAME',
    description: "the jobs queue's dead-letter queue (default <queue>-dlq)",
  },
} as const satisfies Record<string, OptionSpec>;

/**
 * Queue attributes. Jobs: MNS's longest retention (7 days, in seconds) so that a stalled
 * EventBridge stream loses nothing for a week. The dead-letter queue keeps what EventBridge gave
 * up on for the same week, for an operator to read. Both values are within MNS's
 * MessageRetentionPeriod range (60–604800 s, the CreateQueue API reference).
 */
const RETENTION_SECONDS = 604_800;

/** MNS error codes that mean the credentials or their permissions are wrong. */
const CREDENTIAL_CODES = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidSecurityToken',
  'SecurityTokenExpired',
]);

const required = (context: CommandContext, name: keyof typeof OPTIONS): string => {
  const spec: OptionSpec = OPTIONS[name];
  const value = stringOption(context, name, spec);
  if (value === undefined) {
    throw new CliError(
      EXIT_CODES.config,
      `askp admin setup needs --${name} or ${spec.env ?? 'its variable'}`,
    );
  }
  return value;
};

const credentialsFrom = (context: CommandContext) => {
  const accessKeyId = context.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const accessKeySecret = context.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (!accessKeyId || !accessKeySecret) {
    throw new CliError(
      EXIT_CODES.config,
      'no Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials)',
    );
  }
  const securityToken = context.env.ALIBABA_CLOUD_SECURITY_TOKEN;
  return { accessKeyId, accessKeySecret, ...(securityToken ? { securityToken } : {}) };
};

const queueFailure = (error: unknown, queue: string, endpoint: string): CliError => {
  if (isDomainError(error) && error.code === 'CONFIG_INVALID')
    return new CliError(EXIT_CODES.config, error.message);
  if (!(error instanceof QueueError))
    return new CliError(EXIT_CODES.failed, `MNS failed on ${queue}`);
  if (error.mnsCode !== null && CREDENTIAL_CODES.has(error.mnsCode)) {
    return new CliError(
      EXIT_CODES.config,
      `MNS at ${endpoint} refused the credentials (${error.mnsCode}) for queue "${queue}": check the access key and that it may mns:CreateQueue`,
    );
  }
  if (error.mnsCode === null) {
    return new CliError(
      EXIT_CODES.unreachable,
      `cannot reach MNS at ${endpoint} (${error.message})`,
    );
  }
  return new CliError(EXIT_CODES.failed, error.message);
};

/**
 * `askp admin setup`: everything a deployment needs before its functions run, each step
 * idempotent: the schema migrated, the jobs queue and its dead-letter queue created. s.yaml's
 * pre-deploy action runs it, so `s deploy` never starts functions against a stale schema.
 */
const adminSetup: Command = {
  kind: 'command',
  name: 'setup',
  summary: 'migrate the database and create the jobs queue and its dead-letter queue (idempotent)',
  options: OPTIONS,
  run: async (context) => {
    // Every setting is read before anything changes: a missing one fails fast.
    const endpoint = required(context, 'mns-endpoint');
    const accountId = required(context, 'mns-account-id');
    const credentials = credentialsFrom(context);
    const queue = stringOption(context, 'queue', OPTIONS.queue) ?? 'provision-jobs';
    const deadLetterQueue =
      stringOption(context, 'dead-letter-queue', OPTIONS['dead-letter-queue']) ?? `${queue}-dlq`;
    if (stringOption(context, 'database-url', DATABASE_URL_OPTION) === undefined) {
      throw new CliError(
        EXIT_CODES.config,
        'askp admin setup needs --database-url or DATABASE_URL',
      );
    }

    // Queues first: a wrong endpoint or key fails in a second, before the longer migration.
    for (const name of [queue, deadLetterQueue]) {
      try {
        const { created } = await ensureQueue({
          endpoint,
          accountId,
          queueName: name,
          credentials,
          attributes: { MessageRetentionPeriod: RETENTION_SECONDS },
        });
        context.stderr(`queue ${name}: ${created ? 'created' : 'exists'}\n`);
      } catch (error) {
        throw queueFailure(error, name, endpoint);
      }
    }
    await withDatabase(context, async (db, target) => {
      const applied = await migrateToLatest(db);
      context.stderr(
        applied.length === 0
          ? `${target}: the schema is up to date\n`
          : `${target}: applied ${applied.join(', ')}\n`,
      );
    });
    context.stdout('setup done\n');
  },
};

export { adminSetup };
