import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP receiver on loopback that records every webhook exactly as it arrived. */
interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  /** What `verify` said at the moment of arrival (signatures carry a time: check them then). */
  verifiedAs: string | null;
  /** The status the receiver answered this attempt with. */
  status: number;
}

interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Status to answer with; 204 by default. */
  status: number;
  close(): Promise<void>;
}

const startWebhookReceiver = async (
  options: {
    verify?: (hook: { headers: Record<string, string>; body: string }) => string | null;
  } = {},
): Promise<WebhookReceiver> => {
  const received: ReceivedWebhook[] = [];
  const receiver = { received, status: 204 } as { received: ReceivedWebhook[]; status: number };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers[name] = value;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({
        headers,
        body,
        verifiedAs: options.verify ? options.verify({ headers, body }) : null,
        status: receiver.status,
      });
      res.writeHead(receiver.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hooks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
};

export type { ReceivedWebhook, WebhookReceiver };
export { startWebhookReceiver };
