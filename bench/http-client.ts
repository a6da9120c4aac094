import http from 'node:http';

/**
 * One keep-alive connection's worth of plain `node:http` requests, for the benches that time
 * one request at a time in the stack's own process: `fetch` (undici) spends about a millisecond
 * of this process's event loop on a request body before the server sees it (traced in
 * docs/performance.md), which the stack's own figures would then carry.
 */
interface Answer {
  status: number;
  body: Buffer;
}

const createHttpClient = (baseUrl: string, headers: Record<string, string>) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const send = (method: string, path: string, json?: unknown): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
      const request = http.request(
        new URL(path, baseUrl),
        {
          method,
          agent,
          headers: {
            ...headers,
            ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  return { send, close: () => agent.destroy() };
};

export { createHttpClient };
