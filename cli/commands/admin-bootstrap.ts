import { bootstrapAdmin } from '../../shared/access/bootstrap-admin.js';
import { systemClock } from '../../shared/clock.js';
import { BOOTSTRAP_LOCK_NAMESPACE, withAdvisoryLock } from '../../shared/store/advisory-lock.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { requireCurrentSchema } from '../../shared/store/schema-status.js';
import type { Command } from '../command.js';
import { DATABASE_URL_OPTION, withDatabase } from '../database.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';

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
  },
  run: async (context) => {
    const tenantName = context.options.tenant;
    if (typeof tenantName !== 'string' || tenantName === '') {
      throw new CliError(EXIT_CODES.usage, 'askp admin bootstrap needs --tenant <name>');
    }
    await withDatabase(context, async (db) => {
      // Bootstrap writes with this release's queries: it refuses a schema that is behind.
      await requireCurrentSchema(db);
      // Two bootstraps of one tenant at once (two pipelines, a double click) would both see "no
      // admin key yet" and both issue one: the check and the issue run under a lock per tenant
      // name, so the second waits, then finds the first one's key and is refused (exit 5).
      const result = await withAdvisoryLock(
        db,
        { namespace: BOOTSTRAP_LOCK_NAMESPACE, name: tenantName.trim() },
        (connection) =>
          bootstrapAdmin(
            {
              store: createKyselyStore({ db: connection, close: async () => undefined }),
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
