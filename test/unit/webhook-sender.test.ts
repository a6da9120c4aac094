import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebhookSenderOptions } from '../../shared/webhooks/webhook-sender.js';
import { createWebhookSender } from '../../shared/webhooks/webhook-sender.js';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Reply = (res: http.ServerResponse, received: Received) => void;

interface Receiver {
  port: number;
  url: string;
  received: Received[];
}

const servers: http.Server[] = [];

/** A real HTTP receiver on 127.0.0.1, on a free port; `reply` decides how it answers. */
const startReceiver = async (
  reply: Reply = (res) => res.writeHead(204).end(),
): Promise<Receiver> => {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(entry);
      reply(res, entry);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, url: `http://127.0.0.1:${port}`, received };
};

afterEach(async () => {
  const closing = servers.splice(0).map(
    (server) =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  await Promise.all(closing);
});

const LOOPBACK = ['127.0.0.0/8'];

const sender = (options: Partial<WebhookSenderOptions> = {}) =>
  createWebhookSender({ timeoutMs: 5_000, allowHttp: true, allowedCidrs: [], ...options });

const request = (url: string, body = '{"type":"cluster.running"}') => ({
  url,
  headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1' },
  body,
});

const fixedLookup =
  (...addresses: LookupAddress[]) =>
  async (): Promise<LookupAddress[]> =>
    addresses;

describe('createWebhookSender: scheme and address checks before connecting', () => {
  it('refuses http:// when allowHttp is false, without connecting', async () => {
    const receiver = await startReceiver();
    const result = await sender({ allowHttp: false, allowedCidrs: LOOPBACK }).send(
      request(`${receiver.url}/hook`),
    );
    expect(result.kind).toBe('refused');
    if (result.kind === 'refused') expect(result.reason).toContain('scheme');
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses schemes other than http(s)', async () => {
    const result = await sender().send(request('ftp://8.8.8.8/hook'));
    expect(result.kind).toBe('refused');
    if (result.kind === 'refused') expect(result.reason).toContain('scheme');
  });

  it('refuses an invalid URL', async () => {
    expect(await sender().send(request('not a url'))).toEqual({
      kind: 'refused',
      reason: 'invalid URL',
    });
  });

  it('refuses loopback when nothing is allow-listed, even with http allowed', async () => {
    const receiver = await startReceiver();
    const result = await sender().send(request(`${receiver.url}/hook`));
    expect(result.kind).toBe('refused');
    if (result.kind === 'refused') expect(result.reason).toContain('address refused');
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses an https:// loopback URL on the address, not the scheme', async () => {
    const result = await sender({ allowHttp: false }).send(request('https://127.0.0.1:1/hook'));
    expect(result.kind).toBe('refused');
    if (result.kind === 'refused') expect(result.reason).toContain('address refused');
  });

  it.each([
    ['decimal', (port: number) => `http://2130706433:${port}/`],
    ['hex and dotted', (port: number) => `http://0x7f.0.0.1:${port}/`],
    ['octal', (port: number) => `http://0177.0.0.1:${port}/`],
    ['IPv4-mapped IPv6', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`],
    ['IPv6 loopback', (port: number) => `http://[::1]:${port}/`],
    ['unspecified', (port: number) => `http://0.0.0.0:${port}/`],
  ])('refuses loopback written in %s form, without an allow-list', async (_form, urlFor) => {
    const receiver = await startReceiver();
    const result = await sender().send(request(urlFor(receiver.port)));
    expect(result.kind).toBe('refused');
    expect(receiver.received).toHaveLength(0);
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://100.100.100.200/latest/meta-data/',
    'http://[::ffff:100.100.100.200]/',
    'http://[::ffff:a9fe:a9fe]/',
  ])('refuses the metadata address %s even when its range is allow-listed', async (url) => {
    const result = await sender({
      allowedCidrs: ['127.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16'],
    }).send(request(url));
    expect(result.kind).toBe('refused');
    if (result.kind === 'refused') expect(result.reason).toContain('metadata');
  });

  it('refuses credentials in the URL even when the address is allow-listed', async () => {
    const receiver = await startReceiver();
    const result = await sender({ allowedCidrs: LOOPBACK }).send(
      request(`http://user:pass@127.0.0.1:${receiver.port}/hook`),
    );
    expect(result.kind).toBe('refused');
    if (result.kind === 'refused') expect(result.reason).toContain('credentials');
    expect(receiver.received).toHaveLength(0);
  });
});

describe('createWebhookSender: delivery to an allow-listed receiver', () => {
  it('delivers a POST with headers and body intact and returns the status', async () => {
    const receiver = await startReceiver((res) => res.writeHead(202).end('accepted'));
    const body = JSON.stringify({ type: 'cluster.running', data: { name: '集群-1', emoji: '🚀' } });
    const result = await sender({ allowedCidrs: LOOPBACK }).send({
      url: `${receiver.url}/hooks/askp?tenant=t1`,
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_2abc',
        'webhook-timestamp': '1767225600',
        'webhook-signature': 'v1,abc= v1,def=',
        'user-agent': 'ask-provisioner/1',
      },
      body,
    });
    expect(result).toEqual({ kind: 'response', status: 202 });
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0];
    expect(got?.method).toBe('POST');
    expect(got?.url).toBe('/hooks/askp?tenant=t1');
    expect(got?.body).toBe(body);
    expect(got?.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': 'msg_2abc',
      'webhook-timestamp': '1767225600',
      'webhook-signature': 'v1,abc= v1,def=',
      'user-agent': 'ask-provisioner/1',
      'content-length': String(Buffer.byteLength(body)),
    });
  });

  it('returns error statuses as responses for the retry logic to judge', async () => {
    const receiver = await startReceiver((res) => res.writeHead(503).end());
    expect(await sender({ allowedCidrs: LOOPBACK }).send(request(receiver.url))).toEqual({
      kind: 'response',
      status: 503,
    });
  });

  it('judges an IPv4-mapped IPv6 literal as IPv4: delivered when 127.0.0.0/8 is allow-listed', async () => {
    const receiver = await startReceiver();
    const result = await sender({ allowedCidrs: LOOPBACK }).send(
      request(`http://[::ffff:127.0.0.1]:${receiver.port}/hook`),
    );
    expect(result).toEqual({ kind: 'response', status: 204 });
    expect(receiver.received).toHaveLength(1);
  });

  it('treats the numeric forms WHATWG normalises to 127.0.0.1 like 127.0.0.1 itself', async () => {
    const receiver = await startReceiver();
    const allowed = sender({ allowedCidrs: LOOPBACK });
    expect(await allowed.send(request(`http://2130706433:${receiver.port}/`))).toEqual({
      kind: 'response',
      status: 204,
    });
    expect(await allowed.send(request(`http://0x7f.0.0.1:${receiver.port}/`))).toEqual({
      kind: 'response',
      status: 204,
    });
    expect(receiver.received).toHaveLength(2);
  });

  it('does not follow a redirect: the 302 is the result and the target receives nothing', async () => {
    const target = await startReceiver();
    const redirecting = await startReceiver((res) =>
      res.writeHead(302, { location: `${target.url}/stolen` }).end(),
    );
    const result = await sender({ allowedCidrs: LOOPBACK }).send(
      request(`${redirecting.url}/hook`),
    );
    expect(result).toEqual({ kind: 'response', status: 302 });
    expect(redirecting.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
  });

  it('surfaces Retry-After in seconds as retryAfterMs', async () => {
    const receiver = await startReceiver((res) =>
      res.writeHead(429, { 'retry-after': '120' }).end(),
    );
    expect(await sender({ allowedCidrs: LOOPBACK }).send(request(receiver.url))).toEqual({
      kind: 'response',
      status: 429,
      retryAfterMs: 120_000,
    });
  });

  it('reads a Retry-After HTTP date in the past as 0', async () => {
    const receiver = await startReceiver((res) =>
      res.writeHead(503, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }).end(),
    );
    expect(await sender({ allowedCidrs: LOOPBACK }).send(request(receiver.url))).toEqual({
      kind: 'response',
      status: 503,
      retryAfterMs: 0,
    });
  });

  it('reads a Retry-After HTTP date in the future as a positive delay', async () => {
    const at = new Date(Date.now() + 3_600_000).toUTCString();
    const receiver = await startReceiver((res) => res.writeHead(503, { 'retry-after': at }).end());
    const result = await sender({ allowedCidrs: LOOPBACK }).send(request(receiver.url));
    expect(result.kind).toBe('response');
    if (result.kind === 'response') {
      expect(result.retryAfterMs).toBeGreaterThan(3_000_000);
      expect(result.retryAfterMs).toBeLessThanOrEqual(3_600_000);
    }
  });

  it('does not hang on a response bigger than maxResponseBytes', async () => {
    const big = Buffer.alloc(1024 * 1024, 'x');
    const receiver = await startReceiver((res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(big);
    });
    const result = await sender({ allowedCidrs: LOOPBACK, maxResponseBytes: 1024 }).send(
      request(receiver.url),
    );
    expect(result).toEqual({ kind: 'response', status: 200 });
  });

  it('does not hang on a response that streams past maxResponseBytes and never ends', async () => {
    const receiver = await startReceiver((res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write(Buffer.alloc(256 * 1024, 'y'));
      // Never ends: only the size cap (or the timeout) can finish the attempt.
    });
    const result = await sender({
      allowedCidrs: LOOPBACK,
      maxResponseBytes: 1024,
      timeoutMs: 30_000,
    }).send(request(receiver.url));
    expect(result).toEqual({ kind: 'response', status: 200 });
  });
});

