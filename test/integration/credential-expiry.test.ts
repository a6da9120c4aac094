import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AckEmulator, startAckEmulator } from '../../emulator/ack/ack-emulator.js';
import { startKmsEmulator } from '../../emulator/kms/kms-emulator.js';
import { type MnsEmulator, startMnsEmulator } from '../../emulator/mns/mns-emulator.js';
import { issueSecurityToken } from '../../emulator/sts/sts-tokens.js';
import { createHandler } from '../../functions/api/index.js';
import { AckError } from '../../shared/ack/ack-error.js';
import { createAlicloudClusterApi } from '../../shared/ack/alicloud-cluster-api.js';
import { buildStore } from '../../shared/app/parts.js';
import { loadConfig } from '../../shared/config.js';
import { generateApiKey, hashSecret, SCOPES } from '../../shared/http/api-key.js';
import { createMnsJobQueue } from '../../shared/queue/mns-job-queue.js';
import { QueueError } from '../../shared/queue/queue-error.js';
import { resolveDatabaseUrl } from '../../shared/store/database-secret.js';
import type { Store } from '../../shared/store/store.port.js';
import { newWebhookSecret } from '../../shared/webhooks/signature.js';
import { fcEvent } from '../support/api-client.js';

/**
 * Function Compute hands every invocation the role's STS credentials (`context.credentials`), and
 * they expire. The emulators refuse an expired emulated token (emulator/sts/sts-tokens.ts) the way
 * Alibaba's gateways do; one api function instance, built once, keeps working when a later
 * invocation brings fresh credentials: its ACK, VPC and MNS clients sign with them.
 */
const ACCESS_KEY_ID = 'STS.emu-expiry';
const ACCESS_KEY_SECRET = 'expiry-test-secret-0123';
const HOUR = 3_600_000;

