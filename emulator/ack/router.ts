import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AckActionName } from './actions.js';
import { settleChangeTasks } from './change-tasks.js';
import { handleControl } from './control.js';
import { ackErrors, errorBody, isAckEmulatorError } from './errors.js';
import type { FaultSet } from './faults.js';
import type { AckReply, HandlerContext } from './handlers/handler.js';
import { newRequestId } from './ids.js';
import { ROUTES, type Route, RPC_ROUTES, type RpcRoute } from './routes.js';
import { parseQuery, splitUrl } from './signature.js';

/**
 * The request pipeline, like the gateway in front of ACK: `/_emulator/*` goes to the control
 * endpoint (control.ts); every other request is counted per action, authenticated, then faults
 * apply (faults.ts), then the handler of its route (routes.ts) runs.
 */

const MAX_BODY_BYTES = 1024 * 1024;

interface RouterDeps {
  context: HandlerContext;
  verify: (request: {
    method: string;
    rawUrl: string;
    headers: IncomingMessage['headers'];
    body: Buffer;
  }) => void;
  faults: FaultSet;
  stats: Map<string, number>;
  isClosed: () => boolean;
  /** Waits out a `delay` fault (real time unless injected). */
  sleep: (ms: number) => Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw ackErrors.invalidParameter('The request body is too large.');
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
    throw ackErrors.invalidParameter(`Malformed path segment ${value}.`);
  }
};

const parseJsonBody = (body: Buffer): unknown => {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw ackErrors.invalidParameter('The request body is not valid JSON.');
  }
};

const headerOf = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** ROA by method and path; RPC (`POST /`) by the signed action and version headers. */
const findRoute = (
  req: IncomingMessage,
  method: string,
  path: string,
): { kind: 'roa'; route: Route } | { kind: 'rpc'; route: RpcRoute } | undefined => {
  if (method === 'POST' && path === '/') {
    const action = headerOf(req, 'x-acs-action');
    const version = headerOf(req, 'x-acs-version');
    const rpc = RPC_ROUTES.find(
      (candidate) => candidate.action === action && candidate.version === version,
    );
    return rpc === undefined ? undefined : { kind: 'rpc', route: rpc };
  }
  const roa = ROUTES.find(
    (candidate) => candidate.method === method && candidate.pattern.test(path),
  );
  return roa === undefined ? undefined : { kind: 'roa', route: roa };
};

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
    const found = findRoute(req, method, path);
    const action: AckActionName | 'Unknown' = found?.route.action ?? 'Unknown';
    deps.stats.set(action, (deps.stats.get(action) ?? 0) + 1);
    const body = await readBody(req);
    deps.verify({ method, rawUrl, headers: req.headers, body });
    if (found === undefined) throw ackErrors.apiNotFound(method, path);
    const effect = deps.faults.takeRequestEffect(action);
    if (effect?.kind === 'reset-before') return drop(req);
    if (effect?.kind === 'answer') {
      const retryAfter: Record<string, string> =
        effect.retryAfterMs === undefined
          ? {}
          : { 'x-acs-retry-after': String(effect.retryAfterMs) };
      throw ackErrors.injected(effect.status, effect.code, effect.message, retryAfter);
    }
    if (effect?.kind === 'delay') await deps.sleep(effect.delayMs);
    if (deps.isClosed()) return drop(req);
    // A change task that ended since the last request shows its effect from this one on.
    settleChangeTasks(deps.context.store, deps.context.now());
    const match = found.kind === 'roa' ? found.route.pattern.exec(path) : null;
    const params =
      found.kind === 'roa'
        ? Object.fromEntries(
            found.route.params.map((name, index) => [name, decodeParam(match?.[index + 1] ?? '')]),
          )
        : {};
    const reply = await found.route.handler(
      {
        method,
        path,
        params,
        query: parseQuery(rawQuery),
        // An RPC call's parameters are all in the query (the VPC SDK sends no body).
        body: found.kind === 'roa' ? parseJsonBody(body) : undefined,
        requestId,
      },
      deps.context,
    );
    // The operation happened; the caller never hears of it (the ambiguous case).
    if (effect?.kind === 'reset-after') return drop(req);
    send(res, reply, requestId);
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = newRequestId();
    try {
      if (await handleControl(req, res, deps.faults)) return;
      await dispatch(req, res, requestId);
    } catch (error) {
      if (!isAckEmulatorError(error)) {
        process.stderr.write(`ack emulator: unexpected error: ${String(error)}\n`);
      }
      const known = isAckEmulatorError(error) ? error : ackErrors.internal();
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
export { createRouter };
