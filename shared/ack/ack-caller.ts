import type { CloudCredentials, CredentialsSource } from '../cloud/credentials.js';
import { createOpenApiClients } from '../cloud/openapi-clients.js';
import { mapAckError } from './ack-error-mapping.js';
import { type CsClient, resolveClientClass } from './cs-sdk.js';
import { retrySettingsFrom, withAckRetry } from './retry-policy.js';

/**
 * How the adapter reaches ACK: SDK clients, credentials, timeouts, retry and error mapping, shared
 * by every operation of the port.
 *
 * - One SDK client per region and timeout, created on first use: ACK's endpoints are regional
 *   (`cs.<region>.aliyuncs.com`, a few special regions on `cs.aliyuncs.com`, which the SDK's own
 *   endpoint table resolves). With `endpoint` set (the emulator) every region shares it.
 * - Timeouts are per call: the connect and read timeout of the client serving that action, so a
 *   slow DescribeClusterUserKubeconfig can be given longer than a list without slowing the rest.
 * - The SDK's retry stays off (no `retryOptions`); retry-policy.ts is the only retry.
 * - Credentials reach the SDK through a credential provider (cloud/openapi-credential.ts) that
 *   the SDK asks on every request, so a cached client signs with the invocation's credentials,
 *   not those of its construction (FC's STS credentials expire); an STS token goes out as
 *   `x-acs-security-token`. They are never logged, and the redactor strips them from errors.
 */

type AckAction =
  | 'CreateCluster'
  | 'DescribeClusterDetail'
  | 'DescribeClustersV1'
  | 'DescribeTaskInfo'
  | 'DescribeClusterTasks'
  | 'DeleteCluster'
  | 'ModifyCluster'
  | 'DescribeClusterEvents'
  | 'DescribeEvents'
  | 'DescribeClusterUserKubeconfig'
  | 'DescribeKubernetesVersionMetadata'
  | 'ListAddons'
  | 'RevokeK8sClusterKubeConfig'
  | 'CheckServiceRole'
  | 'DescribeUserQuota'
  | 'TagResources'
  | 'DescribeClusterNodePools'
  | 'UpgradeCluster'
  | 'CreateClusterNodePool'
  | 'ModifyClusterNodePool'
  | 'DeleteClusterNodepool'
  | 'ListClusterAddonInstances'
  | 'InstallClusterAddons'
  | 'UpgradeClusterAddons'
  | 'ModifyClusterAddon'
  | 'UnInstallClusterAddons';

interface AlicloudClusterApiOptions {
  /** Fixed credentials, or a source each invocation updates (cloud/credentials.ts). */
  credentials: CloudCredentials | CredentialsSource;
  /** e.g. `127.0.0.1:9101`; unset: the region's public endpoint. */
  endpoint?: string;
  /** Default https. */
  protocol?: 'http' | 'https';
  /** Connect and read timeout per call (default 15000). */
  timeoutMs?: number;
  /** Per-action overrides of `timeoutMs`, e.g. `{ CreateCluster: 30000 }`. */
  timeoutsMs?: Partial<Record<AckAction, number>>;
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /**
   * Region whose endpoint serves calls that name none (`listClusters` without `regionId`,
   * CheckServiceRole, DescribeUserQuota); default cn-hangzhou.
   */
  defaultRegionId?: string;
  /**
   * Told of every HTTP attempt and its outcome (`OK` or the error's code), for the service's ACK
   * call metrics. Synchronous (count in memory, write elsewhere): an ACK answer never waits for
   * it; whatever it throws is ignored, so counting never fails a call.
   */
  onCall?: (action: AckAction, code: string) => void;
}

interface AckCaller {
  /** Runs one ACK call with retry; whatever fails is thrown as a DomainError. */
  call<T>(
    action: AckAction,
    regionId: string | undefined,
    idempotent: boolean,
    invoke: (client: CsClient) => Promise<T>,
  ): Promise<T>;
  defaultRegionId: string;
}

const createAckCaller = (options: AlicloudClusterApiOptions): AckCaller => {
  const { clientFor, redact } = createOpenApiClients(resolveClientClass(), options);
  const defaultTimeoutMs = options.timeoutMs ?? 15_000;
  const defaultRegionId = options.defaultRegionId ?? 'cn-hangzhou';
  const settings = retrySettingsFrom(options);

  const count = (action: AckAction, code: string): void => {
    try {
      options.onCall?.(action, code);
    } catch {
      // A metrics write that fails must not turn a good ACK answer into an error.
    }
  };

  return {
    defaultRegionId,
    call: (action, regionId, idempotent, invoke) => {
      const timeoutMs = options.timeoutsMs?.[action] ?? defaultTimeoutMs;
      return withAckRetry(
        {
          idempotent,
          // clientFor may throw too (bad config): mapped like any other failure, never leaking keys.
          call: async () => {
            try {
              const result = await invoke(clientFor(regionId ?? defaultRegionId, timeoutMs));
              count(action, 'OK');
              return result;
            } catch (error) {
              count(action, mapAckError(error, { action, redact }).code);
              throw error;
            }
          },
          mapError: (error) => mapAckError(error, { action, redact }),
        },
        settings,
      );
    },
  };
};

export type { AckAction, AckCaller, AlicloudClusterApiOptions };
export { createAckCaller };
