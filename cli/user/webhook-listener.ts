import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import * as z from 'zod';

/**
 * A local Standard Webhooks receiver for `askp webhooks listen`: it verifies each POST's
 * signature with the tenant's `whsec_…` secret (the public `standardwebhooks` library, which also
 * refuses a timestamp more than five minutes off) and hands the verified event on. A bad
 * signature is answered 401 and reported, never passed on; a repeated `webhook-id` (a retry or a
 * redelivery) is passed on marked as a repeat, so the receiver shows what a real one must dedupe.
 */
const MAX_BODY_BYTES = 1_048_576;

const eventSchema = z.looseObject({
  type: z.string(),
  timestamp: z.string(),
  data: z.looseObject({}),
});

type WebhookEvent = z.output<typeof eventSchema>;

interface ListenerCallbacks {
  onEvent: (event: WebhookEvent, meta: { id: string; repeat: boolean }) => void;
  onRejected: (reason: string) => void;
}

interface WebhookListener {
  url: string;
  close(): Promise<void>;
}

const readBody = (request: IncomingMessage): Promise<string | null> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')),
    );
    request.on('error', reject);
  });

const header = (request: IncomingMessage, name: string): string =>
  String(request.headers[name] ?? '');

const startWebhookListener = async (options: {
  host: string;
  port: number;
  secret: string;
  callbacks: ListenerCallbacks;
}): Promise<WebhookListener> => {
  const verifier = new Webhook(options.secret);
  const seen = new Set<string>();
  const server: Server = createServer((request, response) => {
    if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    readBody(request).then(
      (body) => {
        if (body === null) {
          options.callbacks.onRejected('a body over 1 MiB');
          response.writeHead(413).end();
          return;
        }
        const id = header(request, 'webhook-id');
        let verified: unknown;
        try {
          verified = verifier.verify(body, {
            'webhook-id': id,
            'webhook-timestamp': header(request, 'webhook-timestamp'),
            'webhook-signature': header(request, 'webhook-signature'),
          });
        } catch (error) {
          options.callbacks.onRejected(
            `${id || 'a request'}: ${error instanceof Error ? error.message : 'not verified'}`,
          );
          response.writeHead(401).end();
          return;
        }
        const event = eventSchema.safeParse(verified);
        if (!event.success) {
          options.callbacks.onRejected(`${id}: signed, but not an event ({type, timestamp, data})`);
          response.writeHead(400).end();
          return;
        }
        const repeat = seen.has(id);
        seen.add(id);
        response.writeHead(204).end();
        options.callbacks.onEvent(event.data, { id, repeat });
      },
      () => response.writeHead(400).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export type { WebhookEvent, WebhookListener };
export { startWebhookListener };
