import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClusterRequestSchema } from '../../shared/domain/cluster-spec.js';
import { DomainError } from '../../shared/domain/errors.js';
import { newId } from '../../shared/ids.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import { MIGRATIONS } from '../../shared/store/migrations/index.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('openDatabase', () => {
  it('rejects an unsupported DATABASE_URL with CONFIG_INVALID and never echoes its password', async () => {
    const failure = await openDatabase({ databaseUrl: 'mysql://u:secret@x' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DomainError);
    if (!(failure instanceof DomainError)) return;
    expect(failure.code).toBe('CONFIG_INVALID');
    expect(failure.message).toContain('DATABASE_URL');
    expect(failure.message).not.toContain('secret');
  });

  it('opens PGlite in memory for pglite://memory', async () => {
    const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
    cleanups.push(opened.close);
    expect(opened.kind).toBe('pglite');
    expect(await migrateToLatest(opened.db)).toEqual(Object.keys(MIGRATIONS));
  });

  it('keeps a PGlite database in its directory across close and reopen', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'askp-store-'));
    cleanups.push(() => rm(parent, { recursive: true, force: true }));
    // A directory that does not exist yet: openDatabase creates it.
    const databaseUrl = `pglite://${join(parent, 'nested', 'pg')}`;
    const id = newId('prv');

    const first = await openDatabase({ databaseUrl });
    await migrateToLatest(first.db);
    const store = createKyselyStore({ db: first.db, close: first.close });
    await store.createTenant({
      id: 'ten_persist',
      name: 'Persist',
      webhookSecret: 'whsec_p',
      at: T0,
    });
    await store.createProvision({
      provision: {
        id,
        tenantId: 'ten_persist',
        name: 'kept',
        region: 'cn-hangzhou',
        spec: createClusterRequestSchema.parse({ name: 'kept', region: 'cn-hangzhou' }),
        clusterName: 'kept-1',
        labels: {},
        expiresAt: null,
        createdAt: T0,
      },
      event: {
        type: 'accepted',
        state: 'accepted',
        message: 'accepted',
        source: 'service',
        at: T0,
      },
      job: { v: 1, kind: 'create', provisionId: id },
    });
    await store.close();

    const second = await openDatabase({ databaseUrl });
    cleanups.push(second.close);
    expect(await migrateToLatest(second.db)).toEqual([]);
    const reopened = createKyselyStore({ db: second.db });
    expect(await reopened.getTenant('ten_persist')).toMatchObject({ name: 'Persist' });
    expect(await reopened.getProvision({ id })).toMatchObject({ name: 'kept', createdAt: T0 });
    expect(await reopened.listEvents({ provisionId: id, limit: 10 })).toHaveLength(1);
  });
});
