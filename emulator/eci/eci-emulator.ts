import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSignatureVerifier, parseQuery, splitUrl } from '../ack/signature.js';

/**
 * Elastic Container Instance's DescribeContainerGroups (API 2018-08-08), as `@alicloud/eci20180808`
 * calls it: an RPC action sent as `POST /?RegionId=…&VSwitchId=…&Limit=…` with the action and
 * version in `x-acs-action`/`x-acs-version`, signed ACS3-HMAC-SHA256 (the SDK's openapi-client
 * `doRequest`; the signature is checked by the ACK emulator's verifier), answered with PascalCase
 * JSON (the SDK model's `names()`). Only this action is emulated; anything else is refused.
 *
 * The container groups are not kept here: `containerGroups()` is asked on every request, and the
 * local stack and the tests derive them from the Kubernetes emulator's pods in the ACK emulator's
 * clusters (container-groups-from-pods.ts), so the janitor's two ways of reading a cluster — its
 * Kubernetes API and ECI — see the same pods. docs/emulator.md lists what is verified.
 *
 * Stricter than ECI: `RegionId` is required, `Limit` must be 1–20, a `NextToken` must be one this
 * emulator issued for the same filters, and an unknown action or version is refused.
 */

interface EmulatedContainerGroup {
  containerGroupId: string;
  containerGroupName: string;
  regionId: string;
  zoneId: string;
  vpcId: string;
  vSwitchId: string;
  /** ECI's status: Pending, Running, Succeeded, Failed, … */
  status: string;
  tags: Readonly<Record<string, string>>;
  image: string;
  /** Epoch milliseconds. */
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

interface EciFault {
  /** The HTTP status answered (default 503). */
  status?: number;
  /** ECI's `Code` (default ServiceUnavailable). */
  code?: string;
  /** How many requests fail (default 1). */
  count?: number;
}

interface EciEmulatorOptions {
  host?: string;
  port?: number;
  accessKeyId: string;
  accessKeySecret: string;
  /** Every container group of the account, asked on every request. */
  containerGroups: () => readonly EmulatedContainerGroup[];
}

interface EciEmulator {
  url: string;
  /** `host:port`, what the SDK's `endpoint` takes. */
  endpoint: string;
  /** Requests per action, e.g. `{ DescribeContainerGroups: 2 }`. */
  stats(): Record<string, number>;
  /** The next `count` requests (after authentication) answer this error. */
  injectFault(fault: EciFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

interface EciReply {
  status: number;
  body: Record<string, unknown>;
}

const ACTION = 'DescribeContainerGroups';
const VERSION = '2018-08-08';
const MAX_LIMIT = 20;
const MAX_BODY_BYTES = 64 * 1024;

class EciRefusal extends Error {
  public constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EciRefusal';
  }
}

const failure = (status: number, code: string, message: string): EciReply => ({
  status,
  body: { RequestId: randomUUID(), HostId: 'eci.aliyuncs.com', Code: code, Message: message },
});

/** ECI writes times as `2019-10-11T08:10:23Z`: whole seconds, UTC. */
const wireTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const render = (group: EmulatedContainerGroup): Record<string, unknown> => {
  const finished = group.finishedAt !== null;
  const state = group.status === 'Running' ? 'Running' : finished ? 'Terminated' : 'Waiting';
  return {
    ContainerGroupId: group.containerGroupId,
    ContainerGroupName: group.containerGroupName,
    RegionId: group.regionId,
    ZoneId: group.zoneId,
    VpcId: group.vpcId,
    VSwitchId: group.vSwitchId,
    Status: group.status,
    CreationTime: wireTime(group.createdAt),
    ...(group.status === 'Succeeded' && finished
      ? { SucceededTime: wireTime(group.finishedAt ?? 0) }
      : {}),
    ...(group.status === 'Failed' && finished
      ? { FailedTime: wireTime(group.finishedAt ?? 0) }
      : {}),
    Tags: Object.entries(group.tags).map(([Key, Value]) => ({ Key, Value })),
    Containers: [
      {
        Name: 'main',
        Image: group.image,
        Ready: group.status === 'Running',
        RestartCount: 0,
        CurrentState: {
          State: state,
          ...(group.startedAt === null ? {} : { StartTime: wireTime(group.startedAt) }),
          ...(group.finishedAt === null ? {} : { FinishTime: wireTime(group.finishedAt) }),
        },
      },
    ],
    Events: [],
  };
};

/** `Tag.1.Key=a&Tag.1.Value=b` → [{ key: 'a', value: 'b' }]. */
const tagFilters = (
  query: Record<string, string>,
): { key: string; value: string | undefined }[] => {
  const tags: { key: string; value: string | undefined }[] = [];
  for (let n = 1; n <= 20; n += 1) {
    const key = query[`Tag.${n}.Key`];
    if (key === undefined) continue;
    tags.push({ key, value: query[`Tag.${n}.Value`] });
  }
  return tags;
};

/** The filters a NextToken is bound to, so a token cannot be replayed against other filters. */
const filterKey = (query: Record<string, string>): string =>
  JSON.stringify(
    Object.entries(query)
      .filter(([name]) => name !== 'NextToken' && name !== 'Limit')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );

const parseLimit = (text: string | undefined): number => {
  if (text === undefined) return MAX_LIMIT;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_LIMIT) {
    throw new EciRefusal(400, 'InvalidParameter.Limit', `Limit must be 1-${MAX_LIMIT}.`);
  }
  return Number(text);
};

const parseIds = (text: string | undefined): Set<string> | undefined => {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new EciRefusal(400, 'InvalidParameter', 'ContainerGroupIds must be a JSON array.');
  }
  if (!Array.isArray(parsed) || !parsed.every((id) => typeof id === 'string')) {
    throw new EciRefusal(400, 'InvalidParameter', 'ContainerGroupIds must be a JSON array.');
  }
  return new Set(parsed);
};

