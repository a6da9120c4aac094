import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KmsEmulator, startKmsEmulator } from '../../emulator/kms/kms-emulator.js';
import { buildStore } from '../../shared/app/parts.js';
import { loadConfig } from '../../shared/config.js';
import { isDomainError } from '../../shared/domain/errors.js';
import { DATA_KEY_NAME } from '../../shared/secrets/kms-data-key.js';
import { isSealed } from '../../shared/secrets/secret-box.js';
import { secretBoxSource } from '../../shared/secrets/secret-source.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { migrateToLatest } from '../../shared/store/migrate.js';
import type { Database } from '../../shared/store/schema.js';
import { createServiceKeyStore } from '../../shared/store/service-key-store.js';
import type { Store } from '../../shared/store/store.port.js';
import { newWebhookSecret } from '../../shared/webhooks/signature.js';

/**
 * Webhook secrets sealed under a KMS envelope, through the real `@alicloud/kms20160120` SDK
 * against the KMS emulator: the data key is made once (GenerateDataKey) and stored only
 * encrypted, every other instance opens it with Decrypt, an instance that never touches a secret
 * never calls KMS, and a key KMS does not know or a blob it cannot open stops with CONFIG_INVALID
 * naming KMS's code, storing nothing.
 */
const ACCESS_KEY_ID = 'LTAI5tKmsSecrets';
const ACCESS_KEY_SECRET = 'kms-secrets-test-secret';
const KEY_ID = 'alias/askp-secrets';

