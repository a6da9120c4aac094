import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { type AddressGuard, createAddressGuard } from './address-guard.js';
import { webhookUrlProblem } from './webhook-url-check.js';

/**
 * The WebhookSender port and its node:http(s) adapter. Built on node:http rather than fetch
 * because undici does not call a custom lookup for literal IPs: here every connection goes
 * through the guard, on the address actually dialled. Redirects are never followed (a 3xx is a
 * failed attempt), the response body is read up to a cap and discarded, and every attempt ends
 * within the timeout.
 */
interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** This attempt's timeout when shorter than the sender's (what is left of a run's budget). */
  timeoutMs?: number;
}

type WebhookResult =
  | { kind: 'response'; status: number; retryAfterMs?: number }
  | { kind: 'refused'; reason: string }
  | { kind: 'error'; reason: string };

interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookResult>;
}

interface WebhookSenderOptions {
  timeoutMs: number;
  allowHttp: boolean;
  allowedCidrs: readonly string[];
  maxResponseBytes?: number;
  /** Injectable DNS for tests: a hostname that resolves to loopback must still be refused. */
  lookup?: (hostname: string) => Promise<LookupAddress[]>;
}

const defaultLookup = (hostname: string): Promise<LookupAddress[]> =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });

/** A socket lookup that resolves, checks every address, and hands back only an allowed one. */
const guardedLookup =
  (
    guard: AddressGuard,
    resolveAll: (hostname: string) => Promise<LookupAddress[]>,
  ): LookupFunction =>
  (hostname, options, callback) => {
    resolveAll(hostname).then(
      (addresses) => {
        const refused = addresses.map((entry) => guard(entry.address)).find((v) => !v.allowed);
        const first = addresses[0];
        if (refused && !refused.allowed) {
          callback(
            Object.assign(new Error(`refused: ${hostname} resolves to a ${refused.reason}`), {
              code: 'EREFUSEDADDRESS',
            }),
            '',
            4,
          );
          return;
        }
        if (!first) {
          callback(
            Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }),
            '',
            4,
          );
          return;
        }
        if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };

const parseRetryAfter = (value: string | string[] | undefined): number | undefined => {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
};

const createWebhookSender = (options: WebhookSenderOptions): WebhookSender => {
  const guard = createAddressGuard({ allowedCidrs: options.allowedCidrs });
  const lookup = guardedLookup(guard, options.lookup ?? defaultLookup);
  const maxResponseBytes = options.maxResponseBytes ?? 64 * 1024;

  const check = (url: URL): string | undefined =>
    webhookUrlProblem(url, { allowHttp: options.allowHttp, guard });

  const send = (request: WebhookRequest): Promise<WebhookResult> => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return Promise.resolve({ kind: 'refused', reason: 'invalid URL' });
    }
    const refusal = check(url);
    if (refusal) return Promise.resolve({ kind: 'refused', reason: refusal });
    const transport = url.protocol === 'https:' ? https : http;
    const timeoutMs = Math.max(1, Math.min(options.timeoutMs, request.timeoutMs ?? Infinity));
    return new Promise((resolve) => {
      const req = transport.request(
        url,
        {
          method: 'POST',
          headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
          lookup,
          agent: false,
          timeout: timeoutMs,
        },
        (res) => {
          let received = 0;
          res.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received > maxResponseBytes) res.destroy();
          });
          const done = () =>
            resolve({
              kind: 'response',
              status: res.statusCode ?? 0,
              ...(res.headers['retry-after']
                ? { retryAfterMs: parseRetryAfter(res.headers['retry-after']) ?? 0 }
                : {}),
            });
          res.on('end', done);
          res.on('close', done);
          res.on('error', done);
        },
      );
      const timer = setTimeout(() => req.destroy(new Error('timed out')), timeoutMs);
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve(
          error.code === 'EREFUSEDADDRESS'
            ? { kind: 'refused', reason: error.message }
            : { kind: 'error', reason: error.code ?? error.message },
        );
      });
      req.on('close', () => clearTimeout(timer));
      req.end(request.body);
    });
  };

  return { send };
};

export type { WebhookRequest, WebhookResult, WebhookSender, WebhookSenderOptions };
export { createWebhookSender };
