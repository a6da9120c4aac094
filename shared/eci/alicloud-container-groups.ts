import * as eci from '@alicloud/eci20180808';
import {
  asCredentialsSource,
  type CloudCredentials,
  type CredentialsSource,
} from '../cloud/credentials.js';
import type {
  ContainerGroupFacts,
  ContainerGroupLister,
  ListContainerGroupsInput,
} from './container-groups.port.js';
import { EciError } from './eci-error.js';

/**
 * The ContainerGroupLister over `@alicloud/eci20180808` (ECI API 2018-08-08), the only file that
 * imports it. DescribeContainerGroups is an RPC action, signed ACS3-HMAC-SHA256 by the SDK's
 * openapi-client; pages hold at most 20 groups ("Limit … default 20, maximum 20", API reference)
 * and NextToken is followed until ECI returns none.
 *
 * Endpoint: unset, the SDK's own rule (`eci.aliyuncs.com`, the region travels as `RegionId`), so
 * one client serves every region; `endpoint` is set only to reach an emulator.
 */

interface AlicloudContainerGroupsOptions {
  /** Fixed credentials, or a source each invocation updates (cloud/credentials.ts). */
  credentials: CloudCredentials | CredentialsSource;
  /** `host[:port]`, set only to reach an emulator. */
  endpoint?: string | undefined;
  protocol?: 'http' | 'https';
  /** Per request (default 15 000). */
  timeoutMs?: number;
  /** A guard against a server that never stops paging (default 100 pages: 2 000 groups). */
  maxPages?: number;
}

const ACTION = 'DescribeContainerGroups';
const PAGE_SIZE = 20;

// The SDK is CommonJS with `exports.default = Client` (see shared/ack/cs-sdk.ts for the interop).
type EciClientClass = typeof eci.default.default;
type EciClient = InstanceType<EciClientClass>;
type SdkGroup = eci.DescribeContainerGroupsResponseBodyContainerGroups;

const resolveClientClass = (): EciClientClass => {
  const candidate: unknown = eci.default;
  return typeof candidate === 'function' ? (candidate as EciClientClass) : eci.default.default;
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null && key in value
    ? (value as Record<string, unknown>)[key]
    : undefined;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * openapi-client throws `{ code, message, data: { statusCode, RequestId, … } }` for an error
 * answer (its doRequest), and Node's own errors (with a `code` such as ECONNREFUSED) when nothing
 * answered; its read timeout is a `RequestTimeoutError`.
 */
const toEciError = (error: unknown): EciError => {
  const code = text(field(error, 'code'));
  const data = field(error, 'data');
  const status = field(data, 'statusCode') ?? field(error, 'statusCode');
  const statusCode = typeof status === 'number' ? status : undefined;
  const requestId = text(field(data, 'RequestId')) ?? text(field(data, 'requestId'));
  const name = error instanceof Error ? error.name : '';
  if (statusCode !== undefined) {
    const throttled = code?.startsWith('Throttling') === true;
    return new EciError(`ECI ${ACTION} answered ${statusCode} ${code ?? ''}`.trim(), {
      action: ACTION,
      retryable: statusCode >= 500 || throttled,
      statusCode,
      ...(code === undefined ? {} : { eciCode: code }),
      ...(requestId === undefined ? {} : { requestId }),
      cause: error,
    });
  }
  if ((code !== undefined && NETWORK_CODES.has(code)) || /timeout/i.test(name)) {
    return new EciError(`ECI ${ACTION} got no answer (${code ?? name})`, {
      action: ACTION,
      retryable: true,
      networkCode: code ?? name,
      cause: error,
    });
  }
  return new EciError(`ECI ${ACTION} failed (${code ?? (name || 'unknown error')})`, {
    action: ACTION,
    retryable: false,
    ...(code === undefined ? {} : { networkCode: code }),
    cause: error,
  });
};

/** ECI writes times as `2019-10-11T08:10:23Z`; anything unparsable is dropped, not guessed. */
const timeOf = (value: string | undefined): Date | null => {
  if (value === undefined || value === '') return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
};

const times = (values: (string | undefined)[]): Date[] =>
  values.map(timeOf).filter((time): time is Date => time !== null);

const toFacts = (group: SdkGroup): ContainerGroupFacts => {
  const states = (group.containers ?? []).flatMap((container) => [
    container.currentState,
    container.previousState,
  ]);
  return {
    containerGroupId: group.containerGroupId ?? '',
    status: group.status ?? '',
    vpcId: group.vpcId ?? null,
    vSwitchId: group.vSwitchId ?? null,
    tags: Object.fromEntries(
      (group.tags ?? [])
        .filter((tag) => tag.key !== undefined)
        .map((tag) => [tag.key ?? '', tag.value ?? '']),
    ),
    creationTime: timeOf(group.creationTime),
    succeededTime: timeOf(group.succeededTime),
    failedTime: timeOf(group.failedTime),
    containerStartTimes: times(states.map((state) => state?.startTime)),
    containerFinishTimes: times(states.map((state) => state?.finishTime)),
  };
};

const createAlicloudContainerGroups = (
  options: AlicloudContainerGroupsOptions,
): ContainerGroupLister => {
  const Client = resolveClientClass();
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxPages = options.maxPages ?? 100;
  const source = asCredentialsSource(options.credentials);
  // The SDK's client keeps the key pair and token it is built with, and the invocation's STS
  // credentials expire: a client is built for each listing, with the credentials of now.
  const clientNow = (): EciClient => {
    const credentials = source.current();
    return new Client({
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      ...(credentials.securityToken ? { securityToken: credentials.securityToken } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      protocol: options.protocol ?? 'https',
      readTimeout: timeoutMs,
      connectTimeout: Math.min(timeoutMs, 5_000),
    } as ConstructorParameters<EciClientClass>[0]);
  };

  const page = async (
    client: EciClient,
    input: ListContainerGroupsInput,
    nextToken: string | undefined,
  ) => {
    try {
      const response = await client.describeContainerGroups(
        new eci.DescribeContainerGroupsRequest({
          regionId: input.regionId,
          vSwitchId: input.vSwitchId,
          limit: PAGE_SIZE,
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
      );
      return response.body;
    } catch (error) {
      throw toEciError(error);
    }
  };

  return {
    list: async (input) => {
      const groups: ContainerGroupFacts[] = [];
      const client = clientNow();
      let nextToken: string | undefined;
      for (let pages = 0; pages < maxPages; pages += 1) {
        const body = await page(client, input, nextToken);
        if (body === undefined || !Array.isArray(body.containerGroups)) {
          // An answer without the list is not "no pods": the janitor must not read it as idle.
          throw new EciError(`ECI ${ACTION} answered without a ContainerGroups list`, {
            action: ACTION,
            retryable: false,
          });
        }
        groups.push(...body.containerGroups.map(toFacts));
        nextToken = text(body.nextToken);
        if (nextToken === undefined) return groups;
      }
      throw new EciError(`ECI ${ACTION} was still paging after ${maxPages} pages`, {
        action: ACTION,
        retryable: false,
      });
    },
  };
};

export type { AlicloudContainerGroupsOptions };
export { createAlicloudContainerGroups };
