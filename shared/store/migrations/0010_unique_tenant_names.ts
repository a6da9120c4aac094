import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * Tenant names are unique, ignoring case (`Acme` and `acme` are one name to a person reading a
 * list): a unique index on `lower(name)`. Names that already clash keep the oldest tenant's as
 * it is and give the later ones a suffix from their own id (`<name>-<last 8 of the id>`, cut to
 * the 64 characters a name may have), so the index can be built without losing a tenant; ids,
 * keys and secrets are untouched. Frozen once released.
 */
const UP = [
  sql`
    update tenants t
       set name = left(t.name, 55) || '-' || right(t.id, 8)
      from (
        select id,
               row_number() over (partition by lower(name) order by created_at, id) as rank
          from tenants
      ) clash
     where clash.id = t.id
       and clash.rank > 1
  `,
  sql`create unique index tenants_name_unique on tenants (lower(name))`,
];

/** The renames are not undone: the old names are not kept anywhere. */
const DOWN = [sql`drop index tenants_name_unique`];

const runAll = async (db: Kysely<unknown>, statements: typeof UP): Promise<void> => {
  for (const statement of statements) {
    await statement.execute(db);
  }
};

const uniqueTenantNames: Migration = {
  up: (db) => runAll(db, UP),
  down: (db) => runAll(db, DOWN),
};

export { uniqueTenantNames };
