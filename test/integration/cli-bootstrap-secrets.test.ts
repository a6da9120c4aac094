import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KmsEmulator, startKmsEmulator } from '../../emulator/kms/kms-emulator.js';
import { isSealed } from '../../shared/secrets/secret-box.js';
import { secretBoxSource } from '../../shared/secrets/secret-source.js';
import { openDatabase } from '../../shared/store/database.js';
import { createKyselyStore } from '../../shared/store/kysely-store.js';
import { createServiceKeyStore } from '../../shared/store/service-key-store.js';
import { runAskp } from '../support/run-askp.js';

/**
 * `askp admin bootstrap` seals the tenant's webhook secret with the functions' key source: with
 * ASKP_SECRETS_KMS_KEY_ID the row holds only the sealed secret, and a store opened the way the
 * functions open it (same KMS key, the data key in the database) reads it back. Two key sources
 * at once are refused before the database is touched; none is said out loud.
 */
const ACCESS_KEY_ID = 'LTAI5tCliSecrets';
const ACCESS_KEY_SECRET = 'cli-secrets-test-secret';
const KEY_ID = 'alias/askp-secrets';

describe('askp admin bootstrap and the webhook secrets key', () => {
  let dir: string;
  let kmsEmulator: KmsEmulator;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'askp-cli-secrets-'));
    kmsEmulator = await startKmsEmulator({
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
      secrets: {},
      keys: [KEY_ID],
    });
  });

  afterAll(async () => {
    await kmsEmulator?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('seals the new tenant’s secret under the KMS data key the functions use', async () => {
    const url = `pglite://${join(dir, 'kms')}`;
    expect((await runAskp(['admin', 'migrate', '--database-url', url])).code).toBe(0);
    const result = await runAskp(['admin', 'bootstrap', '--tenant', 'ops'], {
      DATABASE_URL: url,
      ASKP_SECRETS_KMS_KEY_ID: KEY_ID,
      ASKP_KMS_ENDPOINT: kmsEmulator.url,
      ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('in clear');
    expect(kmsEmulator.calls('GenerateDataKey')).toBe(1);

    const opened = await openDatabase({ databaseUrl: url });
    try {
      const rows = await opened.db.selectFrom('tenants').select(['id', 'webhook_secret']).execute();
      expect(rows).toHaveLength(1);
      const row = rows[0];
      if (!row) throw new Error('no tenant');
      expect(isSealed(row.webhook_secret)).toBe(true);
      const secretBox = await secretBoxSource(
        { keyFile: undefined, kmsKeyId: KEY_ID },
        {
          store: createServiceKeyStore(opened.db),
          access: () => ({
            credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET },
            endpoint: kmsEmulator.url,
          }),
          now: () => new Date(),
        },
      );
      const store = createKyselyStore({ db: opened.db, ...(secretBox ? { secretBox } : {}) });
      expect((await store.getTenant(row.id))?.webhookSecret).toMatch(/^whsec_/);
      expect(kmsEmulator.calls('Decrypt')).toBe(1);
    } finally {
      await opened.close();
    }
  }, 120_000);

  it('refuses a key file and a KMS key together (exit 3), touching nothing', async () => {
    const result = await runAskp(['admin', 'bootstrap', '--tenant', 'ops'], {
      DATABASE_URL: `pglite://${join(dir, 'never')}`,
      ASKP_SECRETS_KMS_KEY_ID: KEY_ID,
      ASKP_SECRETS_KEY_FILE: join(dir, 'secrets.key'),
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('ASKP_SECRETS_KMS_KEY_ID');
    expect(result.stdout).toBe('');
  });

  it('says so when it stores the secret in clear, as unconfigured functions would', async () => {
    const url = `pglite://${join(dir, 'clear')}`;
    expect((await runAskp(['admin', 'migrate', '--database-url', url])).code).toBe(0);
    const result = await runAskp(['admin', 'bootstrap', '--tenant', 'ops'], { DATABASE_URL: url });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('stored in clear');
  }, 120_000);
});
