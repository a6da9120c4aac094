import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { startFastStack } from '../support/fast-stack.js';
import { waitFor } from '../support/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * The whole local stack in-process on free ports, driven only over HTTP: a cluster is requested,
 * created through the emulated ACK, followed by the poller, and announced by a signed webhook.
 */
describe('local stack: the first serverless cluster end to end', () => {
  let dataDir: string;
  let stack: LocalStack;
  let receiver: WebhookReceiver;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.apiUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${stack.apiKey}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'askp-e2e-'));
    receiver = await startWebhookReceiver();
    stack = await startFastStack(dataDir);
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes the admin key it prints to the data directory', async () => {
    expect(stack.apiKey).toMatch(/^askp_[0-9a-z]+_[A-Za-z0-9_-]+$/);
    expect((await readFile(join(dataDir, 'api-key'), 'utf8')).trim()).toBe(stack.apiKey);
  });

  it('creates a cluster from just a name and a region, reaches running and sends a signed webhook', async () => {
    const created = await api('/v1/clusters', {
      method: 'POST',
      body: JSON.stringify({
        name: 'e2e-demo',
        region: 'cn-hangzhou',
        webhook: { url: receiver.url },
      }),
    });
    expect(created.status).toBe(202);
    const accepted = (await created.json()) as { id: string; state: string };
    expect(accepted.state).toBe('accepted');
    expect(created.headers.get('location')).toBe(`/v1/clusters/${accepted.id}`);
    expect(created.headers.get('x-request-id')).toBeTruthy();

    const running = await waitFor('the provision to be running', async () => {
      const body = (await (await api(`/v1/clusters/${accepted.id}`)).json()) as {
        state: string;
        clusterId: string | null;
        spec: { kubernetesVersion?: string; network: unknown };
        createdAt: string;
        updatedAt: string;
      };
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

    const events = (await (await api(`/v1/clusters/${accepted.id}/events`)).json()) as {
      events: { state: string }[];
    };
    const states = events.events.map((event) => event.state);
    expect(states[0]).toBe('accepted');
    expect(states).toContain('provisioning');
    expect(states.at(-1)).toBe('running');
  });

  it('refuses a request without an API key with problem+json and a request id', async () => {
    const response = await fetch(`${stack.apiUrl}/v1/clusters/prv_00000000000000000000000000`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('rejects an invalid create request naming the field, and writes nothing', async () => {
    const response = await api('/v1/clusters', {
      method: 'POST',
      body: JSON.stringify({ name: '-bad', region: 'cn-hangzhou' }),
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { field: string; code: string };
    expect(problem).toMatchObject({ field: 'name', code: 'VALIDATION_FAILED' });
  });
});
