import { isIP } from 'node:net';
import * as z from 'zod';
import { DomainError } from './domain/errors.js';
import {
  RETAINABLE_RESOURCE_TYPES,
  type RetainableResourceType,
} from './domain/retainable-resources.js';
import { ACTIVITY_SOURCES, type ActivitySource } from './janitor/activity-source.js';
import { DEFAULT_ADDON_ALLOW_LIST } from './tenancy/addon-policy.js';

/**
 * Environment → one typed, validated config. A bad value stops start-up with a message that names
 * the variable; secret values are never echoed. Nothing below functions/ reads process.env: the
 * env record is passed in, so the local host can give each function its own (s.yaml) environment.
 */

type Env = Readonly<Record<string, string | undefined>>;

const booleanText = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((text) => text === 'true' || text === '1' || text === 'yes');

const positiveInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** A comma-separated list (empty by default), each item checked by `item`. */
const commaList = <T extends string>(item: z.ZodType<T, string>) =>
  z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(item));

/** A CIDR the address guard can use: the address must be an IP and the prefix fit its family. */
const isUsableCidr = (text: string): boolean => {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match?.[1] || !match[2]) return false;
  const family = isIP(match[1]);
  const prefix = Number(match[2]);
  return (family === 4 && prefix <= 32) || (family === 6 && prefix <= 128);
};

const DEFAULT_MAX_BODY_BYTES = 65_536;
/** What a kubeconfig lives when the caller does not say: short, since it outlives its key. */
const DEFAULT_KUBECONFIG_MINUTES = 60;

