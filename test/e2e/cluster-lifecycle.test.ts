import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { LocalStack } from '../../local/stack.js';
import { createClientNodeInspector } from '../../shared/kube/client-node-inspector.js';
import { type ApiCall, type ApiCaller, jsonOf } from '../support/api-client.js';
import { type E2eStack, startE2eStack } from '../support/e2e-stack.js';
import { waitFor } from '../support/wait-for.js';
import type { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * A cluster's whole life over HTTP on the local stack: preflight, create, kubeconfig (read by the
 * real @kubernetes/client-node against the emulated Kubernetes API), PATCH pushed to ACK, delete
 * refused under protection, then deleted with a signed cluster.deleted webhook. Each test makes
 * its own cluster, so one failing does not take the others with it.
 */
const clusterView = z.looseObject({
  id: z.string(),
  state: z.string(),
  clusterId: z.string().nullable(),
  spec: z.looseObject({ idleAfter: z.string().optional() }),
});

describe('local stack: a cluster from preflight to deleted', () => {
  let stack: LocalStack;
  let receiver: WebhookReceiver;
  let http: ApiCaller;

  /** A call with the stack's admin key. */
  const api = (call: Omit<ApiCall, 'key'>) => http({ ...call, key: stack.apiKey });
  const viewOf = async (id: string) =>
    jsonOf(await api({ method: 'GET', path: `/v1/clusters/${id}` }), clusterView);

  /** A new cluster (announced to the receiver), once it is running and has its ACK id. */
  const runningCluster = async (name: string): Promise<{ id: string; clusterId: string }> => {
    const created = await api({
      method: 'POST',
      path: '/v1/clusters',
      json: { name, region: 'cn-hangzhou', labels: { team: 'a' }, webhook: { url: receiver.url } },
    });
    expect(created.status).toBe(202);
    const { id } = jsonOf(created, clusterView);
    return waitFor(`${name} to be running`, async () => {
      const view = await viewOf(id);
      return view.state === 'running' && view.clusterId
        ? { id, clusterId: view.clusterId }
        : undefined;
    });
  };

  let e2e: E2eStack | undefined;

  beforeAll(async () => {
    e2e = await startE2eStack('askp-life-');
    ({ stack, receiver, http } = e2e);
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('answers the options and a preflight with findings and a price, creating nothing', async () => {
    const options = await api({
      method: 'GET',
      path: '/v1/options',
      query: { region: 'cn-hangzhou' },
    });
    expect(options.status).toBe(200);
    expect(JSON.parse(options.body).defaultKubernetesVersion).toMatch(/-aliyun\./);
    const before = stack.ack.listAllClusters().length;
    const preflight = await api({
      method: 'POST',
      path: '/v1/clusters:preflight',
      json: { name: 'pf', region: 'cn-hangzhou' },
    });
    expect(preflight.status).toBe(200);
    expect(JSON.parse(preflight.body)).toMatchObject({ ok: true, cost: { currency: 'USD' } });
    expect(stack.ack.listAllClusters().length).toBe(before);
  });

  it('hands out a kubeconfig that client-node uses to list the pods of the running cluster', async () => {
    const { id, clusterId } = await runningCluster('life-kubeconfig');
    const issued = await api({
      method: 'GET',
      path: `/v1/clusters/${id}/kubeconfig`,
      query: { durationMinutes: '15' },
    });
    expect(issued.status).toBe(200);
    expect(issued.headers['cache-control']).toBe('no-store');
    const { kubeconfig } = jsonOf(issued, z.looseObject({ kubeconfig: z.string() }));
    // The emulated API server exists once ACK issued a kubeconfig for it; a workload arrives.
    stack.kube.createPod(clusterId, { namespace: 'default', name: 'web-1' });
    expect(kubeconfig).toContain('certificate-authority-data');
    const report = await createClientNodeInspector().inspect({ kubeconfig });
    expect(report.workloadPods).toBe(1);
    expect(report.namespaces).toContain('default');
  });

  it('pushes deletion protection and labels to ACK, and refuses to delete a protected cluster', async () => {
    const { id, clusterId } = await runningCluster('life-protected');
    const patched = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}`,
      json: { deletionProtection: true, labels: { team: 'b' } },
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
    const refused = await api({ method: 'DELETE', path: `/v1/clusters/${id}` });
    expect(refused.status).toBe(409);
  });

  it('sets and removes the idle policy with PATCH', async () => {
    const { id } = await runningCluster('life-idle');
    const set = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}`,
      json: { idleAfter: '2h' },
    });
    expect(set.status).toBe(200);
    expect(jsonOf(set, clusterView).spec.idleAfter).toBe('2h');
    const removed = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}`,
      json: { idleAfter: null },
    });
    expect(jsonOf(removed, clusterView).spec.idleAfter).toBeUndefined();
  });

  it('deletes the cluster in ACK and announces cluster.deleted', async () => {
    const { id, clusterId } = await runningCluster('life-deleted');
    const protectedOnce = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}`,
      json: { deletionProtection: true },
    });
    expect(protectedOnce.status).toBe(200);
    const unprotected = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}`,
      json: { deletionProtection: false },
    });
    expect(unprotected.status).toBe(200);
    const deleting = await api({ method: 'DELETE', path: `/v1/clusters/${id}` });
    expect(deleting.status).toBe(202);
    await waitFor('deleted', async () =>
      (await viewOf(id)).state === 'deleted' ? true : undefined,
    );
    expect(stack.ack.listAllClusters().find((c) => c.clusterId === clusterId)?.state).toBe(
      'deleted',
    );
    const hook = await waitFor('the cluster.deleted webhook', async () =>
      receiver.received.find((h) => {
        const event = JSON.parse(h.body);
        return event.type === 'cluster.deleted' && event.data?.id === id;
      }),
    );
    expect(new Webhook(stack.webhookSecret).verify(hook.body, hook.headers)).toMatchObject({
      data: { id, state: 'deleted' },
    });
    const kubeconfig = await api({ method: 'GET', path: `/v1/clusters/${id}/kubeconfig` });
    expect(kubeconfig.status).toBe(409);
  });
});
