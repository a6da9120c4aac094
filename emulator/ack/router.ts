import type { IncomingMessage, ServerResponse } from 'node:http';
import { AckEmulatorError, apiNotFound, errorBody, invalidParameter } from './errors.js';
import type { FaultQueue } from './faults.js';
import { createCluster } from './handlers/create-cluster.js';
import { deleteCluster } from './handlers/delete-cluster.js';
import { describeClusterDetail } from './handlers/describe-cluster-detail.js';
import { describeClustersV1 } from './handlers/describe-clusters-v1.js';
import { describeKubernetesVersionMetadata } from './handlers/describe-kubernetes-version-metadata.js';
import { describeTaskInfo } from './handlers/describe-task-info.js';
import type { AckHandler, AckReply, HandlerContext } from './handlers/handler.js';
import { newRequestId } from './ids.js';
import { parseQuery, splitUrl } from './signature.js';

/**
 * Routing, like the gateway in front of ACK: ROA style, so the method and path pick the action
 * (the `x-acs-action` header is only signed, not used for routing). Every request is counted per
 * action, then authenticated, then faults apply, then the handler runs.
 */

interface Route {
  method: string;
  pattern: RegExp;
  action: string;
  params: string[];
  handler: AckHandler;
}

const ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /^\/clusters$/,
    action: 'CreateCluster',
    params: [],
    handler: createCluster,
  },
  {
    method: 'GET',
    pattern: /^\/clusters\/([^/]+)$/,
    action: 'DescribeClusterDetail',
    params: ['ClusterId'],
    handler: describeClusterDetail,
  },
  {
    method: 'DELETE',
    pattern: /^\/clusters\/([^/]+)$/,
    action: 'DeleteCluster',
    params: ['ClusterId'],
    handler: deleteCluster,
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/clusters$/,
    action: 'DescribeClustersV1',
    params: [],
    handler: describeClustersV1,
  },
  {
    method: 'GET',
    pattern: /^\/tasks\/([^/]+)$/,
    action: 'DescribeTaskInfo',
    params: ['task_id'],
    handler: describeTaskInfo,
  },
  {
    method: 'GET',
    pattern: /^\/api\/v1\/metadata\/versions$/,
    action: 'DescribeKubernetesVersionMetadata',
    params: [],
    handler: describeKubernetesVersionMetadata,
  },
];

const MAX_BODY_BYTES = 1024 * 1024;

interface RouterDeps {
  context: HandlerContext;
  verify: (request: {
    method: string;
    rawUrl: string;
    headers: IncomingMessage['headers'];
    body: Buffer;
  }) => void;
  faults: FaultQueue;
  stats: Map<string, number>;
  isClosed: () => boolean;
}

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw invalidParameter('The request body is too large.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
};

const send = (res: ServerResponse, reply: AckReply, requestId: string, headers = {}): void => {
  const payload = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'x-acs-request-id': requestId,
    ...headers,
  });
  res.end(payload);
};

const decodeParam = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    throw invalidParameter(`Malformed path segment ${value}.`);
  }
};

const parseJsonBody = (body: Buffer): unknown => {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidParameter('The request body is not valid JSON.');
  }
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Ends the connection without an answer, as a crashed or unreachable gateway would. */
const drop = (req: IncomingMessage): void => {
  req.socket.destroy();
};

const createRouter = (deps: RouterDeps) => {
  const dispatch = async (
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
  ): Promise<void> => {
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const { path, rawQuery } = splitUrl(rawUrl);
    const route = ROUTES.find(
      (candidate) => candidate.method === method && candidate.pattern.test(path),
    );
    const action = route?.action ?? 'Unknown';
    deps.stats.set(action, (deps.stats.get(action) ?? 0) + 1);
    const body = await readBody(req);
    deps.verify({ method, rawUrl, headers: req.headers, body });
    if (route === undefined) throw apiNotFound(method, path);
    const fault = deps.faults.take(action);
    if (fault?.kind === 'reset-before') return drop(req);
    if (fault?.kind === 'error') {
      const retryAfter: Record<string, string> =
        fault.retryAfterMs === undefined ? {} : { 'x-acs-retry-after': String(fault.retryAfterMs) };
      throw new AckEmulatorError(
        fault.status ?? 503,
        fault.code ?? 'ServiceUnavailable',
        fault.message ?? 'Injected fault.',
        retryAfter,
      );
    }
    if (fault?.kind === 'delay') await sleep(fault.delayMs ?? 0);
    if (deps.isClosed()) return drop(req);
    const match = route.pattern.exec(path);
    const params = Object.fromEntries(
      route.params.map((name, index) => [name, decodeParam(match?.[index + 1] ?? '')]),
    );
    const reply = route.handler(
      { method, path, params, query: parseQuery(rawQuery), body: parseJsonBody(body), requestId },
      deps.context,
    );
    if (fault?.kind === 'reset-after') return drop(req);
    send(res, reply, requestId);
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = newRequestId();
    try {
      await dispatch(req, res, requestId);
    } catch (error) {
      if (!(error instanceof AckEmulatorError)) {
        process.stderr.write(`ack emulator: unexpected error: ${String(error)}\n`);
      }
      const known =
        error instanceof AckEmulatorError
          ? error
          : new AckEmulatorError(
              500,
              'InternalError',
              'The request processing has failed due to some unknown error.',
            );
      if (!res.headersSent && !res.destroyed) {
        send(
          res,
          { status: known.status, body: errorBody(known, requestId) },
          requestId,
          known.headers,
        );
      }
    }
  };
};

export type { RouterDeps };
export { createRouter, ROUTES };
