import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { createClientNodeInspector } from '../../shared/kube/client-node-inspector.js';
import { startFastStack } from '../support/fast-stack.js';
import { waitFor } from '../support/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * A cluster's whole life over HTTP on the local stack: preflight, create, kubeconfig (read by the
 * real @kubernetes/client-node against the emulated Kubernetes API), PATCH pushed to ACK, delete
 * refused under protection, then deleted with a signed cluster.deleted webhook.
 */
describe('local stack: a cluster from preflight to deleted', () => {
  let dataDir: string;
  let stack: LocalStack;
  let receiver: WebhookReceiver;
  let id = '';
  let clusterId = '';

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      headers: response.headers,
      json: (await response.json()) as Record<string, unknown>,
    };
  };

  const stateOf = async () => (await api('GET', `/v1/clusters/${id}`)).json.state;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'askp-life-'));
    receiver = await startWebhookReceiver();
    stack = await startFastStack(dataDir);
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers the options and a preflight with findings and a price, creating nothing', async () => {
    const options = await api('GET', '/v1/options?region=cn-hangzhou');
    expect(options.status).toBe(200);
    expect(options.json.defaultKubernetesVersion).toMatch(/-aliyun\./);
    const before = stack.ack.listAllClusters().length;
    const preflight = await api('POST', '/v1/clusters:preflight', {
      name: 'pf',
      region: 'cn-hangzhou',
    });
    expect(preflight.status).toBe(200);
    expect(preflight.json.ok).toBe(true);
    expect(preflight.json.cost).toMatchObject({ currency: 'USD' });
    expect(stack.ack.listAllClusters().length).toBe(before);
  });

  it('hands out a kubeconfig that client-node uses to list the pods of the running cluster', async () => {
    const created = await api('POST', '/v1/clusters', {
      name: 'life',
      region: 'cn-hangzhou',
      labels: { team: 'a' },
      webhook: { url: receiver.url },
    });
    expect(created.status).toBe(202);
    id = String(created.json.id);
    await waitFor('running', async () => ((await stateOf()) === 'running' ? true : undefined));
    clusterId = String((await api('GET', `/v1/clusters/${id}`)).json.clusterId);
    const issued = await api('GET', `/v1/clusters/${id}/kubeconfig?durationMinutes=15`);
    expect(issued.status).toBe(200);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    const kubeconfig = String(issued.json.kubeconfig);
    // The emulated API server exists once ACK issued a kubeconfig for it; a workload arrives.
    stack.kube.createPod(clusterId, { namespace: 'default', name: 'web-1' });
    expect(kubeconfig).toContain('certificate-authority-data');
    const report = await createClientNodeInspector().inspect({ kubeconfig });
    expect(report.workloadPods).toBe(1);
    expect(report.namespaces).toContain('default');
  });

  it('pushes deletion protection and labels to ACK, and refuses to delete a protected cluster', async () => {
    const patched = await api('PATCH', `/v1/clusters/${id}`, {
      deletionProtection: true,
      labels: { team: 'b' },
    });
    expect(patched.status).toBe(200);
    const inAck = stack.ack.listAllClusters().find((c) => c.clusterId === clusterId);
    expect(inAck?.deletionProtection).toBe(true);
    expect(inAck?.tags).toEqual(
      expect.arrayContaining([
        { key: 'team', value: 'b' },
        { key: 'askp.provision-id', value: id },
      ]),
    );
    const refused = await api('DELETE', `/v1/clusters/${id}`);
    expect(refused.status).toBe(409);
  });

  it('sets and removes the idle policy with PATCH', async () => {
    const set = await api('PATCH', `/v1/clusters/${id}`, { idleAfter: '2h' });
    expect(set.status).toBe(200);
    expect((set.json.spec as { idleAfter?: string }).idleAfter).toBe('2h');
    const removed = await api('PATCH', `/v1/clusters/${id}`, { idleAfter: null });
    expect((removed.json.spec as { idleAfter?: string }).idleAfter).toBeUndefined();
  });

  it('deletes the cluster in ACK and announces cluster.deleted', async () => {
    expect((await api('PATCH', `/v1/clusters/${id}`, { deletionProtection: false })).status).toBe(
      200,
    );
    const deleting = await api('DELETE', `/v1/clusters/${id}`);
    expect(deleting.status).toBe(202);
    await waitFor('deleted', async () => ((await stateOf()) === 'deleted' ? true : undefined));
    expect(stack.ack.listAllClusters().find((c) => c.clusterId === clusterId)?.state).toBe(
      'deleted',
    );
    const hook = await waitFor('the cluster.deleted webhook', async () =>
      receiver.received.find((h) => JSON.parse(h.body).type === 'cluster.deleted'),
    );
    expect(new Webhook(stack.webhookSecret).verify(hook.body, hook.headers)).toMatchObject({
      data: { id, state: 'deleted' },
    });
    const kubeconfig = await api('GET', `/v1/clusters/${id}/kubeconfig`);
    expect(kubeconfig.status).toBe(409);
  });
});