describe('STS credentials that expire while a function instance lives', () => {
  let tokenNow = Date.parse('2026-06-01T00:00:00Z');
  const clock = () => tokenNow;
  const tokenUntil = (ms: number) =>
    issueSecurityToken({ accessKeySecret: ACCESS_KEY_SECRET, expiresAt: new Date(ms) });
  const credentials = (securityToken: string) => ({
    accessKeyId: ACCESS_KEY_ID,
    accessKeySecret: ACCESS_KEY_SECRET,
    securityToken,
  });
  // The cold start's token, valid for an hour; a later invocation's, valid for a day.
  const first = tokenUntil(tokenNow + HOUR);
  const second = tokenUntil(tokenNow + 24 * HOUR);

  let ack: AckEmulator;
  let mns: MnsEmulator;
  let store: Store;
  let apiKey: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    ack = await startAckEmulator({
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
      securityToken: first,
      tokenNow: clock,
    });
    mns = await startMnsEmulator({
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
      queues: ['provision-jobs'],
      tokenNow: clock,
    });
    env = {
      DATABASE_URL: 'pglite://memory',
      ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET,
      ALIBABA_CLOUD_SECURITY_TOKEN: first,
      ASKP_ACK_ENDPOINT: ack.endpoint,
      ASKP_VPC_ENDPOINT: ack.endpoint,
      ASKP_ACK_PROTOCOL: 'http',
      ASKP_MNS_ENDPOINT: mns.url,
      ASKP_MNS_ACCOUNT_ID: '1000000000000001',
      ASKP_LOG_LEVEL: 'error',
    };
    store = await buildStore(loadConfig(env), { schema: 'migrate' });
    await store.createTenant({
      id: 'tnt_sts',
      name: 'sts',
      webhookSecret: newWebhookSecret(),
      at: new Date(),
    });
    // The operator lets the tenant name the emulator's VPC (the per-tenant network allow-list).
    await store.setTenantNetworks({
      tenantId: 'tnt_sts',
      networks: [
        {
          region: 'cn-hangzhou',
          vpcId: 'vpc-emuhz01',
          vswitchIds: ['vsw-emuhz01a', 'vsw-emuhz01b'],
        },
      ],
    });
    const key = generateApiKey();
    await store.putApiKey({
      id: key.id,
      tenantId: 'tnt_sts',
      secretHash: hashSecret(key.secret),
      scopes: [...SCOPES],
      expiresAt: null,
      revokedAt: null,
      createdAt: new Date(),
      name: null,
      lastUsedAt: null,
    });
    apiKey = key.key;
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await ack?.close();
    await mns?.close();
  });

  it('is refused by ACK (and its VPC API) once expired, with InvalidSecurityToken.Expired', async () => {
    const api = createAlicloudClusterApi({
      credentials: credentials(tokenUntil(tokenNow - 1000)),
      endpoint: ack.endpoint,
      protocol: 'http',
      retry: { maxAttempts: 1 },
    });
    const error = await api.describeUserQuota({ regionId: 'cn-hangzhou' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AckError);
    expect((error as AckError).ackCode).toBe('InvalidSecurityToken.Expired');
    expect((error as AckError).retryable).toBe(false);
  });

  it('is refused by MNS once expired, and by KMS', async () => {
    const queue = createMnsJobQueue({
      endpoint: mns.url,
      accountId: '1000000000000001',
      queueName: 'provision-jobs',
      credentials: credentials(tokenUntil(tokenNow - 1000)),
    });
    const error = await queue.receive({ max: 1, waitSeconds: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueError);
    expect((error as QueueError).mnsCode).toBe('SecurityTokenExpired');

    const kms = await startKmsEmulator({
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
      secrets: { 'askp-db': 'pglite://memory' },
      tokenNow: clock,
    });
    try {
      const access = (token: string) => ({ credentials: credentials(token), endpoint: kms.url });
      await expect(resolveDatabaseUrl('kms-secret://askp-db', access(first))).resolves.toBe(
        'pglite://memory',
      );
      await expect(
        resolveDatabaseUrl('kms-secret://askp-db', access(tokenUntil(tokenNow - 1000))),
      ).rejects.toThrow(/InvalidSecurityToken\.Expired/);
    } finally {
      await kms.close();
    }
  });

  it('keeps one api instance working when a later invocation brings fresh credentials', async () => {
    const handler = createHandler(env, { store }) as (
      event: Buffer,
      context: object,
    ) => Promise<{ statusCode: number; body: string }>;
    const preflight = fcEvent({
      method: 'POST',
      path: '/v1/clusters:preflight',
      key: apiKey,
      json: {
        name: 'sts',
        region: 'cn-hangzhou',
        network: { vpcId: 'vpc-emuhz01', vswitchIds: ['vsw-emuhz01a', 'vsw-emuhz01b'] },
      },
    });
    const create = () =>
      fcEvent({
        method: 'POST',
        path: '/v1/clusters',
        key: apiKey,
        json: { name: 'sts', region: 'cn-hangzhou' },
      });

    // The cold start: ACK, its VPC API and MNS all accept the first token.
    const warm = await handler(preflight, { credentials: credentials(first) });
    expect(warm.statusCode).toBe(200);
    expect(JSON.parse(warm.body)).toMatchObject({ ok: true });

    // An hour later the first token has expired. An instance given nothing newer is refused.
    tokenNow += HOUR + 1000;
    const stale = await handler(preflight, {});
    // ACK refused the token (ACK_AUTH_FAILED): a 502, whose detail the caller is not shown.
    expect(stale.statusCode).toBe(502);

    // The next invocation carries fresh credentials: the same instance signs with them.
    const fresh = await handler(preflight, { credentials: credentials(second) });
    expect(fresh.statusCode).toBe(200);
    const created = await handler(create(), { credentials: credentials(second) });
    expect(created.statusCode).toBe(202);
    expect(mns.stats().SendMessage ?? 0).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
