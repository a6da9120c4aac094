import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import type { Command, CommandContext, CommandGroup } from '../command.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { callApi } from '../user/api.js';
import { CONNECTION_OPTIONS, type Connection, resolveConnection } from '../user/connection.js';
import { str } from '../user/output.js';
import { startWebhookListener, type WebhookEvent } from '../user/webhook-listener.js';

/**
 * `askp webhooks listen`: a local receiver that verifies Standard Webhooks signatures and prints
 * each event, to see what the service sends and to try a receiver's handling. With `--register`
 * it also adds itself as a webhook endpoint of the tenant for as long as it runs (the service
 * must allow the address: the local stack allows loopback over http).
 */
const readSecret = (context: CommandContext): string => {
  const given = str(context, 'secret') ?? (context.env.ASKP_WEBHOOK_SECRET || undefined);
  if (given) return given;
  try {
    // What `npm start` writes, so that right after it the receiver needs no set-up.
    const local = readFileSync(join('.data', 'webhook-secret'), 'utf8').trim();
    if (local !== '') return local;
  } catch {
    // No local stack here: the error below says what to pass.
  }
  throw new CliError(
    EXIT_CODES.config,
    "no webhook secret: pass --secret whsec_…, set ASKP_WEBHOOK_SECRET, or run from the local stack's directory (.data/webhook-secret)",
  );
};

const eventLine = (event: WebhookEvent, meta: { id: string; repeat: boolean }): string => {
  const data = event.data as Record<string, unknown>;
  const cluster = typeof data.id === 'string' ? data.id : '-';
  const state = typeof data.state === 'string' ? data.state : '';
  return `${event.timestamp}  ${event.type.padEnd(24)} ${cluster} ${state}${meta.repeat ? ' (repeat)' : ''}  ${meta.id}\n`;
};

const endpointSchema = z.looseObject({ id: z.string() });

const register = async (connection: Connection, url: string): Promise<string> =>
  endpointSchema.parse(
    await callApi(connection, 'POST', '/v1/webhooks/endpoints', {
      url,
      description: 'askp webhooks listen',
    }),
  ).id;

const listen: Command = {
  kind: 'command',
  name: 'listen',
  summary: 'receive webhooks locally: verify each signature and print the event',
  options: {
    ...CONNECTION_OPTIONS,
    port: {
      type: 'string',
      value: '<port>',
      description: 'the port to listen on (0: any free one)',
    },
    host: { type: 'string', value: '<address>', description: 'default 127.0.0.1' },
    secret: {
      type: 'string',
      value: '<whsec_…>',
      description: "the tenant's webhook secret (default .data/webhook-secret)",
      env: 'ASKP_WEBHOOK_SECRET',
    },
    register: {
      type: 'boolean',
      description: 'add this receiver as a webhook endpoint while it runs (clusters:write)',
    },
    count: { type: 'string', value: '<n>', description: 'exit after n verified events' },
    output: {
      type: 'string',
      short: 'o',
      value: 'text|json',
      description: 'a line per event (default) or the event as one JSON line',
    },
  },
  run: async (context) => {
    const portText = str(context, 'port');
    if (portText === undefined || !/^\d{1,5}$/.test(portText) || Number(portText) > 65_535)
      throw new CliError(EXIT_CODES.usage, '--port is a port number (0 for any free one)');
    const countText = str(context, 'count');
    if (countText !== undefined && !/^[1-9]\d*$/.test(countText))
      throw new CliError(EXIT_CODES.usage, '--count is a positive number of events');
    const format = str(context, 'output') ?? 'text';
    if (format !== 'text' && format !== 'json')
      throw new CliError(EXIT_CODES.usage, `-o ${format}: use text or json`);
    const secret = readSecret(context);
    const limit = countText === undefined ? Number.POSITIVE_INFINITY : Number(countText);

    let received = 0;
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let listener: Awaited<ReturnType<typeof startWebhookListener>>;
    try {
      listener = await startWebhookListener({
        host: str(context, 'host') ?? '127.0.0.1',
        port: Number(portText),
        secret,
        callbacks: {
          onEvent: (event, meta) => {
            context.stdout(
              format === 'json'
                ? `${JSON.stringify({ webhookId: meta.id, repeat: meta.repeat, ...event })}\n`
                : eventLine(event, meta),
            );
            received += 1;
            if (received >= limit) finish();
          },
          onRejected: (reason) => context.stderr(`rejected ${reason}\n`),
        },
      });
    } catch (error) {
      throw new CliError(
        EXIT_CODES.usage,
        `cannot listen on port ${portText}: ${error instanceof Error ? error.message : 'refused'}`,
      );
    }
    let endpointId: string | undefined;
    try {
      if (context.options.register === true) {
        const connection = resolveConnection(context);
        endpointId = await register(connection, listener.url);
        context.stderr(`registered endpoint ${endpointId} → ${listener.url}\n`);
      }
      context.stderr(`listening on ${listener.url} (Ctrl-C to stop)\n`);
      const stop = (): void => finish();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await done;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    } finally {
      await listener.close();
      if (endpointId !== undefined) {
        // Leave no endpoint pointing at a receiver that is gone: it would only collect failures.
        await callApi(
          resolveConnection(context),
          'DELETE',
          `/v1/webhooks/endpoints/${encodeURIComponent(endpointId)}`,
        ).then(
          () => context.stderr(`removed endpoint ${endpointId}\n`),
          () => context.stderr(`could not remove endpoint ${endpointId}: delete it by hand\n`),
        );
      }
    }
  },
};

const webhooks: CommandGroup = {
  kind: 'group',
  name: 'webhooks',
  summary: 'webhooks: a local receiver that verifies and prints events',
  children: [listen],
};

export { webhooks };
