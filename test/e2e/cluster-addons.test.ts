import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { LocalStack } from '../../local/stack.js';
import { type ApiCall, type ApiCaller, jsonOf, provisionTenant } from '../support/api-client.js';
import { changeList, changeView, eventList } from '../support/change-shapes.js';
import { type E2eStack, startE2eStack } from '../support/e2e-stack.js';
import { waitFor } from '../support/wait-for.js';
import type { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * A cluster's addons after creation over HTTP on the local stack (issue #17 item 2): the list
 * with what ACK offers, install, upgrade, reconfigure and uninstall, each a 202 that ends in
 * `cluster.updated` with the timeline showing ACK's task stages; a task the emulator fails
 * mid-way gives the cluster back as `running` with the failure and `cluster.update_failed`;
 * refusals name the field and change nothing; another tenant's cluster does not exist.
 */
const clusterView = z.looseObject({
  id: z.string(),
  state: z.string(),
  clusterId: z.string().nullable(),
  spec: z.looseObject({ kubernetesVersion: z.string().optional() }),
});
const accepted = z.object({ cluster: clusterView, change: changeView });
const addonList = z.object({
  id: z.string(),
  kubernetesVersion: z.string(),
  addons: z.array(
    z.object({
      name: z.string(),
      version: z.string().nullable(),
      state: z.string(),
      latestVersion: z.string().nullable(),
      upgradeAvailable: z.boolean(),
    }),
  ),
});
const problem = z.looseObject({
  status: z.number(),
  code: z.string(),
  field: z.string().optional(),
});

const OLD_NGINX = 'v1.10.4-aliyun.1';
const NEW_NGINX = 'v1.11.5-aliyun.1';

describe('local stack: addons after creation', () => {
  let e2e: E2eStack | undefined;
  let stack: LocalStack;
  let receiver: WebhookReceiver;
  let http: ApiCaller;

  const api = (call: Omit<ApiCall, 'key'>) => http({ ...call, key: stack.apiKey });
  const viewOf = async (id: string) =>
    jsonOf(await api({ method: 'GET', path: `/v1/clusters/${id}` }), clusterView);
  const addonsOf = async (id: string) =>
    jsonOf(await api({ method: 'GET', path: `/v1/clusters/${id}/addons` }), addonList);
  const changesOf = async (id: string) =>
    jsonOf(await api({ method: 'GET', path: `/v1/clusters/${id}/changes` }), changeList);
  const eventsOf = async (id: string) =>
    jsonOf(await api({ method: 'GET', path: `/v1/clusters/${id}/events` }), eventList).events;
  const hooksFor = (id: string, type: string) =>
    receiver.received.filter((h) => {
      const event = JSON.parse(h.body);
      return event.type === type && event.data?.id === id;
    });
  const hookFor = (id: string, type: string, changeId: string) =>
    waitFor(`the ${type} webhook of ${changeId}`, async () =>
      hooksFor(id, type).find((h) => JSON.parse(h.body).data?.change?.id === changeId),
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

  /** Starts a change, waits for its end and its webhook; answers the change as it ended. */
  const changed = async (id: string, call: Omit<ApiCall, 'key'>, webhook = 'cluster.updated') => {
    const reply = await api(call);
    expect(reply.status, reply.body).toBe(202);
    const { cluster, change } = jsonOf(reply, accepted);
    expect(cluster.state).toBe('updating');
    await backToRunning(id);
    const hook = await hookFor(id, webhook, change.id);
    expect(new Webhook(stack.webhookSecret).verify(hook.body, hook.headers)).toMatchObject({
      type: webhook,
      data: { id, state: 'running', change: { id: change.id, kind: change.kind } },
    });
    const ended = (await changesOf(id)).changes.find((entry) => entry.id === change.id);
    return ended ?? change;
  };

  const stageMessages = async (id: string) =>
    (await eventsOf(id))
      .filter((event) => event.type === 'ack.stage' && event.state === 'updating')
      .map((event) => event.message);

  beforeAll(async () => {
    e2e = await startE2eStack('askp-addons-');
    ({ stack, receiver, http } = e2e);
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  it('lists the installed addons, installs one (202, stages, cluster.updated), then uninstalls it', async () => {
    const id = await runningCluster('addons-install');
    const before = await addonsOf(id);
    expect(before.addons.map((addon) => addon.name)).toEqual(['coredns']);
    expect(before.addons[0]).toMatchObject({ state: 'active', upgradeAvailable: false });

    const install = {
      method: 'POST',
      path: `/v1/clusters/${id}/addons`,
      json: { name: 'metrics-server' },
    } as const;
    const installed = await changed(id, install);
    expect(installed).toMatchObject({ kind: 'addon-install', state: 'succeeded', error: null });
    expect(installed.ackTaskId).toMatch(/^T-/);
    expect(await stageMessages(id)).toEqual(
      expect.arrayContaining([expect.stringContaining('InstallAddons')]),
    );
    expect((await addonsOf(id)).addons).toContainEqual({
      name: 'metrics-server',
      version: 'v0.3.9.7-aliyun',
      state: 'active',
      latestVersion: 'v0.3.9.7-aliyun',
      upgradeAvailable: false,
    });
    // Installed now: asking again is a conflict naming the addon.
    const again = await api(install);
    expect(again.status).toBe(409);
    expect(jsonOf(again, problem)).toMatchObject({ code: 'CONFLICT', field: 'name' });

    const removed = await changed(id, {
      method: 'DELETE',
      path: `/v1/clusters/${id}/addons/metrics-server`,
    });
    expect(removed).toMatchObject({ kind: 'addon-uninstall', state: 'succeeded' });
    expect(await stageMessages(id)).toEqual(
      expect.arrayContaining([expect.stringContaining('UninstallAddons')]),
    );
    expect((await addonsOf(id)).addons.map((addon) => addon.name)).toEqual(['coredns']);
    const gone = await api({ method: 'DELETE', path: `/v1/clusters/${id}/addons/metrics-server` });
    expect(gone.status).toBe(409);
  });

  it('upgrades an addon the catalog offers newer after a Kubernetes upgrade, and reconfigures it', async () => {
    const id = await runningCluster('addons-upgrade', {
      kubernetesVersion: '1.32.1-aliyun.1',
      addons: [{ name: 'nginx-ingress-controller' }],
    });
    const nginx = async () =>
      (await addonsOf(id)).addons.find((addon) => addon.name === 'nginx-ingress-controller');
    expect(await nginx()).toMatchObject({ version: OLD_NGINX, upgradeAvailable: false });
    // On 1.32 nothing newer is offered: a version the catalog does not offer is refused.
    const early = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}/addons/nginx-ingress-controller`,
      json: { version: NEW_NGINX },
    });
    expect(early.status).toBe(400);
    expect(jsonOf(early, problem).field).toBe('version');

    await changed(id, {
      method: 'POST',
      path: `/v1/clusters/${id}:upgrade`,
      json: { kubernetesVersion: '1.33.1-aliyun.1' },
    });
    expect((await addonsOf(id)).kubernetesVersion).toBe('1.33.1-aliyun.1');
    expect(await nginx()).toMatchObject({
      version: OLD_NGINX,
      latestVersion: NEW_NGINX,
      upgradeAvailable: true,
    });

    const upgraded = await changed(id, {
      method: 'PATCH',
      path: `/v1/clusters/${id}/addons/nginx-ingress-controller`,
      json: { version: NEW_NGINX },
    });
    expect(upgraded).toMatchObject({ kind: 'addon-upgrade', state: 'succeeded' });
    expect(await stageMessages(id)).toEqual(
      expect.arrayContaining([expect.stringContaining('UpgradeAddons')]),
    );
    expect(await nginx()).toMatchObject({ version: NEW_NGINX, upgradeAvailable: false });

    // The version it has, without a config, changes nothing.
    const same = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}/addons/nginx-ingress-controller`,
      json: { version: NEW_NGINX },
    });
    expect(same.status).toBe(200);

    const config = { IngressSlbNetworkType: 'intranet' };
    const reconfigured = await changed(id, {
      method: 'PATCH',
      path: `/v1/clusters/${id}/addons/nginx-ingress-controller`,
      json: { config },
    });
    expect(reconfigured).toMatchObject({
      kind: 'addon-config',
      state: 'succeeded',
      ackTaskId: null,
    });
    const clusterId = (await viewOf(id)).clusterId;
    const inAck = stack.ack.listAllClusters().find((c) => c.clusterId === clusterId);
    expect(inAck?.addons.find((addon) => addon.name === 'nginx-ingress-controller')).toMatchObject({
      version: NEW_NGINX,
      config: JSON.stringify(config),
    });
  });

  it('gives the cluster back as running with the failure recorded when ACK fails an addon task mid-way', async () => {
    const id = await runningCluster('addons-fail');
    stack.ack.injectFault({ kind: 'fail-task', taskType: 'addon_install', message: 'no quota' });
    const failed = await changed(
      id,
      { method: 'POST', path: `/v1/clusters/${id}/addons`, json: { name: 'metrics-server' } },
      'cluster.update_failed',
    );
    expect(failed).toMatchObject({ kind: 'addon-install', state: 'failed' });
    expect(failed.error?.code).toBe('ACK_CHANGE_FAILED');
    expect(failed.error?.message).toContain('PreCheck');
    expect(failed.error?.message).not.toContain('no quota');
    expect((await eventsOf(id)).map((event) => event.type)).toContain('change.failed');
    expect((await addonsOf(id)).addons.map((addon) => addon.name)).toEqual(['coredns']);

    // Not stuck: the same install is accepted again and succeeds.
    const retried = await changed(id, {
      method: 'POST',
      path: `/v1/clusters/${id}/addons`,
      json: { name: 'metrics-server' },
    });
    expect(retried.state).toBe('succeeded');
  });

  it('refuses what the policy or ACK would not take, naming the field, and changes nothing', async () => {
    const id = await runningCluster('addons-refused');
    const install = (json: object) =>
      api({ method: 'POST', path: `/v1/clusters/${id}/addons`, json });
    const cases: [object, number, string][] = [
      [{ name: 'no-such-addon' }, 400, 'name'], // outside ASKP_ADDON_ALLOW_LIST
      [{ name: 'metrics-server', version: 'v0.0.1' }, 400, 'version'], // not the catalog's
      [{ name: 'nginx-ingress-controller', config: { Nope: 'x' } }, 400, 'config'],
      [{ name: 'coredns' }, 409, 'name'], // installed
    ];
    for (const [json, status, field] of cases) {
      const reply = await install(json);
      expect(reply.status, reply.body).toBe(status);
      expect(reply.headers['content-type']).toContain('application/problem+json');
      expect(jsonOf(reply, problem).field).toBe(field);
    }
    const notInstalled = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}/addons/metrics-server`,
      json: { version: 'v0.3.9.7-aliyun' },
    });
    expect(notInstalled.status).toBe(409);
    expect(jsonOf(notInstalled, problem).field).toBe('name');
    const empty = await api({
      method: 'PATCH',
      path: `/v1/clusters/${id}/addons/coredns`,
      json: {},
    });
    expect(empty.status).toBe(400);
    expect((await viewOf(id)).state).toBe('running');
    expect((await changesOf(id)).changes).toEqual([]);
  });

  it("answers 404 for another tenant's cluster, whatever the addon call", async () => {
    const id = await runningCluster('addons-mine');
    const other = await provisionTenant(http, stack.apiKey, {
      name: 'addons-other',
      keys: { rw: ['clusters:read', 'clusters:write'] },
    });
    const key = other.keys.rw ?? '';
    const calls: Omit<ApiCall, 'key'>[] = [
      { method: 'GET', path: `/v1/clusters/${id}/addons` },
      { method: 'POST', path: `/v1/clusters/${id}/addons`, json: { name: 'metrics-server' } },
      { method: 'PATCH', path: `/v1/clusters/${id}/addons/coredns`, json: { config: {} } },
      { method: 'DELETE', path: `/v1/clusters/${id}/addons/coredns` },
    ];
    for (const call of calls) {
      const reply = await http({ ...call, key });
      expect(reply.status, `${call.method} ${call.path}`).toBe(404);
    }
    expect((await addonsOf(id)).addons.map((addon) => addon.name)).toEqual(['coredns']);
  });
});