const describeContainerGroups = (
  query: Record<string, string>,
  all: readonly EmulatedContainerGroup[],
  tokens: Map<string, { filters: string; offset: number }>,
): EciReply => {
  const regionId = query.RegionId;
  if (regionId === undefined || regionId === '') {
    throw new EciRefusal(400, 'MissingParameter.RegionId', 'RegionId is mandatory.');
  }
  const limit = parseLimit(query.Limit);
  const ids = parseIds(query.ContainerGroupIds);
  const tags = tagFilters(query);
  const filters = filterKey(query);
  let offset = 0;
  if (query.NextToken !== undefined && query.NextToken !== '') {
    const token = tokens.get(query.NextToken);
    if (token === undefined || token.filters !== filters) {
      throw new EciRefusal(400, 'InvalidParameter.NextToken', 'The NextToken is invalid.');
    }
    offset = token.offset;
  }
  const matching = all
    .filter(
      (group) =>
        group.regionId === regionId &&
        (query.VSwitchId === undefined || group.vSwitchId === query.VSwitchId) &&
        (query.ZoneId === undefined || group.zoneId === query.ZoneId) &&
        (query.Status === undefined || group.status === query.Status) &&
        (query.ContainerGroupName === undefined ||
          group.containerGroupName === query.ContainerGroupName) &&
        (ids === undefined || ids.has(group.containerGroupId)) &&
        tags.every(
          (tag) =>
            group.tags[tag.key] !== undefined &&
            (tag.value === undefined || group.tags[tag.key] === tag.value),
        ),
    )
    // Newest first, id breaking ties: a stable order is what NextToken paging relies on.
    .sort(
      (a, b) => b.createdAt - a.createdAt || (a.containerGroupId < b.containerGroupId ? -1 : 1),
    );
  const page = matching.slice(offset, offset + limit);
  let nextToken = '';
  if (offset + limit < matching.length) {
    nextToken = randomUUID();
    tokens.set(nextToken, { filters, offset: offset + limit });
  }
  return {
    status: 200,
    body: {
      RequestId: randomUUID(),
      NextToken: nextToken,
      TotalCount: matching.length,
      ContainerGroups: page.map(render),
    },
  };
};

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new EciRefusal(400, 'InvalidParameter', 'Body too large.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
};

/** The ACK verifier's refusals carry `status` and `code` like ours. */
const asReply = (error: unknown): EciReply => {
  if (
    error instanceof Error &&
    'status' in error &&
    typeof error.status === 'number' &&
    'code' in error &&
    typeof error.code === 'string'
  ) {
    return failure(error.status, error.code, error.message);
  }
  return failure(
    500,
    'InternalError',
    'The request processing has failed due to some unknown error.',
  );
};

const startEciEmulator = async (options: EciEmulatorOptions): Promise<EciEmulator> => {
  const verifier = createSignatureVerifier({
    accessKeyId: options.accessKeyId,
    accessKeySecret: options.accessKeySecret,
  });
  const stats = new Map<string, number>();
  const faults: Required<EciFault>[] = [];
  const tokens = new Map<string, { filters: string; offset: number }>();

  const handle = async (req: IncomingMessage): Promise<EciReply> => {
    const rawUrl = req.url ?? '/';
    const body = await readBody(req);
    const action = String(req.headers['x-acs-action'] ?? '');
    stats.set(action || 'Unknown', (stats.get(action || 'Unknown') ?? 0) + 1);
    verifier.verify({ method: req.method ?? 'GET', rawUrl, headers: req.headers, body });
    if (action !== ACTION || req.headers['x-acs-version'] !== VERSION) {
      throw new EciRefusal(
        404,
        'InvalidAction.NotFound',
        `Specified api is not found, please check your url and method: ${action} ${String(req.headers['x-acs-version'] ?? '')}`,
      );
    }
    if (req.method !== 'POST' && req.method !== 'GET') {
      throw new EciRefusal(400, 'UnsupportedHTTPMethod', 'This http method is not supported.');
    }
    const fault = faults[0];
    if (fault !== undefined) {
      fault.count -= 1;
      if (fault.count <= 0) faults.shift();
      return failure(
        fault.status,
        fault.code,
        'The request has failed due to a temporary failure of the server.',
      );
    }
    return describeContainerGroups(
      parseQuery(splitUrl(rawUrl).rawQuery),
      options.containerGroups(),
      tokens,
    );
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    handle(req)
      .catch(asReply)
      .then((reply) => {
        const payload = JSON.stringify(reply.body);
        res.writeHead(reply.status, {
          'content-type': 'application/json;charset=utf-8',
          'content-length': Buffer.byteLength(payload),
        });
        res.end(payload);
      });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  let closed = false;
  return {
    url: `http://${reachable}:${port}`,
    endpoint: `${reachable}:${port}`,
    stats: () => Object.fromEntries(stats),
    injectFault: (fault) => {
      faults.push({
        status: fault.status ?? 503,
        code: fault.code ?? 'ServiceUnavailable',
        count: fault.count ?? 1,
      });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // The SDK keeps connections alive; without this close() would wait for them to idle out.
        server.closeAllConnections();
      });
    },
  };
};

export type { EciEmulator, EciEmulatorOptions, EciFault, EmulatedContainerGroup };
export { startEciEmulator };
