import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox, isSealed } from '../../shared/secrets/secret-box.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import type { Database } from '../../shared/store/schema.js';
import type { Store } from '../../shared/store/store.port.js';
import { newWebhookSecret, signingSecrets } from '../../shared/webhooks/signature.js';

/**
 * Tenants' webhook secrets at rest: the row holds only the sealed form, the store hands back the
 * secret, and rotation keeps both the new and the previous secret readable. A row written before
 * sealing (plain) stays readable.
 */
describe('webhook secrets sealed at rest (PGlite)', () => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let store: Store;

  beforeAll(async () => {
    const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
    await migrateToLatest(opened.db);
    db = opened.db;
    close = opened.close;
    store = createKyselyStore({ db, secretBox: createSecretBox(Buffer.alloc(32, 3)) });
  });

  afterAll(async () => {
    await close?.();
  });

  const rawRow = (id: string) =>
    db
      .selectFrom('tenants')
      .select(['webhook_secret', 'previous_webhook_secret'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('stores only the sealed secret and reads the secret back', async () => {
    const secret = newWebhookSecret();
    const created = await store.createTenant({
      id: 'tnt_sealed',
      name: 'sealed',
      webhookSecret: secret,
      at: new Date(),
    });
    expect(created.webhookSecret).toBe(secret);
    const row = await rawRow('tnt_sealed');
    expect(isSealed(row.webhook_secret)).toBe(true);
    expect(row.webhook_secret).not.toContain(secret.slice(6));
    expect((await store.getTenant('tnt_sealed'))?.webhookSecret).toBe(secret);
  });

  it('rotates: both secrets sealed in the row, both sign', async () => {
    const before = (await store.getTenant('tnt_sealed'))?.webhookSecret ?? '';
    const next = newWebhookSecret();
    const now = new Date();
    const rotated = await store.rotateWebhookSecret({
      tenantId: 'tnt_sealed',
      secret: next,
      previousExpiresAt: new Date(now.getTime() + 86_400_000),
    });
    expect(rotated?.webhookSecret).toBe(next);
    expect(rotated?.previousWebhookSecret).toBe(before);
    const row = await rawRow('tnt_sealed');
    expect(isSealed(row.webhook_secret)).toBe(true);
    expect(isSealed(row.previous_webhook_secret ?? '')).toBe(true);
    const tenant = await store.getTenant('tnt_sealed');
    if (!tenant) throw new Error('tenant gone');
    expect(signingSecrets(tenant, now)).toEqual([next, before]);
  });

  it('reads a secret stored in clear before sealing existed', async () => {
    const secret = newWebhookSecret();
    await db
      .insertInto('tenants')
      .values({ id: 'tnt_legacy', name: 'legacy', webhook_secret: secret, created_at: new Date() })
      .execute();
    expect((await store.getTenant('tnt_legacy'))?.webhookSecret).toBe(secret);
  });
});