describe('webhook secrets under a KMS data key', () => {
  let kmsEmulator: KmsEmulator;
  let db: Kysely<Database>;
  let close: () => Promise<void>;

  /** One function instance: its own lazily opened box over the shared database. */
  const instance = async (keyId = KEY_ID): Promise<Store> => {
    const secretBox = await secretBoxSource(
      { keyFile: undefined, kmsKeyId: keyId },
      {
        store: createServiceKeyStore(db),
        access: () => ({
          credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET },
          endpoint: kmsEmulator.url,
        }),
        now: () => new Date(),
      },
    );
    return createKyselyStore({ db, ...(secretBox ? { secretBox } : {}) });
  };

  const storedSecret = async (id: string) =>
    (
      await db
        .selectFrom('tenants')
        .select('webhook_secret')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).webhook_secret;

  const tenant = (store: Store, id: string, secret = newWebhookSecret()) =>
    store.createTenant({ id, name: id, webhookSecret: secret, at: new Date() });

  beforeAll(async () => {
    kmsEmulator = await startKmsEmulator({
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
      secrets: {},
      keys: [KEY_ID],
    });
    const opened = await openDatabase({ databaseUrl: 'pglite://memory' });
    await migrateToLatest(opened.db);
    db = opened.db;
    close = opened.close;
  });

  afterAll(async () => {
    await close?.();
    await kmsEmulator?.close();
  });

  /** A service that has never made its data key: no tenants, no stored key. */
  const freshDatabase = async () => {
    await db.deleteFrom('tenants').execute();
    await db.deleteFrom('service_keys').execute();
  };

  it('makes the data key once, stores it only encrypted, and seals the secret with it', async () => {
    await freshDatabase();
    const generatedBefore = kmsEmulator.calls('GenerateDataKey');
    const first = await instance();
    const secret = newWebhookSecret();
    expect((await tenant(first, 'tnt_kms_a', secret)).webhookSecret).toBe(secret);
    expect(kmsEmulator.calls('GenerateDataKey')).toBe(generatedBefore + 1);
    const row = await storedSecret('tnt_kms_a');
    expect(isSealed(row)).toBe(true);
    expect(row).not.toContain(secret.slice(6));
    const blob = await createServiceKeyStore(db).findServiceKey(DATA_KEY_NAME);
    expect(blob).not.toBeNull();
    // The same instance keeps its key: a second secret costs no KMS call.
    const decryptsBefore = kmsEmulator.calls('Decrypt');
    await tenant(first, 'tnt_kms_b');
    expect(kmsEmulator.calls('GenerateDataKey')).toBe(generatedBefore + 1);
    expect(kmsEmulator.calls('Decrypt')).toBe(decryptsBefore);

    // Another instance opens the stored key with one Decrypt and reads the secret.
    const second = await instance();
    expect((await second.getTenant('tnt_kms_a'))?.webhookSecret).toBe(secret);
    expect((await second.listTenants({ limit: 10 })).length).toBe(2);
    expect(kmsEmulator.calls('Decrypt')).toBe(decryptsBefore + 1);
    expect(kmsEmulator.calls('GenerateDataKey')).toBe(generatedBefore + 1);
  });

  it('calls KMS from no instance that never reads a secret', async () => {
    await freshDatabase();
    const before = kmsEmulator.calls('GenerateDataKey') + kmsEmulator.calls('Decrypt');
    const worker = await instance();
    await worker.listApiKeys({ limit: 10 });
    await worker.getTenantDefaults('tnt_none');
    expect(kmsEmulator.calls('GenerateDataKey') + kmsEmulator.calls('Decrypt')).toBe(before);
  });

  it('agrees on one data key when two instances make it at once', async () => {
    await freshDatabase();
    const [left, right] = await Promise.all([instance(), instance()]);
    const [a, b] = await Promise.all([tenant(left, 'tnt_race_a'), tenant(right, 'tnt_race_b')]);
    const reader = await instance();
    expect((await reader.getTenant('tnt_race_a'))?.webhookSecret).toBe(a.webhookSecret);
    expect((await reader.getTenant('tnt_race_b'))?.webhookSecret).toBe(b.webhookSecret);
  });

  it('stops with CONFIG_INVALID naming the code for a key KMS does not know, storing nothing', async () => {
    await freshDatabase();
    const store = await instance('alias/not-there');
    const error = await tenant(store, 'tnt_nokey').catch((caught: unknown) => caught);
    expect(isDomainError(error) && error.code).toBe('CONFIG_INVALID');
    expect(String((error as Error).message)).toContain('Forbidden.KeyNotFound');
    expect(await store.getTenantDefaults('tnt_nokey')).toEqual({
      defaultTtl: null,
      defaultIdleAfter: null,
    });
    expect(await createServiceKeyStore(db).findServiceKey(DATA_KEY_NAME)).toBeNull();
    const rows = await db.selectFrom('tenants').select('id').execute();
    expect(rows).toEqual([]);
  });

  it('refuses to sign with a data key KMS cannot open (an edited blob)', async () => {
    await freshDatabase();
    await tenant(await instance(), 'tnt_edited');
    const blob = (await createServiceKeyStore(db).findServiceKey(DATA_KEY_NAME)) ?? '';
    const raw = Buffer.from(blob, 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    await db
      .updateTable('service_keys')
      .set({ secret: raw.toString('base64') })
      .where('name', '=', DATA_KEY_NAME)
      .execute();
    const error = await (await instance())
      .getTenant('tnt_edited')
      .catch((caught: unknown) => caught);
    expect(isDomainError(error) && error.code).toBe('CONFIG_INVALID');
    expect(String((error as Error).message)).toContain('Rejected.InvalidCiphertext');
  });

  it('is what buildStore uses when ASKP_SECRETS_KMS_KEY_ID is configured', async () => {
    const store = await buildStore(
      loadConfig({
        DATABASE_URL: 'pglite://memory',
        ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET,
        ASKP_MNS_ENDPOINT: 'http://127.0.0.1:1',
        ASKP_MNS_ACCOUNT_ID: '1000000000000001',
        ASKP_KMS_ENDPOINT: kmsEmulator.url,
        ASKP_SECRETS_KMS_KEY_ID: KEY_ID,
      }),
      { schema: 'migrate' },
    );
    try {
      const before = kmsEmulator.calls('GenerateDataKey');
      const secret = newWebhookSecret();
      await tenant(store, 'tnt_built', secret);
      expect(kmsEmulator.calls('GenerateDataKey')).toBe(before + 1);
      expect((await store.getTenant('tnt_built'))?.webhookSecret).toBe(secret);
    } finally {
      await store.close();
    }
  });
});
