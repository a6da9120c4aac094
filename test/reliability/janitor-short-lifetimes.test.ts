import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JanitorWorld } from './janitor-harness.js';

/**
 * A lifetime shorter than the notice period (ASKP_JANITOR_WARN_SECONDS, 1 h by default) is
 * honoured, not stretched to it: `cluster.expiring` goes out at acceptance (or with the PATCH that
 * sets the short expiry) with the deletion at `expiresAt`, `GET` shows that `deleteAt`, and the
 * janitor on its 15-minute timer deletes the cluster on its first run at or after `expiresAt`.
 * Everything runs on the tests' faked clock, through the api function's HTTP handler.
 */

const MIN = 60_000;
/** The janitor's timer (s.yaml: every 15 minutes). */
const JANITOR_INTERVAL = 15 * MIN;

interface ClusterBody {
  id: string;
  state: string;
  expiresAt: string | null;
  deleteAt?: string | null;
  createdAt: string;
}

describe('short lifetimes', () => {
  let world: JanitorWorld;

  beforeEach(async () => {
    world = await JanitorWorld.start();
  });

  afterEach(async () => {
    await world?.close();
  });

  const tenant = () => {
    const first = world.harness.tenants[0];
    if (!first) throw new Error('the harness has no tenant');
    return first;
  };

  const getCluster = async (id: string): Promise<ClusterBody> => {
    const reply = await world.harness.api(tenant(), 'GET', `/v1/clusters/${id}`);
    expect(reply.statusCode).toBe(200);
    return JSON.parse(reply.body) as ClusterBody;
  };

  /**
   * Runs the janitor on its 15-minute grid (first tick `phase` after `from`) until it deletes
   * the cluster; returns when that run was.
   */
  const runTimerUntilDeleted = async (from: number, phase: number): Promise<number> => {
    for (let tick = from + phase; tick < from + 8 * JANITOR_INTERVAL; tick += JANITOR_INTERVAL) {
      world.advanceTo(new Date(tick));
      const summary = await world.runJanitor();
      if ('deleted' in summary && summary.deleted > 0) return tick;
    }
    throw new Error('the janitor never deleted the cluster');
  };

  it('a 15m ttl is warned at acceptance with deleteAt = expiresAt, shown by GET, and deleted within one janitor interval after expiresAt', async () => {
    const reply = await world.harness.api(tenant(), 'POST', '/v1/clusters', {
      name: 'short',
      region: 'cn-hangzhou',
      ttl: '15m',
      webhook: { url: world.harness.receiver.url },
    });
    expect(reply.statusCode).toBe(202);
    const { id } = JSON.parse(reply.body) as ClusterBody;
    const acceptedAt = Date.now();
    await world.settle();

    const cluster = await getCluster(id);
    expect(cluster.state).toBe('running');
    const expiresAt = new Date(cluster.expiresAt ?? '');
    expect(expiresAt.getTime() - new Date(cluster.createdAt).getTime()).toBe(15 * MIN);
    // The janitor's plan is visible at once: the lifetime asked for, not an hour's notice.
    expect(cluster.deleteAt).toBe(expiresAt.toISOString());

    // Warned at acceptance: the notice is the whole (short) lifetime.
    const hooks = world.expiringWebhooks();
    expect(hooks).toHaveLength(1);
    expect(hooks[0]?.verifiedAs).toBe(tenant().id);
    expect(hooks[0]?.payload).toMatchObject({
      timestamp: cluster.createdAt,
      data: { id, reason: 'ttl', deleteAt: expiresAt.toISOString() },
    });

    // The timer ticks 7 minutes after acceptance and every 15 minutes after that: the first
    // tick at or after expiresAt deletes it (22 minutes after acceptance, 7 after expiresAt).
    const deletedAt = await runTimerUntilDeleted(acceptedAt, 7 * MIN);
    expect(deletedAt).toBeGreaterThanOrEqual(expiresAt.getTime());
    expect(deletedAt - expiresAt.getTime()).toBeLessThanOrEqual(JANITOR_INTERVAL);
    await world.settle();
    expect((await getCluster(id)).state).toBe('deleted');
    expect((await getCluster(id)).deleteAt).toBeNull();
    expect(world.deleteClusterCalls()).toBe(1);
    // One warning only: the janitor did not warn again when the cluster became running.
    expect(world.expiringWebhooks()).toHaveLength(1);
  });

  it('the janitor running exactly at expiresAt deletes then, not an interval later', async () => {
    const created = await world.createRunning({ name: 'exact', ttl: '15m' });
    const expiresAt = created.expiresAt;
    if (expiresAt === null) throw new Error('a ttl sets expiresAt');
    world.advanceTo(new Date(expiresAt.getTime() - 1000));
    expect(await world.runJanitor()).toMatchObject({ warned: 0, deleted: 0 });
    world.advanceTo(expiresAt);
    expect(await world.runJanitor()).toMatchObject({ warned: 0, deleted: 1 });
    await world.settle();
    expect((await world.provision(created.id)).state).toBe('deleted');
  });

  it('a PATCH to a short ttl warns at once (deleteAt = the new expiresAt) and the janitor deletes at it', async () => {
    const created = await world.createRunning({ name: 'shortened', ttl: '6h' });
    expect((await getCluster(created.id)).deleteAt).toBeNull();
    const patched = await world.harness.api(tenant(), 'PATCH', `/v1/clusters/${created.id}`, {
      ttl: '20m',
    });
    expect(patched.statusCode).toBe(200);
    const { expiresAt } = JSON.parse(patched.body) as ClusterBody;
    const cluster = await getCluster(created.id);
    expect(cluster.deleteAt).toBe(expiresAt);
    await world.settle();
    expect(world.expiringWebhooks().map((hook) => hook.payload.data.deleteAt)).toEqual([expiresAt]);

    const deletedAt = await runTimerUntilDeleted(Date.now(), 4 * MIN);
    const expiry = new Date(expiresAt ?? '').getTime();
    expect(deletedAt).toBeGreaterThanOrEqual(expiry);
    expect(deletedAt - expiry).toBeLessThanOrEqual(JANITOR_INTERVAL);
  });

  it('a PATCH that lengthens a short ttl calls the announced deletion off (cluster.expiry_cancelled) and GET shows none', async () => {
    const created = await world.createRunning({ name: 'reprieve', ttl: '30m' });
    const warnedFor = (await getCluster(created.id)).deleteAt;
    expect(warnedFor).toBe(created.expiresAt?.toISOString());

    const patched = await world.harness.api(tenant(), 'PATCH', `/v1/clusters/${created.id}`, {
      ttl: '5h',
    });
    expect(patched.statusCode).toBe(200);
    expect((await getCluster(created.id)).deleteAt).toBeNull();
    await world.settle();
    expect(world.webhooksOfType('cluster.expiry_cancelled')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ id: created.id, reason: 'ttl', deleteAt: warnedFor }),
      }),
    ]);

    // The old deletion time passes: nothing happens.
    world.advanceTo(new Date(new Date(warnedFor ?? '').getTime() + MIN));
    expect(await world.runJanitor()).toMatchObject({ warned: 0, deleted: 0, cancelled: 0 });
    expect(world.deleteClusterCalls()).toBe(0);
  });
});

