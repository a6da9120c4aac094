import { bootstrapAdmin } from '../../shared/access/bootstrap-admin.js';
import { systemClock } from '../../shared/clock.js';
import { secretBoxSource } from '../../shared/secrets/secret-source.js';
import { BOOTSTRAP_LOCK_NAMESPACE, withAdvisoryLock } from '../../shared/store/advisory-lock.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { requireCurrentSchema } from '../../shared/store/schema-status.js';
import { createServiceKeyStore } from '../../shared/store/service-key-store.js';
import { type Command, type CommandContext, type OptionSpec, stringOption } from '../command.js';
import { DATABASE_URL_OPTION, kmsAccessFrom, withDatabase } from '../database.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';

const SECRETS_KEY_FILE_OPTION: OptionSpec = {
  type: 'string',
  value: '<path>',
  env: 'ASKP_SECRETS_KEY_FILE',
  description: "the key file that seals webhook secrets (the functions' ASKP_SECRETS_KEY_FILE)",
};

const SECRETS_KMS_KEY_OPTION: OptionSpec = {
  type: 'string',
  value: '<key id>',
  env: 'ASKP_SECRETS_KMS_KEY_ID',
  description: "the KMS key whose data key seals webhook secrets (the functions' setting)",
};

/**
 * The functions' key source for webhook secrets (secret-source.ts), so a tenant made here has its
 * secret sealed exactly as one made over the API: same key file, or same KMS data key.
 */
const secretsConfigOf = (context: CommandContext) => {
  const keyFile = stringOption(context, 'secrets-key-file', SECRETS_KEY_FILE_OPTION);
  const kmsKeyId = stringOption(context, 'secrets-kms-key-id', SECRETS_KMS_KEY_OPTION);
  if (keyFile && kmsKeyId) {
    throw new CliError(
      EXIT_CODES.config,
      'ASKP_SECRETS_KEY_FILE and ASKP_SECRETS_KMS_KEY_ID are both set: give the one the functions use',
    );
  }
  return { keyFile, kmsKeyId };
};

/**
 * `askp admin bootstrap --tenant <name>`: the first admin key of a deployed service. The key is
 * the only thing on stdout (`KEY=$(askp admin bootstrap --tenant ops)`), shown this once; the
 * database keeps only its hash.
 */
const adminBootstrap: Command = {
  kind: 'command',
  name: 'bootstrap',
  summary: 'create a tenant if needed and print a new admin API key for it, once',
  options: {
    tenant: { type: 'string', value: '<name>', description: "the tenant's name (required)" },
    'another-key': {
      type: 'boolean',
      description: 'issue a key even though the tenant already has a live admin key',
    },
    'database-url': DATABASE_URL_OPTION,
    'secrets-key-file': SECRETS_KEY_FILE_OPTION,
    'secrets-kms-key-id': SECRETS_KMS_KEY_OPTION,
  },
  run: async (context) => {
    const tenantName = context.options.tenant;
    if (typeof tenantName !== 'string' || tenantName === '') {
      throw new CliError(EXIT_CODES.usage, 'askp admin bootstrap needs --tenant <name>');
    }
    const secrets = secretsConfigOf(context);
    await withDatabase(context, async (db) => {
      // Bootstrap writes with this release's queries: it refuses a schema that is behind.
      await requireCurrentSchema(db);
      const source = await secretBoxSource(secrets, {
        store: createServiceKeyStore(db),
        access: () => kmsAccessFrom(context),
        now: () => systemClock.now(),
      });
      // Opened now, outside the lock: the data key is read (or made) through `db`, which on
      // PGlite is the one connection the lock below holds.
      const secretBox = typeof source === 'function' ? await source() : source;
      if (!secretBox) {
        context.stderr(
          "no ASKP_SECRETS_KMS_KEY_ID or ASKP_SECRETS_KEY_FILE: a new tenant's webhook secret is stored in clear, as the functions would store it (docs/security.md)\n",
        );
      }
      // Two bootstraps of one tenant at once (two pipelines, a double click) would both see "no
      // admin key yet" and both issue one: the check and the issue run under a lock per tenant
      // name, so the second waits, then finds the first one's key and is refused (exit 5).
      const result = await withAdvisoryLock(
        db,
        { namespace: BOOTSTRAP_LOCK_NAMESPACE, name: tenantName.trim() },
        (connection) =>
          bootstrapAdmin(
            {
              store: createKyselyStore({
                db: connection,
                close: async () => undefined,
                ...(secretBox ? { secretBox } : {}),
              }),
              clock: systemClock,
            },
            { tenantName, anotherKey: context.options['another-key'] === true },
          ),
      );
      context.stdout(`${result.key}\n`);
      context.stderr(
        `${result.tenantCreated ? 'created' : 'found'} tenant "${result.tenant.name}" (${result.tenant.id}); ` +
          `admin key ${result.keyId} printed above, shown only this once (the database keeps its hash)\n`,
      );
    });
  },
};

export { adminBootstrap };
