import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { LocalStack } from '../../local/stack.js';
import { type ApiCall, type ApiCaller, jsonOf } from '../support/api-client.js';
import { changeList, changeView, eventList } from '../support/change-shapes.js';
import { type E2eStack, startE2eStack } from '../support/e2e-stack.js';
import { waitFor } from '../support/wait-for.js';
import type { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * Changes after creation over HTTP on the local stack (issue #17): each is a 202, the cluster
 * `updating` while ACK's task runs, a timeline entry per task stage, then back to `running` with
 * a signed `cluster.updated` — or, when the emulator fails the task mid-way, back to `running`
 * with the failure on the change and a `cluster.update_failed` saying why. Never stuck.
 */
const clusterView = z.looseObject({
  id: z.string(),
  state: z.string(),
  clusterId: z.string().nullable(),
  endpoints: z.looseObject({ internet: z.string().optional(), intranet: z.string().optional() }),
  spec: z.looseObject({
    endpointPublicAccess: z.boolean(),
    kubernetesVersion: z.string().optional(),
  }),
});
const accepted = z.object({ cluster: clusterView, change: changeView });

describe('local stack: changing a running cluster', () => {
  let stack: LocalStack;
  let receiver: WebhookReceiver;
  let http: ApiCaller;

  const api = (call: Omit<ApiCall, 'key'>) => http({ ...call, key: stack.apiKey });
  const viewOf = async (id: string) =>
    jsonOf(await api({ method: 'GET', path: `/v1/clusters/${id}` }), clusterView);
  const changesOf = async (id: string) =>
    jsonOf(await api({ method: 'GET', path: `/v1/clusters/${id}/changes` }), changeList);
  const eventsOf = async (id: string) =>
    jsonOf(await api({ method: 'GET', path: `/v1/clusters/${id}/events` }), eventList).events;
  const hookFor = (id: string, type: string) =>
    waitFor(`the ${type} webhook`, async () =>
      receiver.received.find((h) => {
        const event = JSON.parse(h.body);
        return event.type === type && event.data?.id === id;
      }),
    );

  const runningCluster = async (name: string, fields: object = {}): Promise<string> => {
    const created = await api({
      method: 'POST',
      path: '/v1/clusters',
      json: { name, region: 'cn-hangzhou', webhook: { url: receiver.url }, ...fields },
    });
    expect(created.status).toBe(202);
    const { id } = jsonOf(created, clusterView);
    await waitFor(`${name} to be running`, async () =>
      (await viewOf(id)).state === 'running' ? true : undefined,
    );
    return id;
  };

  const backToRunning = (id: string) =>
    waitFor('the change to end', async () => {
      const view = await viewOf(id);
      return view.state === 'running' ? view : undefined;
    });

  let e2e: E2eStack | undefined;

  beforeAll(async () => {
    e2e = await startE2eStack('askp-changes-');
    ({ stack, receiver, http } = e2e);
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('opens the public API server endpoint: 202, updating, a stage per ACK stage, then running with the address and cluster.updated', async () => {
    const id = await runningCluster('eip-open');
    expect((await viewOf(id)).endpoints.internet).toBeUndefined();

    const patched = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}`,
      json: { endpointPublicAccess: true },
    });
    expect(patched.status).toBe(202);
    const { cluster, change } = jsonOf(patched, accepted);
    expect(cluster.state).toBe('updating');
    expect(change).toMatchObject({ kind: 'endpoint-access', state: 'pending' });

    // The same request again answers the same change; another one meanwhile is refused.
    const again = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}`,
      json: { endpointPublicAccess: true },
    });
    if ((await viewOf(id)).state === 'updating') {
      expect(again.status).toBe(202);
      expect(jsonOf(again, accepted).change.id).toBe(change.id);
      const deleting = await api({ method: 'DELETE', path: `/v1/clusters/${id}` });
      expect(deleting.status).toBe(409);
    }

    const done = await backToRunning(id);
    expect(done.spec.endpointPublicAccess).toBe(true);
    expect(done.endpoints.internet).toMatch(/^https:\/\//);
    const [latest] = (await changesOf(id)).changes;
    expect(latest).toMatchObject({ id: change.id, state: 'succeeded', error: null });
    expect(latest?.ackTaskId).toMatch(/^T-/);
    const events = await eventsOf(id);
    const types = events.map((event) => event.type);
    expect(types).toContain('change.requested');
    expect(types).toContain('change.succeeded');
    const stages = events.filter(
      (event) => event.type === 'ack.stage' && event.state === 'updating',
    );
    expect(stages.map((event) => event.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('AttachApiServerEip'),
        expect.stringContaining('UpdateApiServerCertificate'),
      ]),
    );
    const hook = await hookFor(id, 'cluster.updated');
    expect(new Webhook(stack.webhookSecret).verify(hook.body, hook.headers)).toMatchObject({
      type: 'cluster.updated',
      data: { id, state: 'running', change: { id: change.id, kind: 'endpoint-access' } },
    });
    // The public credential is served now.
    const kubeconfig = await api({
      method: 'GET',
      path: `/v1/clusters/${id}/kubeconfig`,
      query: { privateIp: 'false' },
    });
    expect(kubeconfig.status).toBe(200);

    // Asking for what it already has is a plain 200, no change.
    const same = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}`,
      json: { endpointPublicAccess: true },
    });
    expect(same.status).toBe(200);
  });

  it('returns to running with the failure recorded when ACK fails the task mid-way, and announces cluster.update_failed with the reason', async () => {
    const id = await runningCluster('eip-fail');
    stack.ack.injectFault({
      kind: 'fail-task',
      taskType: 'cluster_modify',
      message: 'no EIP quota',
    });

    const patched = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}`,
      json: { endpointPublicAccess: true },
    });
    expect(patched.status).toBe(202);
    const { change } = jsonOf(patched, accepted);

    const done = await backToRunning(id);
    expect(done.spec.endpointPublicAccess).toBe(false);
    expect(done.endpoints.internet).toBeUndefined();
    const [latest] = (await changesOf(id)).changes;
    expect(latest).toMatchObject({ id: change.id, state: 'failed' });
    expect(latest?.error?.code).toBe('ACK_CHANGE_FAILED');
    expect(latest?.error?.message).toContain('AttachApiServerEip');
    // Our words, not ACK's message copied through.
    expect(latest?.error?.message).not.toContain('no EIP quota');
    expect((await eventsOf(id)).map((event) => event.type)).toContain('change.failed');
    const hook = await hookFor(id, 'cluster.update_failed');
    expect(JSON.parse(hook.body)).toMatchObject({
      data: {
        id,
        state: 'running',
        change: { id: change.id, error: { code: 'ACK_CHANGE_FAILED' } },
      },
    });

    // Not stuck: the next change is accepted and succeeds.
    const retried = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}`,
      json: { endpointPublicAccess: true },
    });
    expect(retried.status).toBe(202);
    expect((await backToRunning(id)).endpoints.internet).toMatch(/^https:\/\//);
  });

  it('revokes the kubeconfigs issued for a cluster: 202, back to running, issuances marked revoked, ACK asked', async () => {
    const id = await runningCluster('revoke');
    const issued = await api({
      method: 'GET',
      path: `/v1/clusters/${id}/kubeconfig`,
      query: { privateIp: 'true' },
    });
    expect(issued.status).toBe(200);
    const revoked = await api({ method: 'POST', path: `/v1/clusters/${id}/kubeconfig:revoke` });
    expect(revoked.status).toBe(202);
    const { change, cluster } = jsonOf(revoked, accepted);
    expect(change.kind).toBe('kubeconfig-revoke');
    expect(cluster.state).toBe('updating');
    await backToRunning(id);
    const [latest] = (await changesOf(id)).changes;
    expect(latest).toMatchObject({ id: change.id, state: 'succeeded', ackTaskId: null });
    const records = await api({ method: 'GET', path: `/v1/clusters/${id}/kubeconfigs` });
    const items = z
      .object({ items: z.array(z.looseObject({ revokedAt: z.string().nullable() })) })
      .loose()
      .parse(JSON.parse(records.body)).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.revokedAt !== null)).toBe(true);
    const clusterId = (await viewOf(id)).clusterId;
    const inAck = stack.ack.listAllClusters().find((c) => c.clusterId === clusterId);
    expect(inAck?.kubeconfigsRevokedAt).toEqual(expect.any(Number));
    await hookFor(id, 'cluster.updated');
  });

  it('upgrades Kubernetes only to a version ACK offers: 400 otherwise, a failed task leaves the version, then 202 → stages → running on the new version', async () => {
    const id = await runningCluster('upgrade', { kubernetesVersion: '1.32.1-aliyun.1' });
    const upgrade = (kubernetesVersion: string) =>
      api({ method: 'POST', path: `/v1/clusters/${id}:upgrade`, json: { kubernetesVersion } });

    // A downgrade and the current version are not upgrades ACK offers: nothing is written.
    for (const version of ['1.31.1-aliyun.1', '1.32.1-aliyun.1']) {
      const refused = await upgrade(version);
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.body)).toMatchObject({ field: 'kubernetesVersion' });
    }
    expect((await viewOf(id)).state).toBe('running');

    stack.ack.injectFault({ kind: 'fail-task', taskType: 'cluster_upgrade', message: 'boom' });
    const failing = await upgrade('1.33.1-aliyun.1');
    expect(failing.status).toBe(202);
    const failed = await backToRunning(id);
    expect(failed.spec.kubernetesVersion).toBe('1.32.1-aliyun.1');
    expect((await changesOf(id)).changes[0]).toMatchObject({
      id: jsonOf(failing, accepted).change.id,
      state: 'failed',
    });
    await hookFor(id, 'cluster.update_failed');

    const started = await upgrade('1.33.1-aliyun.1');
    expect(started.status).toBe(202);
    const { cluster, change } = jsonOf(started, accepted);
    expect(cluster.state).toBe('updating');
    expect(change).toMatchObject({ kind: 'upgrade', state: 'pending' });
    const done = await backToRunning(id);
    expect(done.spec.kubernetesVersion).toBe('1.33.1-aliyun.1');
    expect((await changesOf(id)).changes[0]).toMatchObject({ id: change.id, state: 'succeeded' });
    const stages = (await eventsOf(id)).filter((event) => event.type === 'ack.stage');
    expect(stages.map((event) => event.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('UpgradeControlPlane')]),
    );
    const inAck = stack.ack.listAllClusters().find((c) => c.clusterId === done.clusterId);
    expect(inAck?.kubernetesVersion).toBe('1.33.1-aliyun.1');
  });

  it('refuses a change of a cluster that is not running (409) and a bad value (400 naming the field)', async () => {
    const bad = await api({
      method: 'PATCH',
      path: '/v1/clusters/prv_00000000000000000000000000',
      json: { endpointPublicAccess: 'yes' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('endpointPublicAccess');
    const created = await api({
      method: 'POST',
      path: '/v1/clusters',
      json: { name: 'eip-early', region: 'cn-hangzhou' },
    });
    const { id } = jsonOf(created, clusterView);
    const early = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}`,
      json: { endpointPublicAccess: true },
    });
    if ((await viewOf(id)).state !== 'running') expect(early.status).toBe(409);
  });
});
