import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createApiApp } from '../../shared/app/api-app.js';
import { loadConfig } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import {
  type ApiCaller,
  type ApiReply,
  inProcessApi,
  jsonOf,
  problemOf,
  provisionTenant,
} from '../support/api-client.js';
import { type ApiStack, startApiStack } from '../support/api-stack.js';

/**
 * The smaller holes of the tenant boundary, each probed over HTTP as an attacker would: secrets
 * that a cache could keep, prototype keys and control characters in labels, tokens in webhook
 * URLs shown back to readers, and a local data directory others can read.
 */
const expectProblem = (reply: ApiReply, status: number, code: string, field?: string) => {
  expect(reply.status, reply.body).toBe(status);
  const problem = problemOf(reply);
  expect(problem.code).toBe(code);
  if (field !== undefined) expect(problem.field).toBe(field);
};

describe('hardening of the API’s edges', () => {
  let env: ApiStack;
  let api: ApiCaller;
  let tenant: Awaited<ReturnType<typeof provisionTenant>>;

  beforeAll(async () => {
    env = await startApiStack({
      ASKP_RATE_LIMIT_PER_SECOND: '10000',
      ASKP_RATE_LIMIT_BURST: '10000',
      // Small, so the last test can run an address out; the tests before fail at most twice.
      ASKP_AUTH_FAILURE_BURST: '8',
      ASKP_AUTH_FAILURES_PER_MINUTE: '1',
    });
    api = env.api;
    tenant = await provisionTenant(api, env.adminKey, {
      name: 'edges',
      keys: { writer: ['clusters:read', 'clusters:write'], reader: ['clusters:read'] },
    });
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('marks every response that carries a secret Cache-Control: no-store', async () => {
    const created = await api({
      method: 'POST',
      path: '/v1/admin/tenants',
      key: env.adminKey,
      json: { name: 'cached' },
    });
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const tenantId = jsonOf(created, z.object({ id: z.string() }).loose()).id;
    const issued = await api({
      method: 'POST',
      path: '/v1/admin/api-keys',
      key: env.adminKey,
      json: { tenantId, scopes: ['clusters:read'] },
    });
    expect(issued.status).toBe(201);
    expect(issued.headers['cache-control']).toBe('no-store');
    const rotated = await api({
      method: 'POST',
      path: `/v1/admin/tenants/${tenantId}/webhook-secret:rotate`,
      key: env.adminKey,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.headers['cache-control']).toBe('no-store');
    // Tenant data and errors too: nothing on the way may keep an answer about one tenant.
    const list = await api({ method: 'GET', path: '/v1/clusters', key: tenant.keys.reader });
    expect(list.headers['cache-control']).toBe('no-store');
    const denied = await api({ method: 'GET', path: '/v1/clusters' });
    expect(denied.headers['cache-control']).toBe('no-store');
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses a %s key with 400 naming it, instead of dropping it',
    async (name) => {
      const reply = await api({
        method: 'POST',
        path: '/v1/clusters',
        key: tenant.keys.writer,
        headers: { 'content-type': 'application/json' },
        body: `{"name":"proto","region":"cn-hangzhou","labels":{"${name}":"x","team":"a"}}`,
      });
      expectProblem(reply, 400, 'VALIDATION_FAILED', `labels.${name}`);
      const nested = await api({
        method: 'POST',
        path: '/v1/clusters',
        key: tenant.keys.writer,
        headers: { 'content-type': 'application/json' },
        body: `{"name":"proto","region":"cn-hangzhou","addons":[{"name":"x","config":{"${name}":{"polluted":true}}}]}`,
      });
      expectProblem(nested, 400, 'VALIDATION_FAILED', `addons.0.config.${name}`);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it.each([
    ['a\r\nX-Injected: 1', 'CR LF'],
    ['line\nbreak', 'LF'],
    ['tab\there', 'tab'],
    ['bell\u0007', 'BEL'],
    ['del\u007f', 'DEL'],
    ['sep\u2028', 'line separator'],
  ])('refuses the label value %j (%s) with 400', async (value) => {
    const create = await api({
      method: 'POST',
      path: '/v1/clusters',
      key: tenant.keys.writer,
      json: { name: 'ctl', region: 'cn-hangzhou', labels: { team: value } },
    });
    expectProblem(create, 400, 'VALIDATION_FAILED', 'labels.team');
  });

  it('shows readers a webhook URL without its query string', async () => {
    const secretUrl = 'https://hooks.example.com/askp?token=s3cr3t-t0ken&x=1';
    const created = await api({
      method: 'POST',
      path: '/v1/clusters',
      key: tenant.keys.writer,
      json: { name: 'hooked', region: 'cn-hangzhou', webhook: { url: secretUrl } },
    });
    expect(created.status, created.body).toBe(202);
    const id = jsonOf(created, z.object({ id: z.string() }).loose()).id;
    const endpoint = await api({
      method: 'POST',
      path: '/v1/webhooks/endpoints',
      key: tenant.keys.writer,
      json: { url: secretUrl },
    });
    expect(endpoint.status, endpoint.body).toBe(201);
    const replies = [
      created,
      endpoint,
      await api({ method: 'GET', path: `/v1/clusters/${id}`, key: tenant.keys.reader }),
      await api({ method: 'GET', path: '/v1/clusters', key: tenant.keys.reader }),
      await api({ method: 'GET', path: '/v1/webhooks/endpoints', key: tenant.keys.reader }),
    ];
    for (const reply of replies) {
      expect(reply.body).not.toContain('s3cr3t-t0ken');
    }
    const cluster = jsonOf(
      replies[2] as ApiReply,
      z.object({ spec: z.object({ webhook: z.object({ url: z.string() }) }).loose() }).loose(),
    );
    expect(cluster.spec.webhook.url).toBe('https://hooks.example.com/askp');
    // What is sent to is the URL as registered.
    const stored = await env.stack.store.getProvision({ id });
    expect(stored?.spec.webhook?.url).toBe(secretUrl);
  });

  it('logs a refused request with its key id, tenant and source address, never the secret', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (line) => lines.push(line) });
    const app = await createApiApp(loadConfig(env.stack.env), { store: env.stack.store, logger });
    const call = inProcessApi(async () => app).call;
    const reader = tenant.keys.reader ?? '';
    const [, keyId = ''] = reader.split('_');
    const wrong = `askp_${keyId}_${'x'.repeat(43)}`;
    expect((await call({ method: 'GET', path: '/v1/clusters', key: wrong })).status).toBe(401);
    expect(
      (await call({ method: 'POST', path: '/v1/admin/tenants', key: reader, json: {} })).status,
    ).toBe(403);
    const refused = lines
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.message === 'request failed');
    expect(refused).toHaveLength(2);
    for (const [entry, status] of [
      [refused[0], 401],
      [refused[1], 403],
    ] as const) {
      expect(entry).toMatchObject({ status, keyId, tenantId: tenant.id, sourceIp: '127.0.0.1' });
    }
    expect(lines.join('\n')).not.toContain('x'.repeat(43));
    // The secret is everything after the id: base64url may itself hold '_', so no split('_').
    expect(lines.join('\n')).not.toContain(reader.slice(reader.indexOf('_', 'askp_'.length) + 1));
  });

  it('keeps the local data directory to its owner (0700)', async () => {
    const info = await stat(env.stack.dataDir);
    expect(info.mode & 0o777).toBe(0o700);
  });

  // Last: it leaves this address blocked for the stack's HTTP trigger.
  it('throttles failed authentications per source address, across instances', async () => {
    const unknown = `askp_zzzzzzzz_${'y'.repeat(43)}`;
    const statuses: number[] = [];
    let throttled: ApiReply | undefined;
    for (let i = 0; i < 20 && throttled === undefined; i += 1) {
      const reply = await api({ method: 'GET', path: '/v1/clusters', key: unknown });
      statuses.push(reply.status);
      if (reply.status === 429) throttled = reply;
    }
    expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true);
    expect(statuses.length).toBeLessThanOrEqual(8);
    expectProblem(throttled as ApiReply, 429, 'RATE_LIMITED');
    expect(Number(throttled?.headers['retry-after'])).toBeGreaterThan(0);
    // This instance now answers the address at once, whatever the key.
    const valid = await api({ method: 'GET', path: '/v1/clusters', key: tenant.keys.reader });
    expect(valid.status).toBe(429);
    // Another instance (its own memory, the same database): a valid key passes, a wrong one is
    // already over the address's budget.
    const other = env.inProcess();
    expect(
      (await other({ method: 'GET', path: '/v1/clusters', key: tenant.keys.reader })).status,
    ).toBe(200);
    expectProblem(
      await other({ method: 'GET', path: '/v1/clusters', key: unknown }),
      429,
      'RATE_LIMITED',
    );
  });
});
