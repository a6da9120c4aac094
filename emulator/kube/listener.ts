import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeStatusError, kubeErrors, statusBody } from './errors.js';
import type { FaultQueue } from './faults.js';
import { type HandlerContext, type KubeReply, route } from './handlers.js';
import type { StoredCluster } from './types.js';

/**
 * The request listener shared by every emulated API server: find the cluster from the
 * `/clusters/<id>` prefix, apply an injected fault, authenticate the bearer token, route, and
 * answer JSON (or a Kubernetes Status on failure). The order follows the API server's own filter
 * chain: a bad token is 401 before any path is looked at.
 */

interface ListenerDeps {
  context: HandlerContext;
  now: () => number;
  faults: FaultQueue;
  count: (operation: string) => void;
  /** An extra switch for "is this API server up" (e.g. the ACK cluster's state). */
  isApiServerUp: (clusterId: string) => boolean;
}

const MAX_BODY_BYTES = 1024 * 1024;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  if (size > MAX_BODY_BYTES) throw kubeErrors.tooLarge();
  return Buffer.concat(chunks);
};

const parseJson = (body: Buffer, contentType: string | undefined): unknown => {
  if (body.length === 0) return undefined;
  if (contentType !== undefined && !/json/i.test(contentType)) {
    throw kubeErrors.unsupportedMediaType(contentType);
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw kubeErrors.badRequest('the request body is not valid JSON');
  }
};

const splitPath = (pathname: string): string[] => {
  try {
    return pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map(decodeURIComponent);
  } catch {
    throw kubeErrors.badRequest('the request path is not valid');
  }
};

/** Missing header: anonymous. A token that is unknown, expired or another cluster's: 401. */
const authenticate = (deps: ListenerDeps, cluster: StoredCluster, header: string | undefined) => {
  if (header === undefined) return { anonymous: true };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const token =
    match?.[1] === undefined ? undefined : deps.context.store.findToken(sha256(match[1]));
  if (token === undefined || token.clusterId !== cluster.clusterId) {
    throw kubeErrors.unauthorized();
  }
  if (deps.now() >= token.expiresAt) throw kubeErrors.unauthorized();
  return { anonymous: false };
};

const serve = async (deps: ListenerDeps, request: IncomingMessage): Promise<KubeReply> => {
  const url = new URL(request.url ?? '/', 'https://emulator.invalid');
  const [prefix, clusterId, ...segments] = splitPath(url.pathname);
  if (prefix !== 'clusters' || clusterId === undefined) throw kubeErrors.noRoute();
  const cluster = deps.context.store.liveCluster(clusterId);
  if (cluster === undefined || !deps.isApiServerUp(clusterId)) throw kubeErrors.gone(clusterId);
  const fault = deps.faults.take(clusterId);
  if (fault?.delayMs !== undefined) await sleep(fault.delayMs);
  if (fault?.status !== undefined) throw kubeErrors.injected(fault.status);
  const body = await readBody(request);
  const { anonymous } = authenticate(deps, cluster, request.headers.authorization);
  return route(deps.context, {
    method: request.method ?? 'GET',
    segments,
    query: url.searchParams,
    body: parseJson(body, request.headers['content-type']),
    cluster,
    anonymous,
  });
};

const writeReply = (
  response: ServerResponse,
  reply: KubeReply,
  headers: Record<string, string>,
) => {
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  response.statusCode = reply.status;
  response.setHeader('audit-id', randomUUID());
  response.setHeader('cache-control', 'no-cache, private');
  response.setHeader(
    'content-type',
    typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
  );
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.setHeader('content-length', Buffer.byteLength(text));
  response.end(text);
};

const createKubeListener =
  (deps: ListenerDeps) =>
  async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    let reply: KubeReply;
    let headers: Record<string, string> = {};
    try {
      reply = await serve(deps, request);
    } catch (error) {
      let failure: KubeStatusError;
      if (error instanceof KubeStatusError) {
        failure = error;
      } else {
        process.stderr.write(`kube-emulator: internal error: ${String(error)}\n`);
        failure = kubeErrors.internal();
      }
      reply = {
        status: failure.code,
        body: statusBody(failure),
        operation: `error:${failure.reason}`,
      };
      headers = failure.headers;
    }
    deps.count(reply.operation);
    if (response.destroyed) return;
    writeReply(response, reply, headers);
  };

export type { ListenerDeps };
export { createKubeListener, sha256 };
