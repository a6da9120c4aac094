import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type EmulatorCredentials, MNS_VERSION, verifyRequest } from './auth.js';
import { isMnsError, type MnsError, mnsErrors, renderErrorXml } from './errors.js';
import type { HandlerDeps, MnsReply } from './handlers/context.js';
import { route } from './router.js';

interface ServerDeps extends HandlerDeps {
  credentials: EmulatorCredentials;
  count: (key: string) => void;
  /** True once close() started: replies then ask the client to drop the connection. */
  isClosing: () => boolean;
}

/** Far above MNS's own 64 KiB batch limit; only there to stop a runaway client. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the whole body; bytes past the cap are drained and dropped, then refused. */
const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  if (size > MAX_BODY_BYTES) throw mnsErrors.invalidArgument('The request body is too large.');
  return Buffer.concat(chunks);
};

/** MNS bodies are UTF-8; invalid bytes make the document malformed rather than silently U+FFFD. */
const decodeUtf8 = (body: Buffer): string => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw mnsErrors.malformedXml('the body is not valid UTF-8');
  }
};

const writeReply = (
  response: ServerResponse,
  reply: MnsReply,
  requestId: string,
  closing: boolean,
): Promise<void> => {
  const body = reply.body ?? '';
  response.statusCode = reply.status;
  response.setHeader('x-mns-request-id', requestId);
  response.setHeader('x-mns-version', MNS_VERSION);
  for (const [name, value] of Object.entries(reply.headers ?? {})) response.setHeader(name, value);
  if (body !== '') response.setHeader('content-type', 'text/xml;charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(body));
  if (closing) response.setHeader('connection', 'close');
  return new Promise((resolve) => {
    response.end(body, () => resolve());
  });
};

/**
 * The request listener: read, authenticate, route, reply. Every failure becomes the MNS error
 * document; an unexpected exception is logged and answered as InternalError, never as a stack.
 */
const createRequestListener =
  (deps: ServerDeps) =>
  async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestId = randomBytes(12).toString('hex').toUpperCase();
    const host = request.headers.host ?? 'localhost';
    const hangUp = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) hangUp.abort();
    });
    let reply: MnsReply;
    try {
      const body = await readBody(request);
      const method = request.method ?? 'GET';
      const target = request.url ?? '/';
      verifyRequest(
        { method, url: target, headers: request.headers, body },
        deps.credentials,
        Date.now(),
      );
      const matched = route(method, target);
      reply = await matched.handler(deps, {
        queue: matched.queue,
        query: matched.query,
        body: decodeUtf8(body),
        host,
        signal: hangUp.signal,
      });
      deps.count(reply.operation ?? matched.operation);
    } catch (error) {
      let mnsError: MnsError;
      if (isMnsError(error)) {
        mnsError = error;
      } else {
        process.stderr.write(`mns-emulator: internal error: ${String(error)}\n`);
        mnsError = mnsErrors.internal();
      }
      deps.count(`error:${mnsError.code}`);
      reply = {
        status: mnsError.status,
        body: renderErrorXml(mnsError, requestId, `http://${host}`),
      };
    }
    if (response.destroyed) return;
    await writeReply(response, reply, requestId, deps.isClosing());
  };

export type { ServerDeps };
export { createRequestListener };
