import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

/**
 * Every state change a caller can see is announced by webhook, written in the transaction of the
 * change (an outbox): here the one that had no event type before, `cluster.cancelled`, for a
 * provision deleted before its cluster was created.
 */

describe('state announcements', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await Harness.start();
  });

  afterEach(async () => {
    await harness?.close();
  });

  it('a provision cancelled before its cluster was created is announced as a signed cluster.cancelled', async () => {
    const tenant = harness.tenants[0];
    if (!tenant) throw new Error('the harness has no tenant');
    const created = await harness.api(tenant, 'POST', '/v1/clusters', {
      name: 'never-mind',
      region: 'cn-hangzhou',
      webhook: { url: harness.receiver.url },
    });
    expect(created.statusCode).toBe(202);
    const { id } = JSON.parse(created.body) as { id: string };
    // No worker has run: the provision is still accepted, so DELETE cancels it.
    const cancelled = await harness.api(tenant, 'DELETE', `/v1/clusters/${id}`);
    expect(JSON.parse(cancelled.body)).toMatchObject({ id, state: 'cancelled' });
    // The delivery row was written with the transition, before any send.
    const rows = await harness.store.listDeliveries({ provisionId: id });
    expect(rows.map((row) => row.eventType)).toEqual(['cluster.cancelled']);

    await harness.settle({ settled: ['cancelled'] });
    const hooks = harness.receiver.received.map((hook) => ({
      verifiedAs: hook.verifiedAs,
      payload: JSON.parse(hook.body) as { type: string; data: { id: string; state: string } },
    }));
    expect(hooks).toEqual([
      {
        verifiedAs: tenant.id,
        payload: expect.objectContaining({
          type: 'cluster.cancelled',
          data: expect.objectContaining({ id, state: 'cancelled' }),
        }),
      },
    ]);
    // The worker's job for it found nothing to do: no cluster was made.
    expect(harness.ack.stats().CreateCluster ?? 0).toBe(0);
  });
});
