import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';

/**
 * Plays Function Compute's HTTP trigger: each request becomes the FC 3.0 HTTP event (JSON in a
 * Buffer), and the handler's `{statusCode, headers, body, isBase64Encoded}` becomes the response.
 */
const responseSchema = z.object({
  statusCode: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

// FC's own cap on a synchronous HTTP request body.
const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

const readBody = (req: http.IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

const isText = (contentType: string | undefined): boolean =>
  !contentType ||
  /^(text\/|application\/([\w.+-]*json|xml|x-www-form-urlencoded))/i.test(contentType);

/** FC hands over the path decoded; a malformed escape stays as sent rather than failing here. */
const decodedPath = (raw: string): string => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

const toFcEvent = (req: http.IncomingMessage, body: Buffer, requestId: string): Buffer => {
  const url = new URL(req.url ?? '/', 'http://local');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const queryParameters: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys()))
    queryParameters[key] = url.searchParams.getAll(key).join(',');
  const text = isText(req.headers['content-type']);
  const now = new Date();
  return Buffer.from(
    JSON.stringify({
      version: 'v1',
      rawPath: url.pathname,
      headers,
      queryParameters,
      body: text ? body.toString('utf8') : body.toString('base64'),
      isBase64Encoded: !text,
      requestContext: {
        accountId: 'local',
        domainName: req.headers.host ?? 'localhost',
        domainPrefix: 'local',
        requestId,
        time: now.toISOString(),
        timeEpoch: String(now.getTime()),
        http: {
          method: req.method ?? 'GET',
          path: decodedPath(url.pathname),
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: req.headers['user-agent'] ?? '',
        },
      },
    }),
  );
};

interface HttpTriggerServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const startHttpTrigger = async (options: {
  host: string;
  port: number;
  invoke: (event: Buffer, requestId: string) => Promise<unknown>;
  onError: (error: unknown) => void;
}): Promise<HttpTriggerServer> => {
  const server = http.createServer((req, res) => {
    const requestId = `local-${randomUUID()}`;
    readBody(req)
      .then((body) => options.invoke(toFcEvent(req, body, requestId), requestId))
      .then((result) => {
        const parsed = responseSchema.safeParse(result);
        if (!parsed.success)
          throw new Error('the function returned something that is not an HTTP response');
        const { statusCode, headers, body, isBase64Encoded } = parsed.data;
        res.writeHead(statusCode, { ...headers, 'x-fc-request-id': requestId });
        res.end(
          body === undefined ? undefined : Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8'),
        );
      })
      .catch((error: unknown) => {
        // What FC does when a handler throws: a 502 with the error kept out of the body.
        options.onError(error);
        if (!res.headersSent)
          res.writeHead(502, { 'content-type': 'application/json', 'x-fc-request-id': requestId });
        res.end(JSON.stringify({ errorMessage: 'the function failed', requestId }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export type { HttpTriggerServer };
export { startHttpTrigger };
