import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../shared/domain/errors.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import { MIGRATIONS } from '../../shared/store/migrations/index.js';

/**
 * Migration 0010: tenant names are unique ignoring case. Tenants that already share a name keep
 * the oldest's and suffix the others' with their id, so the index builds and nobody is lost;
 * a database that already ran a later-numbered migration (numbers are given to parallel work)
 * still runs 0010.
 */

const T0 = new Date('2030-01-01T00:00:00.000Z');

const insertTenant = (id: string, name: string, minutes: number) =>
  sql`insert into tenants (id, name, webhook_secret, created_at)
      values (${id}, ${name}, 'whsec_x', ${new Date(T0.getTime() + minutes * 60_000)})`;

describe('unique tenant names (migration 0010)', () => {
  it('renames the later of clashing names (ignoring case) by their id, keeps the oldest, then refuses a clash with CONFLICT on name', async () => {
    const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
    try {
      const without0010 = Object.fromEntries(
        Object.entries(MIGRATIONS).filter(([name]) => name !== '0010_unique_tenant_names'),
      );
      // Every other migration first, 0011 and 0015 included: 0010 lands after them.
      await migrateToLatest(opened.db, { migrations: without0010 });
      await insertTenant('tnt_000000000000000000000000aa', 'Acme', 0).execute(opened.db);
      await insertTenant('tnt_000000000000000000000000bb', 'acme', 5).execute(opened.db);
      await insertTenant('tnt_000000000000000000000000cc', 'ACME', 10).execute(opened.db);
      await insertTenant('tnt_000000000000000000000000dd', 'other', 1).execute(opened.db);
      await insertTenant('tnt_00000000000000000000000eee', 'x'.repeat(64), 2).execute(opened.db);
      await insertTenant('tnt_00000000000000000000000fff', 'X'.repeat(64), 3).execute(opened.db);

      expect(await migrateToLatest(opened.db)).toEqual(['0010_unique_tenant_names']);

      const store = createKyselyStore({ db: opened.db });
      const names = (await store.listTenants({ limit: 100 })).map((t) => [t.id, t.name]);
      expect(names).toEqual([
        ['tnt_000000000000000000000000aa', 'Acme'],
        ['tnt_000000000000000000000000bb', 'acme-000000bb'],
        ['tnt_000000000000000000000000cc', 'ACME-000000cc'],
        ['tnt_000000000000000000000000dd', 'other'],
        ['tnt_00000000000000000000000eee', 'x'.repeat(64)],
        ['tnt_00000000000000000000000fff', `${'X'.repeat(55)}-00000fff`],
      ]);

      const clash = await store
        .createTenant({ id: 'tnt_new', name: 'OTHER', webhookSecret: 'whsec_y', at: T0 })
        .catch((error: unknown) => error);
      expect(isDomainError(clash) && { code: clash.code, field: clash.field }).toEqual({
        code: 'CONFLICT',
        field: 'name',
      });
      expect(await store.getTenant('tnt_new')).toBeNull();
      // Looking a tenant up by name ignores case too (askp admin bootstrap --tenant).
      expect((await store.findTenantsByName('ACME')).map((t) => t.id)).toEqual([
        'tnt_000000000000000000000000aa',
      ]);
    } finally {
      await opened.close();
    }
  });
});
