import * as kms from '@alicloud/kms20160120';

/**
 * The KMS client (`@alicloud/kms20160120`, API 2016-01-20) with the function's credentials, for
 * the two uses of KMS: reading the DATABASE_URL secret (database-secret.ts) and the data key that
 * seals tenants' webhook secrets (kms-data-key.ts). Loaded only by dynamic import, so a service
 * that uses neither never loads the SDK.
 */
interface KmsAccess {
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  /** The region whose KMS endpoint (`kms.<region>.aliyuncs.com`) is called. */
  regionId?: string | undefined;
  /** `host[:port]` or `http(s)://host[:port]`: set only to reach an emulator. */
  endpoint?: string | undefined;
}

// The SDK is CommonJS with `exports.default = Client` (see shared/ack/cs-sdk.ts for the interop).
type KmsClientClass = typeof kms.default.default;
type KmsClient = InstanceType<KmsClientClass>;

const resolveClientClass = (): KmsClientClass => {
  const candidate: unknown = kms.default;
  return typeof candidate === 'function' ? (candidate as KmsClientClass) : kms.default.default;
};

const splitEndpoint = (endpoint: string): { host: string; protocol: 'http' | 'https' } => {
  const match = /^(https?):\/\/(.+?)\/?$/.exec(endpoint);
  if (match?.[1] && match[2])
    return { protocol: match[1] === 'http' ? 'http' : 'https', host: match[2] };
  return { protocol: 'https', host: endpoint };
};

/** KMS's error code of an SDK failure (never its message, which may quote the request). */
const kmsCodeOf = (error: unknown): string => {
  if (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string'
  )
    return error.code.replace(/Error$/, '');
  return error instanceof Error ? error.name : 'unknown error';
};

const STALE_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Retries of a call whose kept-alive connection the other side had already closed: the SDK's
 * HTTP agent is shared and keeps connections, so the first call of an instance minutes after its
 * start (the webhook secrets' data key, after DATABASE_URL's secret) may pick one the server has
 * dropped. Both calls retried here are safe to repeat (Decrypt; GenerateDataKey's extra key is
 * never stored).
 */
const STALE_CONNECTION_ATTEMPTS = 3;

const withStaleConnectionRetry = async <T>(call: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      // Several kept connections may have gone stale together: each failure drops one.
      if (attempt >= STALE_CONNECTION_ATTEMPTS || !STALE_CONNECTION_CODES.has(kmsCodeOf(error)))
        throw error;
    }
  }
};

/** A client, or null when neither a region nor an endpoint says where KMS is. */
const createKmsClient = (access: KmsAccess): KmsClient | null => {
  const Client = resolveClientClass();
  const endpoint = access.endpoint ? splitEndpoint(access.endpoint) : undefined;
  if (!endpoint && !access.regionId) return null;
  // The SDK's Config model (from @alicloud/rpc-client) only carries these fields.
  const config: ConstructorParameters<KmsClientClass>[0] = {
    accessKeyId: access.credentials.accessKeyId,
    accessKeySecret: access.credentials.accessKeySecret,
    ...(access.credentials.securityToken
      ? { securityToken: access.credentials.securityToken }
      : {}),
    ...(access.regionId ? { regionId: access.regionId } : { regionId: 'cn-hangzhou' }),
    ...(endpoint ? { endpoint: endpoint.host, protocol: endpoint.protocol } : {}),
    readTimeout: 10_000,
    connectTimeout: 5_000,
  } as ConstructorParameters<KmsClientClass>[0];
  return new Client(config);
};

export type { KmsAccess, KmsClient };
export { createKmsClient, kms, kmsCodeOf, withStaleConnectionRetry };
