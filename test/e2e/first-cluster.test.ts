import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { LocalStack } from '../../local/stack.js';
import { type ApiCall, type ApiCaller, jsonOf, problemOf } from '../support/api-client.js';
import { type E2eStack, startE2eStack } from '../support/e2e-stack.js';
import { waitFor } from '../support/wait-for.js';
import type { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * The whole local stack in-process on free ports, driven only over HTTP: a cluster is requested,
 * created through the emulated ACK, followed by the poller, and announced by a signed webhook.
 */
describe('local stack: the first serverless cluster end to end', () => {
  let dataDir: string;
  let stack: LocalStack;
  let receiver: WebhookReceiver;
  let http: ApiCaller;

  /** A call with the stack's admin key. */
  const api = (call: Omit<ApiCall, 'key'>) => http({ ...call, key: stack.apiKey });

  let e2e: E2eStack | undefined;

  beforeAll(async () => {
    e2e = await startE2eStack('askp-e2e-');
    ({ stack, receiver, http, dataDir } = e2e);
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('writes the admin key it prints to the data directory', async () => {
    expect(stack.apiKey).toMatch(/^askp_[0-9a-z]+_[A-Za-z0-9_-]+$/);
    expect((await readFile(join(dataDir, 'api-key'), 'utf8')).trim()).toBe(stack.apiKey);
  });

  it('creates a cluster from just a name and a region, reaches running and sends a signed webhook', async () => {
    const created = await api({
      method: 'POST',
      path: '/v1/clusters',
      json: { name: 'e2e-demo', region: 'cn-hangzhou', webhook: { url: receiver.url } },
    });
    expect(created.status).toBe(202);
    const accepted = jsonOf(created, z.looseObject({ id: z.string(), state: z.string() }));
    expect(accepted.state).toBe('accepted');
    expect(created.headers.location).toBe(`/v1/clusters/${accepted.id}`);
    expect(created.headers['x-request-id']).toBeTruthy();

    const view = z.looseObject({
      state: z.string(),
      clusterId: z.string().nullable(),
      spec: z.looseObject({ network: z.unknown() }),
      createdAt: z.string(),
      updatedAt: z.string(),
    });
    const running = await waitFor('the provision to be running', async () => {
      const body = jsonOf(await api({ method: 'GET', path: `/v1/clusters/${accepted.id}` }), view);
      return body.state === 'running' ? body : undefined;
    });
    expect(running.clusterId).toMatch(/^c[0-9a-z]+/);
    expect(running.spec.network).toBe('auto');
    expect(Date.parse(running.updatedAt)).toBeGreaterThanOrEqual(Date.parse(running.createdAt));

    const delivery = await waitFor('the cluster.running webhook', async () =>
      receiver.received.find((hook) => JSON.parse(hook.body).type === 'cluster.running'),
    );
    const payload = new Webhook(stack.webhookSecret).verify(delivery.body, delivery.headers) as {
      type: string;
      data: { id: string; state: string; clusterId: string };
    };
    expect(payload.data).toMatchObject({
      id: accepted.id,
      state: 'running',
      clusterId: running.clusterId,
    });

    const events = jsonOf(
      await api({ method: 'GET', path: `/v1/clusters/${accepted.id}/events` }),
      z.looseObject({ events: z.array(z.looseObject({ state: z.string() })) }),
    );
    const states = events.events.map((event) => event.state);
    expect(states[0]).toBe('accepted');
    expect(states).toContain('provisioning');
    expect(states.at(-1)).toBe('running');
  });

  it('refuses a request without an API key with problem+json and a request id', async () => {
    const response = await http({
      method: 'GET',
      path: '/v1/clusters/prv_00000000000000000000000000',
    });
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.headers['x-request-id']).toBeTruthy();
  });

  it('rejects an invalid create request naming the field, and writes nothing', async () => {
    const before = stack.ack.listAllClusters().length;
    const response = await api({
      method: 'POST',
      path: '/v1/clusters',
      json: { name: '-bad', region: 'cn-hangzhou' },
    });
    expect(response.status).toBe(400);
    expect(problemOf(response)).toMatchObject({ field: 'name', code: 'VALIDATION_FAILED' });
    expect(stack.ack.listAllClusters().length).toBe(before);
  });
});
