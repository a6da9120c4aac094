import { mapAckError } from '../ack/ack-error-mapping.js';
import { retrySettingsFrom, withAckRetry } from '../ack/retry-policy.js';
import type { CloudCredentials, CredentialsSource } from '../cloud/credentials.js';
import { createOpenApiClients } from '../cloud/openapi-clients.js';
import type { VpcNetworkApi } from './vpc-network.port.js';
import { resolveVpcClientClass, type VpcClient, vpc } from './vpc-sdk.js';

/**
 * The VpcNetworkApi over @alicloud/vpc20160428 (VPC OpenAPI 2016-04-28, RPC style, signed like
 * ACK with ACS3-HMAC-SHA256 by openapi-core). One client per region, made on first use: the
 * SDK resolves `vpc.<region>.aliyuncs.com` (or its endpoint table's host) from the region; with
 * `endpoint` set (the emulator) every region shares it. Both calls are reads, so our retry policy
 * (ack/retry-policy.ts) retries them; failures are mapped like ACK's (the same gateway, the same
 * error shapes), as AckErrors whose `action` names the VPC call. Credentials come from a source
 * read on every request (cloud/credentials.ts) and are redacted from every message.
 */
interface VpcNetworkApiOptions {
  credentials: CloudCredentials | CredentialsSource;
  /** `host[:port]`, e.g. the ACK emulator's (it serves the VPC API too); unset: the region's. */
  endpoint?: string;
  /** Default https. */
  protocol?: 'http' | 'https';
  /** Connect and read timeout per call (default 10000). */
  timeoutMs?: number;
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

type VpcAction = 'DescribeVpcs' | 'DescribeVSwitches';

const createVpcNetworkApi = (options: VpcNetworkApiOptions): VpcNetworkApi => {
  const clients = createOpenApiClients(resolveVpcClientClass(), options);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const settings = retrySettingsFrom(options);
  const clientFor = (regionId: string): VpcClient => clients.clientFor(regionId, timeoutMs);
  const { redact } = clients;

  const call = <T>(
    action: VpcAction,
    regionId: string,
    invoke: (client: VpcClient) => Promise<T>,
  ): Promise<T> =>
    withAckRetry(
      {
        idempotent: true,
        call: () => invoke(clientFor(regionId)),
        mapError: (error) => mapAckError(error, { action, redact }),
      },
      settings,
    );

  return {
    findVpc: async ({ regionId, vpcId }) => {
      const request = new vpc.DescribeVpcsRequest({ regionId, vpcId, pageSize: 10 });
      const response = await call('DescribeVpcs', regionId, (client) =>
        client.describeVpcs(request),
      );
      // VpcId filters exactly; the region check guards against a listing that ignored it.
      const found = (response.body?.vpcs?.vpc ?? []).find(
        (entry) => entry.vpcId === vpcId && (entry.regionId ?? regionId) === regionId,
      );
      return found === undefined ? null : { vpcId, regionId, status: found.status ?? 'Available' };
    },

    findVswitch: async ({ regionId, vswitchId }) => {
      const request = new vpc.DescribeVSwitchesRequest({ regionId, vSwitchId: vswitchId });
      const response = await call('DescribeVSwitches', regionId, (client) =>
        client.describeVSwitches(request),
      );
      const found = (response.body?.vSwitches?.vSwitch ?? []).find(
        (entry) => entry.vSwitchId === vswitchId,
      );
      return found === undefined
        ? null
        : {
            vswitchId,
            vpcId: found.vpcId ?? '',
            zoneId: found.zoneId ?? '',
            status: found.status ?? 'Available',
          };
    },
  };
};

export type { VpcNetworkApiOptions };
export { createVpcNetworkApi };