/** Each variable, its parser and its default; the README's configuration table mirrors this. */
const VARIABLES = {
  DATABASE_URL: z.string().min(1).optional(),
  ALIBABA_CLOUD_ACCESS_KEY_ID: z.string().min(1),
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: z.string().min(1),
  ALIBABA_CLOUD_SECURITY_TOKEN: z.string().min(1).optional(),
  // Set by Function Compute: the function's region (it picks the KMS endpoint for DATABASE_URL).
  FC_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z0-9]+){1,3}$/, 'must be a region id')
    .optional(),
  ASKP_KMS_ENDPOINT: z
    .string()
    .regex(
      /^(https?:\/\/)?[A-Za-z0-9.-]+(:\d{1,5})?$/,
      'must be host[:port] or http(s)://host[:port], without a path',
    )
    .optional(),
  ASKP_ACK_ENDPOINT: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be host or host:port, without a scheme')
    .optional(),
  ASKP_ACK_PROTOCOL: z.enum(['http', 'https']).default('https'),
  // The VPC API (2016-04-28), read by the preflight; the ACK emulator serves it too.
  ASKP_VPC_ENDPOINT: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be host or host:port, without a scheme')
    .optional(),
  ASKP_ACK_TIMEOUT_MS: positiveInt(100, 120_000).default(15_000),
  // ECI (DescribeContainerGroups) for the janitor's idle checks: unset is the SDK's own endpoint.
  ASKP_ECI_ENDPOINT: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be host or host:port, without a scheme')
    .optional(),
  ASKP_ECI_PROTOCOL: z.enum(['http', 'https']).default('https'),
  ASKP_MNS_ENDPOINT: z
    .string()
    .regex(/^https?:\/\/[^/\s]+$/, 'must be http(s)://host[:port] with no path'),
  ASKP_MNS_ACCOUNT_ID: z.string().regex(/^[0-9A-Za-z-]{1,64}$/, 'must be an account id'),
  ASKP_QUEUE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,119}$/, 'must be an MNS queue name')
    .default('provision-jobs'),
  ASKP_WORKER_MAX_ATTEMPTS: positiveInt(1, 100).default(5),
  ASKP_LEASE_SECONDS: positiveInt(10, 3600).default(30),
  ASKP_CREATE_SETTLE_SECONDS: positiveInt(60, 86_400).default(600),
  ASKP_OUTBOX_RESEND_SECONDS: positiveInt(1, 3600).default(30),
  ASKP_POLLER_BATCH: positiveInt(1, 10_000).default(1000),
  ASKP_POLLER_TASK_READS: positiveInt(0, 1000).default(50),
  ASKP_OUTBOX_SWEEP_LIMIT: positiveInt(1, 10_000).default(500),
  // Unset: max(300, 2 × ASKP_LEASE_SECONDS), so a live worker's lease always runs out first.
  ASKP_OUTBOX_STUCK_SECONDS: positiveInt(60, 86_400).optional(),
  ASKP_WEBHOOK_BATCH: positiveInt(1, 10_000).default(500),
  ASKP_IDEMPOTENCY_PURGE_BATCH: positiveInt(1, 100_000).default(1000),
  ASKP_TIMER_RESERVE_SECONDS: positiveInt(1, 300).default(10),
  ASKP_WEBHOOK_TIMEOUT_MS: positiveInt(100, 60_000).default(10_000),
  // Unset: 3 × ASKP_WEBHOOK_TIMEOUT_MS.
  ASKP_WEBHOOK_ATTEMPT_LEASE_MS: positiveInt(300, 600_000).optional(),
  ASKP_WEBHOOK_LANES: positiveInt(1, 256).default(16),
  ASKP_WEBHOOK_TENANT_CONCURRENCY: positiveInt(1, 256).default(8),
  ASKP_WEBHOOK_ENDPOINT_CONCURRENCY: positiveInt(1, 256).default(8),
  ASKP_WEBHOOK_BREAKER_FAILURES: positiveInt(1, 1000).default(5),
  ASKP_WEBHOOK_BREAKER_COOLDOWN_SECONDS: positiveInt(1, 86_400).default(60),
  ASKP_WEBHOOK_REDELIVER_PER_MINUTE: positiveInt(1, 100_000).default(30),
  ASKP_WEBHOOK_REDELIVER_BURST: positiveInt(1, 100_000).default(10),
  ASKP_WEBHOOK_ALLOW_HTTP: booleanText.default(false),
  ASKP_WEBHOOK_ALLOWED_CIDRS: commaList(
    z.string().refine(isUsableCidr, 'must be a comma-separated list of CIDRs (address/prefix)'),
  ),
  ASKP_DELETE_RETAIN: commaList(
    z.enum(
      RETAINABLE_RESOURCE_TYPES,
      `must list resource types among ${RETAINABLE_RESOURCE_TYPES.join(', ')}`,
    ),
  ),
  ASKP_CLEANUP_FAILED: booleanText.default(false),
  // Unset: the catalog's common addons; a tenant may ask for no other (shared/tenancy/addon-policy.ts).
  ASKP_ADDON_ALLOW_LIST: z
    .string()
    .default(DEFAULT_ADDON_ALLOW_LIST.join(','))
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a comma-separated list of addon names'),
      ),
    ),
  ASKP_MAX_BODY_BYTES: positiveInt(1024, 1_048_576).default(DEFAULT_MAX_BODY_BYTES),
  ASKP_CORS_ORIGINS: commaList(
    z
      .string()
      .regex(
        /^(\*|https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)$/,
        'must be a comma-separated list of origins (scheme://host[:port]) or *',
      ),
  ),
  ASKP_RATE_LIMIT_PER_SECOND: positiveInt(1, 100_000).default(10),
  ASKP_RATE_LIMIT_BURST: positiveInt(1, 1_000_000).default(40),
  ASKP_RATE_LIMIT_SYNC_MS: positiveInt(1, 10_000).default(250),
  ASKP_API_KEY_CACHE_SECONDS: positiveInt(0, 60).default(5),
  ASKP_SECRETS_KEY_FILE: z.string().min(1).optional(),
  // A KMS key id or alias (GenerateDataKey's KeyId): `key-…`, `alias/…`, or a key ARN.
  ASKP_SECRETS_KMS_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9:/_+=.@-]{1,256}$/, 'must be a KMS key id, alias/<name> or key ARN')
    .optional(),
  // ACK's own bounds for TemporaryDurationMinutes (DescribeClusterUserKubeconfig): 15–4320.
  ASKP_KUBECONFIG_MAX_MINUTES: positiveInt(15, 4320).default(240),
  ASKP_AUTH_FAILURE_BURST: positiveInt(1, 1_000_000).default(20),
  ASKP_AUTH_FAILURES_PER_MINUTE: positiveInt(1, 1_000_000).default(30),
  ASKP_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  ASKP_UI_DIR: z.string().min(1).optional(),
  ASKP_JANITOR_WARN_SECONDS: positiveInt(60, 7 * 86_400).default(3600),
  ASKP_JANITOR_DRY_RUN: booleanText.default(false),
  ASKP_JANITOR_LEASE_SECONDS: positiveInt(10, 86_400).default(60),
  ASKP_JANITOR_ORPHAN_GRACE_SECONDS: positiveInt(60, 30 * 86_400).default(3600),
  ASKP_JANITOR_REGIONS: commaList(
    z.string().regex(/^[a-z]{2}(-[a-z0-9]+){1,3}$/, 'must be a comma-separated list of region ids'),
  ),
  ASKP_JANITOR_ACTIVITY_SOURCE: z.enum(ACTIVITY_SOURCES).default('auto'),
  ASKP_JANITOR_SYSTEM_NAMESPACES: commaList(
    z
      .string()
      .regex(
        /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
        'must be a comma-separated list of namespaces',
      ),
  ),
} as const;

