import { describe, expect, it } from 'vitest';
import type { Env, VariableName } from '../../shared/config.js';
import { loadConfig } from '../../shared/config.js';
import { DomainError } from '../../shared/domain/errors.js';

const SECRET = 'sk-very-secret-value-123';

const MINIMAL: Env = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI-test-id',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
  ASKP_MNS_ENDPOINT: 'https://123456.mns.cn-hangzhou.aliyuncs.com',
  ASKP_MNS_ACCOUNT_ID: '123456',
};

const REQUIRED: readonly VariableName[] = [
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ASKP_MNS_ENDPOINT',
  'ASKP_MNS_ACCOUNT_ID',
];

const configErrorOf = (env: Env): DomainError => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw new Error(`loadConfig threw a non-DomainError: ${String(error)}`);
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(Object.keys(env))}`);
};

const without = (name: string): Env =>
  Object.fromEntries(Object.entries(MINIMAL).filter(([key]) => key !== name));

describe('loadConfig: defaults', () => {
  it('reads a minimal environment and fills the documented defaults', () => {
    expect(loadConfig(MINIMAL)).toEqual({
      databaseUrl: undefined,
      credentials: { accessKeyId: 'LTAI-test-id', accessKeySecret: SECRET },
      kms: { regionId: undefined, endpoint: undefined },
      ack: { endpoint: undefined, protocol: 'https', timeoutMs: 15_000 },
      vpc: { endpoint: undefined },
      eci: { endpoint: undefined, protocol: 'https' },
      mns: {
        endpoint: 'https://123456.mns.cn-hangzhou.aliyuncs.com',
        accountId: '123456',
        queueName: 'provision-jobs',
      },
      worker: { maxAttempts: 5, leaseSeconds: 30, createSettleSeconds: 600 },
      poller: {
        outboxResendSeconds: 30,
        batch: 1000,
        taskReads: 50,
        outboxSweepLimit: 500,
        outboxStuckSeconds: 300,
        webhookBatch: 500,
        idempotencyPurgeBatch: 1000,
      },
      timers: { reserveSeconds: 10 },
      webhooks: {
        timeoutMs: 10_000,
        attemptLeaseMs: 30_000,
        allowHttp: false,
        allowedCidrs: [],
        lanes: 16,
        perTenant: 8,
        perTarget: 8,
        breaker: { failureThreshold: 5, cooldownMs: 60_000, maxCooldownMs: 3_600_000 },
        redeliver: { perMinute: 30, burst: 10 },
      },
      http: { maxBodyBytes: 65_536, corsOrigins: [] },
      rateLimit: { perSecond: 10, burst: 40, syncMs: 250 },
      apiKeys: { cacheSeconds: 5 },
      secrets: { keyFile: undefined, kmsKeyId: undefined },
      kubeconfig: { maxMinutes: 240, defaultMinutes: 60 },
      authThrottle: { burst: 20, perMinute: 30 },
      deletion: { retain: [], cleanupFailed: false },
      addons: {
        allowList: [
          'coredns',
          'metrics-server',
          'nginx-ingress-controller',
          'alb-ingress-controller',
          'loongcollector',
          'logtail-ds',
          'ack-node-problem-detector',
        ],
      },
      logLevel: 'info',
      uiDir: undefined,
      janitor: {
        warnSeconds: 3600,
        dryRun: false,
        leaseSeconds: 60,
        orphanGraceSeconds: 3600,
        regions: [],
        systemNamespaces: [],
        activitySource: 'auto',
      },
    });
  });

  it('derives the stuck-provision age from the worker lease and the attempt lease from the webhook timeout', () => {
    const config = loadConfig({
      ...MINIMAL,
      ASKP_LEASE_SECONDS: '600',
      ASKP_WEBHOOK_TIMEOUT_MS: '2000',
    });
    expect(config.poller.outboxStuckSeconds).toBe(1200);
    expect(config.webhooks.attemptLeaseMs).toBe(6000);
  });

  it('adds no securityToken key when none is given', () => {
    expect(loadConfig(MINIMAL).credentials).not.toHaveProperty('securityToken');
  });

  it('reads every optional variable when set', () => {
    const config = loadConfig({
      ...MINIMAL,
      DATABASE_URL: 'postgres://app:pw@db/askp',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'sts-token',
      ASKP_ACK_ENDPOINT: '127.0.0.1:9001',
      ASKP_VPC_ENDPOINT: '127.0.0.1:9001',
      FC_REGION: 'cn-shanghai',
      ASKP_KMS_ENDPOINT: 'http://127.0.0.1:9104',
      ASKP_ACK_PROTOCOL: 'http',
      ASKP_ECI_ENDPOINT: '127.0.0.1:9004',
      ASKP_ECI_PROTOCOL: 'http',
      ASKP_JANITOR_ACTIVITY_SOURCE: 'eci',
      ASKP_ACK_TIMEOUT_MS: '2000',
      ASKP_QUEUE_NAME: 'jobs-dev',
      ASKP_WORKER_MAX_ATTEMPTS: '7',
      ASKP_LEASE_SECONDS: '60',
      ASKP_OUTBOX_RESEND_SECONDS: '5',
      ASKP_POLLER_BATCH: '50',
      ASKP_OUTBOX_SWEEP_LIMIT: '20',
      ASKP_OUTBOX_STUCK_SECONDS: '600',
      ASKP_WEBHOOK_BATCH: '30',
      ASKP_IDEMPOTENCY_PURGE_BATCH: '40',
      ASKP_TIMER_RESERVE_SECONDS: '15',
      ASKP_WEBHOOK_ATTEMPT_LEASE_MS: '4000',
      ASKP_WEBHOOK_TIMEOUT_MS: '500',
      ASKP_WEBHOOK_ALLOW_HTTP: 'true',
      ASKP_WEBHOOK_ALLOWED_CIDRS: ' 127.0.0.0/8 , ::1/128,,10.0.0.0/8 ',
      ASKP_WEBHOOK_LANES: '4',
      ASKP_WEBHOOK_TENANT_CONCURRENCY: '3',
      ASKP_WEBHOOK_ENDPOINT_CONCURRENCY: '2',
      ASKP_WEBHOOK_BREAKER_FAILURES: '7',
      ASKP_WEBHOOK_BREAKER_COOLDOWN_SECONDS: '7200',
      ASKP_WEBHOOK_REDELIVER_PER_MINUTE: '6',
      ASKP_WEBHOOK_REDELIVER_BURST: '3',
      ASKP_MAX_BODY_BYTES: '2048',
      ASKP_CORS_ORIGINS: 'https://console.example.com, http://localhost:5173',
      ASKP_RATE_LIMIT_PER_SECOND: '5',
      ASKP_RATE_LIMIT_BURST: '20',
      ASKP_RATE_LIMIT_SYNC_MS: '1000',
      ASKP_API_KEY_CACHE_SECONDS: '0',
      ASKP_SECRETS_KEY_FILE: '/var/askp/secrets.key',
      ASKP_KUBECONFIG_MAX_MINUTES: '30',
      ASKP_AUTH_FAILURE_BURST: '5',
      ASKP_AUTH_FAILURES_PER_MINUTE: '2',
      ASKP_LOG_LEVEL: 'debug',
      ASKP_JANITOR_WARN_SECONDS: '600',
      ASKP_JANITOR_DRY_RUN: 'yes',
      ASKP_JANITOR_LEASE_SECONDS: '120',
      ASKP_JANITOR_ORPHAN_GRACE_SECONDS: '7200',
      ASKP_CREATE_SETTLE_SECONDS: '900',
      ASKP_JANITOR_REGIONS: 'cn-hangzhou, ap-southeast-1',
      ASKP_JANITOR_SYSTEM_NAMESPACES: 'arms-prom,,logtail-ds ',
      ASKP_ADDON_ALLOW_LIST: 'coredns, metrics-server',
    });
    expect(config).toEqual({
      databaseUrl: 'postgres://app:pw@db/askp',
      credentials: {
        accessKeyId: 'LTAI-test-id',
        accessKeySecret: SECRET,
        securityToken: 'sts-token',
      },
      kms: { regionId: 'cn-shanghai', endpoint: 'http://127.0.0.1:9104' },
      ack: { endpoint: '127.0.0.1:9001', protocol: 'http', timeoutMs: 2000 },
      vpc: { endpoint: '127.0.0.1:9001' },
      eci: { endpoint: '127.0.0.1:9004', protocol: 'http' },
      mns: {
        endpoint: 'https://123456.mns.cn-hangzhou.aliyuncs.com',
        accountId: '123456',
        queueName: 'jobs-dev',
      },
      worker: { maxAttempts: 7, leaseSeconds: 60, createSettleSeconds: 900 },
      poller: {
        outboxResendSeconds: 5,
        batch: 50,
        taskReads: 50,
        outboxSweepLimit: 20,
        outboxStuckSeconds: 600,
        webhookBatch: 30,
        idempotencyPurgeBatch: 40,
      },
      timers: { reserveSeconds: 15 },
      webhooks: {
        timeoutMs: 500,
        attemptLeaseMs: 4000,
        allowHttp: true,
        allowedCidrs: ['127.0.0.0/8', '::1/128', '10.0.0.0/8'],
        lanes: 4,
        perTenant: 3,
        perTarget: 2,
        // A cool-down set longer than an hour is its own cap.
        breaker: { failureThreshold: 7, cooldownMs: 7_200_000, maxCooldownMs: 7_200_000 },
        redeliver: { perMinute: 6, burst: 3 },
      },
      http: {
        maxBodyBytes: 2048,
        corsOrigins: ['https://console.example.com', 'http://localhost:5173'],
      },
      rateLimit: { perSecond: 5, burst: 20, syncMs: 1000 },
      apiKeys: { cacheSeconds: 0 },
      secrets: { keyFile: '/var/askp/secrets.key', kmsKeyId: undefined },
      // A maximum under the 60-minute default brings the default down with it.
      kubeconfig: { maxMinutes: 30, defaultMinutes: 30 },
      authThrottle: { burst: 5, perMinute: 2 },
      deletion: { retain: [], cleanupFailed: false },
      addons: { allowList: ['coredns', 'metrics-server'] },
      logLevel: 'debug',
      uiDir: undefined,
      janitor: {
        warnSeconds: 600,
        dryRun: true,
        leaseSeconds: 120,
        orphanGraceSeconds: 7200,
        regions: ['cn-hangzhou', 'ap-southeast-1'],
        systemNamespaces: ['arms-prom', 'logtail-ds'],
        activitySource: 'eci',
      },
    });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('reads ASKP_WEBHOOK_ALLOW_HTTP=%s as %s', (text, value) => {
    expect(loadConfig({ ...MINIMAL, ASKP_WEBHOOK_ALLOW_HTTP: text }).webhooks.allowHttp).toBe(
      value,
    );
  });

  it('accepts an http MNS endpoint with a port (the local emulator)', () => {
    expect(
      loadConfig({ ...MINIMAL, ASKP_MNS_ENDPOINT: 'http://127.0.0.1:9002' }).mns.endpoint,
    ).toBe('http://127.0.0.1:9002');
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ ...MINIMAL, PATH: '/usr/bin', FC_FUNCTION_NAME: 'x' })).toEqual(
      loadConfig(MINIMAL),
    );
  });
});

describe('loadConfig: empty strings count as unset', () => {
  it('applies the default to an optional variable set to ""', () => {
    const config = loadConfig({
      ...MINIMAL,
      DATABASE_URL: '',
      ALIBABA_CLOUD_SECURITY_TOKEN: '',
      ASKP_ACK_ENDPOINT: '',
      ASKP_ACK_PROTOCOL: '',
      ASKP_LEASE_SECONDS: '',
      ASKP_WEBHOOK_ALLOW_HTTP: '',
      ASKP_WEBHOOK_ALLOWED_CIDRS: '',
      ASKP_LOG_LEVEL: '',
    });
    expect(config).toEqual(loadConfig(MINIMAL));
    expect(config.databaseUrl).toBeUndefined();
  });

  it.each(REQUIRED)('treats %s="" as missing', (name) => {
    const error = configErrorOf({ ...MINIMAL, [name]: '' });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`${name} is required`);
  });
});

describe('loadConfig: errors name the variable', () => {
  it('refuses two key sources for the webhook secrets at once', () => {
    const error = configErrorOf({
      ...MINIMAL,
      ASKP_SECRETS_KEY_FILE: '/var/askp/secrets.key',
      ASKP_SECRETS_KMS_KEY_ID: 'alias/askp-secrets',
    });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.field).toBe('ASKP_SECRETS_KMS_KEY_ID');
  });

  it('takes a KMS key alias as the key source', () => {
    expect(
      loadConfig({ ...MINIMAL, ASKP_SECRETS_KMS_KEY_ID: 'alias/askp-secrets' }).secrets,
    ).toEqual({ keyFile: undefined, kmsKeyId: 'alias/askp-secrets' });
  });

  it.each(REQUIRED)('stops when %s is missing', (name) => {
    const error = configErrorOf(without(name));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message.startsWith(`${name} `)).toBe(true);
    expect(error.message).toContain('is required');
    expect(error.field).toBe(name);
  });

  it.each([
    ['ASKP_ACK_PROTOCOL', 'ftp'],
    ['ASKP_JANITOR_ACTIVITY_SOURCE', 'pods'],
    ['ASKP_LEASE_SECONDS', 'abc'],
    ['ASKP_LEASE_SECONDS', '5'],
    ['ASKP_LEASE_SECONDS', '3601'],
    ['ASKP_LEASE_SECONDS', '-10'],
    ['ASKP_LEASE_SECONDS', '12.5'],
    ['ASKP_WEBHOOK_ALLOWED_CIDRS', 'notacidr'],
    ['ASKP_WEBHOOK_ALLOWED_CIDRS', '10.0.0.0/8,notacidr'],
    ['ASKP_MNS_ENDPOINT', 'https://123456.mns.cn-hangzhou.aliyuncs.com/queues'],
    ['ASKP_MNS_ENDPOINT', '123456.mns.cn-hangzhou.aliyuncs.com'],
    ['ASKP_WEBHOOK_ALLOW_HTTP', 'maybe'],
    ['ASKP_ACK_ENDPOINT', 'https://cs.cn-hangzhou.aliyuncs.com'],
    ['ASKP_VPC_ENDPOINT', 'https://vpc.cn-hangzhou.aliyuncs.com'],
    ['ASKP_LOG_LEVEL', 'verbose'],
    ['ASKP_MAX_BODY_BYTES', '10'],
    ['ASKP_QUEUE_NAME', '-jobs'],
    ['ASKP_MNS_ACCOUNT_ID', 'acc/123'],
  ])('rejects %s=%j with CONFIG_INVALID, showing the value', (name, value) => {
    const error = configErrorOf({ ...MINIMAL, [name]: value });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message.startsWith(`${name} `)).toBe(true);
    expect(error.message).toContain(`"${value}"`);
    expect(error.field).toBe(name);
    expect(error.retryable).toBe(false);
  });

  it.each(['10.0.0.0/33', '256.0.0.0/8', '::/129'])(
    'rejects ASKP_WEBHOOK_ALLOWED_CIDRS=%j, which the address guard cannot use',
    (value) => {
      const error = configErrorOf({ ...MINIMAL, ASKP_WEBHOOK_ALLOWED_CIDRS: value });
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message.startsWith('ASKP_WEBHOOK_ALLOWED_CIDRS ')).toBe(true);
    },
  );

  it('reports the first bad variable in declaration order when several are bad', () => {
    const error = configErrorOf({ ASKP_LEASE_SECONDS: 'abc' });
    expect(error.message.startsWith('ALIBABA_CLOUD_ACCESS_KEY_ID ')).toBe(true);
  });
});

describe('loadConfig: secrets are never echoed', () => {
  it('says nothing but "is required" for an empty secret', () => {
    const error = configErrorOf({ ...MINIMAL, ALIBABA_CLOUD_ACCESS_KEY_SECRET: '' });
    expect(error.message).toBe('ALIBABA_CLOUD_ACCESS_KEY_SECRET is required');
  });

  it('accepts DATABASE_URL="" as unset rather than failing', () => {
    expect(loadConfig({ ...MINIMAL, DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it('never puts a secret value in an error about another variable', () => {
    const error = configErrorOf({
      ...MINIMAL,
      DATABASE_URL: 'postgres://app:db-password-xyz@db/askp',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'sts-token-xyz',
      ASKP_LOG_LEVEL: 'loud',
    });
    expect(error.message.startsWith('ASKP_LOG_LEVEL ')).toBe(true);
    for (const secret of [SECRET, 'db-password-xyz', 'sts-token-xyz']) {
      expect(error.message).not.toContain(secret);
      expect(JSON.stringify({ ...error, message: error.message })).not.toContain(secret);
    }
  });
});