describe('createWebhookSender: failures end the attempt', () => {
  it('gives up on a receiver that never answers, with kind error', async () => {
    const receiver = await startReceiver(() => {
      // Never answers.
    });
    const result = await sender({ allowedCidrs: LOOPBACK, timeoutMs: 200 }).send(
      request(receiver.url),
    );
    expect(result.kind).toBe('error');
    expect(receiver.received).toHaveLength(1);
  });

  it('reports a refused connection as kind error', async () => {
    const receiver = await startReceiver();
    const closed = servers.pop();
    await new Promise<void>((resolve) => closed?.close(() => resolve()));
    const result = await sender({ allowedCidrs: LOOPBACK }).send(request(receiver.url));
    expect(result).toEqual({ kind: 'error', reason: 'ECONNREFUSED' });
  });
});

describe('createWebhookSender: DNS is checked on the resolved address', () => {
  it('refuses a hostname that resolves to 127.0.0.1 when nothing is allow-listed', async () => {
    const receiver = await startReceiver();
    const result = await sender({
      lookup: fixedLookup({ address: '127.0.0.1', family: 4 }),
    }).send(request(`http://hooks.example.test:${receiver.port}/hook`));
    expect(result.kind).toBe('refused');
    if (result.kind === 'refused') expect(result.reason).toContain('hooks.example.test');
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses a hostname when any one of its addresses is refused', async () => {
    const receiver = await startReceiver();
    const result = await sender({
      lookup: fixedLookup(
        { address: '8.8.8.8', family: 4 },
        { address: '169.254.169.254', family: 4 },
      ),
    }).send(request(`http://hooks.example.test:${receiver.port}/hook`));
    expect(result.kind).toBe('refused');
    if (result.kind === 'refused') expect(result.reason).toContain('metadata');
  });

  it('refuses a hostname that resolves to an IPv4-mapped loopback', async () => {
    const receiver = await startReceiver();
    const result = await sender({
      lookup: fixedLookup({ address: '::ffff:127.0.0.1', family: 6 }),
    }).send(request(`http://hooks.example.test:${receiver.port}/hook`));
    expect(result.kind).toBe('refused');
    expect(receiver.received).toHaveLength(0);
  });

  it('delivers through the resolved address when it is allow-listed', async () => {
    const receiver = await startReceiver();
    const asked: string[] = [];
    const result = await sender({
      allowedCidrs: LOOPBACK,
      lookup: async (hostname) => {
        asked.push(hostname);
        return [{ address: '127.0.0.1', family: 4 }];
      },
    }).send(request(`http://hooks.example.test:${receiver.port}/hook`));
    expect(result).toEqual({ kind: 'response', status: 204 });
    expect(asked).toContain('hooks.example.test');
    expect(receiver.received[0]?.headers.host).toBe(`hooks.example.test:${receiver.port}`);
  });

  it('reports a hostname with no address as kind error', async () => {
    const result = await sender({ lookup: fixedLookup() }).send(
      request('http://nowhere.example.test/hook'),
    );
    expect(result.kind).toBe('error');
  });

  it('reports a failed DNS lookup as kind error', async () => {
    const result = await sender({
      lookup: async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
      },
    }).send(request('http://nowhere.example.test/hook'));
    expect(result).toEqual({ kind: 'error', reason: 'ENOTFOUND' });
  });
});