/**
 * A lifetime that ends while ACK is still creating the cluster: the janitor leaves a cluster
 * being created alone, so the deletion happens on the poller tick that sees it running — not on
 * the janitor's next 15-minute run — with the janitor's own checks (announced, not protected,
 * ours in ACK).
 */
describe('a short lifetime that ends while the cluster is still being created', () => {
  let world: JanitorWorld;

  beforeEach(async () => {
    // ACK takes 25 minutes to create a cluster here: longer than a 15m ttl.
    world = await JanitorWorld.start({ createSeconds: 25 * 60 });
  });

  afterEach(async () => {
    await world?.close();
  });

  const tenant = () => {
    const first = world.harness.tenants[0];
    if (!first) throw new Error('the harness has no tenant');
    return first;
  };

  const accept = async (fields: object): Promise<string> => {
    const reply = await world.harness.api(tenant(), 'POST', '/v1/clusters', {
      region: 'cn-hangzhou',
      ttl: '15m',
      webhook: { url: world.harness.receiver.url },
      ...fields,
    });
    expect(reply.statusCode).toBe(202);
    return (JSON.parse(reply.body) as ClusterBody).id;
  };

  /** Worker and poller, a tick a minute, until the provision has left `provisioning`. */
  const tickUntilCreated = async (id: string): Promise<string[]> => {
    const seen: string[] = [];
    for (let minute = 0; minute < 60; minute += 1) {
      while ((await world.harness.runWorker()) !== 'empty') {
        // drain what is visible now
      }
      await world.harness.runPoller();
      const state = (await world.provision(id)).state;
      seen.push(state);
      if (state !== 'accepted' && state !== 'provisioning') return seen;
      world.advance(MIN);
    }
    throw new Error(`${id} was never created`);
  };

  it('is deleted on the poller tick that sees it running, not on the next janitor run', async () => {
    const id = await accept({ name: 'slow' });
    const expiresAt = (await world.provision(id)).expiresAt;
    if (expiresAt === null) throw new Error('a ttl sets expiresAt');

    // Past expiresAt, still being created: the janitor does not touch it.
    while ((await world.harness.runWorker()) !== 'empty') {
      // the create job: CreateCluster
    }
    world.advanceTo(new Date(expiresAt.getTime() + MIN));
    expect((await world.provision(id)).state).toBe('provisioning');
    expect(await world.runJanitor()).toMatchObject({ deleted: 0 });

    const states = await tickUntilCreated(id);
    // The tick that saw it running started its deletion: no janitor run in between.
    expect(states.at(-1)).toBe('deleting');
    expect(states).not.toContain('running');
    // The janitor's deletion (its event), right after ACK's `running`.
    const types = await world.eventTypes(id);
    expect(types.slice(-2)).toEqual(['ack.running', 'janitor.deleting']);
    await world.settle();
    expect((await world.provision(id)).state).toBe('deleted');
    expect(world.deleteClusterCalls()).toBe(1);
    // Announced once, at acceptance, for the lifetime asked for.
    expect(world.expiringWebhooks().map((hook) => hook.payload.data.deleteAt)).toEqual([
      expiresAt.toISOString(),
    ]);
  });

  it('is kept when deletion protection was turned on while it was being created', async () => {
    const id = await accept({ name: 'kept' });
    const patched = await world.harness.api(tenant(), 'PATCH', `/v1/clusters/${id}`, {
      deletionProtection: true,
    });
    expect(patched.statusCode).toBe(200);
    const expiresAt = (await world.provision(id)).expiresAt;
    if (expiresAt === null) throw new Error('a ttl sets expiresAt');
    world.advanceTo(new Date(expiresAt.getTime() + MIN));

    const states = await tickUntilCreated(id);
    expect(states.at(-1)).toBe('running');
    expect(await world.runJanitor()).toMatchObject({ deleted: 0 });
    expect(world.deleteClusterCalls()).toBe(0);
  });
});
