import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { ServiceKeyStore } from './service-key.port.js';

const createServiceKeyStore = (db: Kysely<Database>): ServiceKeyStore => ({
  serviceKey: async ({ name, candidate, at }) => {
    await db
      .insertInto('service_keys')
      .values({ name, secret: candidate, created_at: at })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .execute();
    const row = await db
      .selectFrom('service_keys')
      .select('secret')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return row.secret;
  },
  findServiceKey: async (name) => {
    const row = await db
      .selectFrom('service_keys')
      .select('secret')
      .where('name', '=', name)
      .executeTakeFirst();
    return row?.secret ?? null;
  },
});

export { createServiceKeyStore };