type VariableName = keyof typeof VARIABLES;
type RawConfig = { [K in VariableName]: z.output<(typeof VARIABLES)[K]> };

/** Values that must never be repeated in an error message. */
const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'ALIBABA_CLOUD_SECURITY_TOKEN',
  'DATABASE_URL',
]);

interface Config {
  databaseUrl: string | undefined;
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  ack: { endpoint: string | undefined; protocol: 'http' | 'https'; timeoutMs: number };
  /** The VPC API's endpoint (unset: each region's); it shares ACK's protocol and timeout. */
  vpc: { endpoint: string | undefined };
  eci: { endpoint: string | undefined; protocol: 'http' | 'https' };
  /** Where a `kms-secret://` DATABASE_URL is read: the region's KMS, or an emulator. */
  kms: { regionId: string | undefined; endpoint: string | undefined };
  mns: { endpoint: string; accountId: string; queueName: string };
  worker: {
    /** Deliveries that ended in a real failure (not throttling, a 5xx, a wait) before giving up. */
    maxAttempts: number;
    /** A worker's claim on a provision; renewed by a heartbeat every third of it while it works. */
    leaseSeconds: number;
    /** How long after an ambiguous CreateCluster the worker keeps looking before creating again. */
    createSettleSeconds: number;
  };
  deletion: {
    /** Resource types DeleteCluster keeps (ACK keeps ALB, SLS and PrivateZone unless told). */
    retain: RetainableResourceType[];
    /** Delete the cluster a failed creation left behind (ACK does not roll back). */
    cleanupFailed: boolean;
  };
  poller: {
    outboxResendSeconds: number;
    batch: number;
    /** DescribeTaskInfo calls per tick to follow creations' stages. */
    taskReads: number;
    /** Outbox entries the sweep re-sends (and stuck provisions it re-queues) per tick. */
    outboxSweepLimit: number;
    /** A provision claimed this long ago with no progress is re-queued (after its lease). */
    outboxStuckSeconds: number;
    /** Due webhook deliveries attempted per tick. */
    webhookBatch: number;
    /** Expired idempotency keys deleted per tick. */
    idempotencyPurgeBatch: number;
  };
  /** What both timer functions (poller, janitor) keep back from the function's timeout. */
  timers: { reserveSeconds: number };
  webhooks: {
    timeoutMs: number;
    /** How long a claimed attempt is its sender's before another tick may try it again. */
    attemptLeaseMs: number;
    allowHttp: boolean;
    allowedCidrs: string[];
    /** Attempts in flight in one poller run, per tenant and per target over every instance. */
    lanes: number;
    perTenant: number;
    perTarget: number;
    /** Consecutive failures that open a target's circuit, and its first cool-down (doubling). */
    breaker: { failureThreshold: number; cooldownMs: number; maxCooldownMs: number };
    /** Manual redeliveries per tenant: a bucket of `burst`, refilled `perMinute`. */
    redeliver: { perMinute: number; burst: number };
  };
  /** Addons a create may name (ACK's names); anything else is a 400. */
  addons: { allowList: string[] };
  http: {
    maxBodyBytes: number;
    /** Browser origins allowed to call the API (CORS); `*` for any; none by default. */
    corsOrigins: string[];
  };
  /**
   * Per API key: a token bucket refilled at `perSecond`, holding at most `burst` tokens. An API
   * instance spends tokens from its own copy of the bucket and writes what it spent to the shared
   * one at most `syncMs` later (shared/http/rate-limiter.ts).
   */
  rateLimit: { perSecond: number; burst: number; syncMs: number };
  /** How long an API instance trusts a key it has read (a revocation takes that long at most). */
  apiKeys: { cacheSeconds: number };
  /**
   * Where the key that seals webhook secrets at rest comes from: a key file (0600, made on first
   * use; local runs) or a KMS data key under `kmsKeyId` (the cloud); at most one of them.
   */
  secrets: { keyFile: string | undefined; kmsKeyId: string | undefined };
  /**
   * Kubeconfigs: the longest a caller may ask for, and what it gets when it does not ask (60
   * minutes, or the maximum when that is shorter).
   */
  kubeconfig: { maxMinutes: number; defaultMinutes: number };
  /** Failed authentications per source address: a bucket of `burst`, refilled `perMinute`. */
  authThrottle: { burst: number; perMinute: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Where the web console's built files are; unset: `ui/` next to the api bundle. */
  uiDir: string | undefined;
  janitor: {
    /** How long before a deletion the cluster.expiring webhook goes out (the grace period). */
    warnSeconds: number;
    /** Decide and report, but warn and delete nothing. */
    dryRun: boolean;
    /** How long one run holds the janitor lease; renewed by a heartbeat while the run works. */
    leaseSeconds: number;
    /** How long a tagged cluster of a dead provision (or a duplicate) is listed before it is reaped. */
    orphanGraceSeconds: number;
    /** Regions scanned for orphans besides those the store has provisions in. */
    regions: string[];
    /** Namespaces whose pods are not workload, besides Kubernetes' own. */
    systemNamespaces: string[];
    activitySource: ActivitySource;
  };
}

const parseVariable = (name: VariableName, env: Env): unknown => {
  const raw = env[name];
  const value = raw === '' ? undefined : raw;
  const result = VARIABLES[name].safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const why = value === undefined ? 'is required' : (issue?.message ?? 'is invalid');
  const shown = value === undefined || SECRET_VARIABLES.has(name) ? '' : ` (got "${value}")`;
  throw new DomainError('CONFIG_INVALID', `${name} ${why}${shown}`, { field: name });
};

const loadConfig = (env: Env): Config => {
  const raw = Object.fromEntries(
    (Object.keys(VARIABLES) as VariableName[]).map((name) => [name, parseVariable(name, env)]),
  ) as RawConfig;
  if (raw.ASKP_SECRETS_KEY_FILE && raw.ASKP_SECRETS_KMS_KEY_ID) {
    // Two key sources would seal with one and fail to open what the other sealed.
    throw new DomainError(
      'CONFIG_INVALID',
      'ASKP_SECRETS_KMS_KEY_ID and ASKP_SECRETS_KEY_FILE are both set: choose one key source',
      { field: 'ASKP_SECRETS_KMS_KEY_ID' },
    );
  }
  return {
    databaseUrl: raw.DATABASE_URL,
    credentials: {
      accessKeyId: raw.ALIBABA_CLOUD_ACCESS_KEY_ID,
      accessKeySecret: raw.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
      ...(raw.ALIBABA_CLOUD_SECURITY_TOKEN
        ? { securityToken: raw.ALIBABA_CLOUD_SECURITY_TOKEN }
        : {}),
    },
    kms: { regionId: raw.FC_REGION, endpoint: raw.ASKP_KMS_ENDPOINT },
    ack: {
      endpoint: raw.ASKP_ACK_ENDPOINT,
      protocol: raw.ASKP_ACK_PROTOCOL,
      timeoutMs: raw.ASKP_ACK_TIMEOUT_MS,
    },
    vpc: { endpoint: raw.ASKP_VPC_ENDPOINT },
    eci: { endpoint: raw.ASKP_ECI_ENDPOINT, protocol: raw.ASKP_ECI_PROTOCOL },
    mns: {
      endpoint: raw.ASKP_MNS_ENDPOINT,
      accountId: raw.ASKP_MNS_ACCOUNT_ID,
      queueName: raw.ASKP_QUEUE_NAME,
    },
    worker: {
      maxAttempts: raw.ASKP_WORKER_MAX_ATTEMPTS,
      leaseSeconds: raw.ASKP_LEASE_SECONDS,
      createSettleSeconds: raw.ASKP_CREATE_SETTLE_SECONDS,
    },
    deletion: { retain: raw.ASKP_DELETE_RETAIN, cleanupFailed: raw.ASKP_CLEANUP_FAILED },
    poller: {
      outboxResendSeconds: raw.ASKP_OUTBOX_RESEND_SECONDS,
      batch: raw.ASKP_POLLER_BATCH,
      taskReads: raw.ASKP_POLLER_TASK_READS,
      outboxSweepLimit: raw.ASKP_OUTBOX_SWEEP_LIMIT,
      outboxStuckSeconds:
        raw.ASKP_OUTBOX_STUCK_SECONDS ?? Math.max(300, raw.ASKP_LEASE_SECONDS * 2),
      webhookBatch: raw.ASKP_WEBHOOK_BATCH,
      idempotencyPurgeBatch: raw.ASKP_IDEMPOTENCY_PURGE_BATCH,
    },
    timers: { reserveSeconds: raw.ASKP_TIMER_RESERVE_SECONDS },
    webhooks: {
      timeoutMs: raw.ASKP_WEBHOOK_TIMEOUT_MS,
      attemptLeaseMs: raw.ASKP_WEBHOOK_ATTEMPT_LEASE_MS ?? raw.ASKP_WEBHOOK_TIMEOUT_MS * 3,
      allowHttp: raw.ASKP_WEBHOOK_ALLOW_HTTP,
      allowedCidrs: raw.ASKP_WEBHOOK_ALLOWED_CIDRS,
      lanes: raw.ASKP_WEBHOOK_LANES,
      perTenant: raw.ASKP_WEBHOOK_TENANT_CONCURRENCY,
      perTarget: raw.ASKP_WEBHOOK_ENDPOINT_CONCURRENCY,
      breaker: {
        failureThreshold: raw.ASKP_WEBHOOK_BREAKER_FAILURES,
        cooldownMs: raw.ASKP_WEBHOOK_BREAKER_COOLDOWN_SECONDS * 1000,
        // Doubling per reopening, up to an hour (or the cool-down itself when set longer).
        maxCooldownMs: Math.max(3_600_000, raw.ASKP_WEBHOOK_BREAKER_COOLDOWN_SECONDS * 1000),
      },
      redeliver: {
        perMinute: raw.ASKP_WEBHOOK_REDELIVER_PER_MINUTE,
        burst: raw.ASKP_WEBHOOK_REDELIVER_BURST,
      },
    },
    addons: { allowList: raw.ASKP_ADDON_ALLOW_LIST },
    http: { maxBodyBytes: raw.ASKP_MAX_BODY_BYTES, corsOrigins: raw.ASKP_CORS_ORIGINS },
    rateLimit: {
      perSecond: raw.ASKP_RATE_LIMIT_PER_SECOND,
      burst: raw.ASKP_RATE_LIMIT_BURST,
      syncMs: raw.ASKP_RATE_LIMIT_SYNC_MS,
    },
    apiKeys: { cacheSeconds: raw.ASKP_API_KEY_CACHE_SECONDS },
    secrets: { keyFile: raw.ASKP_SECRETS_KEY_FILE, kmsKeyId: raw.ASKP_SECRETS_KMS_KEY_ID },
    kubeconfig: {
      maxMinutes: raw.ASKP_KUBECONFIG_MAX_MINUTES,
      defaultMinutes: Math.min(DEFAULT_KUBECONFIG_MINUTES, raw.ASKP_KUBECONFIG_MAX_MINUTES),
    },
    authThrottle: {
      burst: raw.ASKP_AUTH_FAILURE_BURST,
      perMinute: raw.ASKP_AUTH_FAILURES_PER_MINUTE,
    },
    logLevel: raw.ASKP_LOG_LEVEL,
    uiDir: raw.ASKP_UI_DIR,
    janitor: {
      warnSeconds: raw.ASKP_JANITOR_WARN_SECONDS,
      dryRun: raw.ASKP_JANITOR_DRY_RUN,
      leaseSeconds: raw.ASKP_JANITOR_LEASE_SECONDS,
      orphanGraceSeconds: raw.ASKP_JANITOR_ORPHAN_GRACE_SECONDS,
      regions: raw.ASKP_JANITOR_REGIONS,
      systemNamespaces: raw.ASKP_JANITOR_SYSTEM_NAMESPACES,
      activitySource: raw.ASKP_JANITOR_ACTIVITY_SOURCE,
    },
  };
};

export type { Config, Env, VariableName };
export { DEFAULT_MAX_BODY_BYTES, loadConfig, VARIABLES };
