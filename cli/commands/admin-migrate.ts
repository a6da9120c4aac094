import { migrateToLatest } from '../../shared/store/migrate.js';
import type { Command } from '../command.js';
import { DATABASE_URL_OPTION, withDatabase } from '../database.js';

/** `askp admin migrate`: the schema up to date. Deployed functions never migrate themselves. */
const adminMigrate: Command = {
  kind: 'command',
  name: 'migrate',
  summary: 'bring the database schema up to date (safe to run again, and from several places)',
  options: { 'database-url': DATABASE_URL_OPTION },
  run: (context) =>
    withDatabase(context, async (db, target) => {
      const applied = await migrateToLatest(db);
      if (applied.length === 0) {
        context.stderr(`${target}: the schema is up to date, nothing to apply\n`);
      } else {
        for (const name of applied) context.stdout(`applied ${name}\n`);
        context.stderr(`${target}: applied ${applied.length} migration(s)\n`);
      }
    }),
};

export { adminMigrate };
