import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KmsEmulator, startKmsEmulator } from '../../emulator/kms/kms-emulator.js';
import { createHandler } from '../../functions/api/index.js';
import { isDomainError } from '../../shared/domain/errors.js';
import { resolveDatabaseUrl } from '../../shared/store/database-secret.js';
import { fcEvent } from '../support/api-client.js';

/**
 * DATABASE_URL=kms-secret://<name>: the URL is read from KMS Secrets Manager through the real
 * `@alicloud/kms20160120` SDK (against the KMS emulator, which checks the SDK's signature), once
 * per function instance, and never shown in an error.
 */
const ACCESS_KEY_ID = 'LTAI5tKmsTest';
const ACCESS_KEY_SECRET = 'kms-test-secret';
const SECRET_URL = 'pglite://memory';

describe('a DATABASE_URL kept in KMS Secrets Manager', () => {
  let kmsEmulator: KmsEmulator;
  const access = () => ({
    credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET },
    endpoint: kmsEmulator.url,
  });

  beforeAll(async () => {
    kmsEmulator = await startKmsEmulator({
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
      secrets: {
        'askp-database-url': SECRET_URL,
        'askp-chained': 'kms-secret://askp-database-url',
      },
    });
  });

  afterAll(async () => {
    await kmsEmulator.close();
  });

  it('reads the secret through the SDK and returns its text', async () => {
    await expect(resolveDatabaseUrl('kms-secret://askp-database-url', access())).resolves.toBe(
      SECRET_URL,
    );
  });

  it('uses a plain URL as it is, without asking KMS', async () => {
    const before = kmsEmulator.reads('askp-database-url');
    await expect(resolveDatabaseUrl('postgres://u:p@db/a', access())).resolves.toBe(
      'postgres://u:p@db/a',
    );
    expect(kmsEmulator.reads('askp-database-url')).toBe(before);
  });

  it('names the secret and KMS error code when the secret does not exist', async () => {
    const error = await resolveDatabaseUrl('kms-secret://askp-missing', access()).catch(
      (e: unknown) => e,
    );
    expect(isDomainError(error) && error.code).toBe('CONFIG_INVALID');
    expect(String((error as Error).message)).toContain('"askp-missing"');
    expect(String((error as Error).message)).toContain('Forbidden.ResourceNotFound');
  });

  it('fails with the signature error when the access key secret is wrong (the emulator checks it)', async () => {
    const error = await resolveDatabaseUrl('kms-secret://askp-database-url', {
      ...access(),
      credentials: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: 'wrong' },
    }).catch((e: unknown) => e);
    expect(String((error as Error).message)).toContain('SignatureDoesNotMatch');
    expect(String((error as Error).message)).not.toContain('wrong');
  });

  it('refuses a secret that names another secret, and a malformed name', async () => {
    await expect(resolveDatabaseUrl('kms-secret://askp-chained', access())).rejects.toThrow(
      /another secret/,
    );
    await expect(resolveDatabaseUrl('kms-secret://bad name!', access())).rejects.toThrow(
      /the name is/,
    );
  });

  it('is read once per function instance, however many requests it serves', async () => {
    const handler = createHandler(
      {
        DATABASE_URL: 'kms-secret://askp-database-url',
        ASKP_KMS_ENDPOINT: kmsEmulator.url,
        ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET,
        ASKP_MNS_ENDPOINT: 'http://127.0.0.1:9',
        ASKP_MNS_ACCOUNT_ID: '1',
        ASKP_LOG_LEVEL: 'error',
      },
      { schema: 'migrate' },
    ) as (event: Buffer, context: object) => Promise<{ statusCode: number }>;
    const before = kmsEmulator.reads('askp-database-url');
    for (let i = 0; i < 3; i += 1) {
      const reply = await handler(
        fcEvent({ method: 'GET', path: '/v1/clusters', key: 'askp_0123456789abcdef_x' }),
        {},
      );
      expect(reply.statusCode).toBe(401);
    }
    expect(kmsEmulator.reads('askp-database-url') - before).toBe(1);
  }, 60_000);
});
