import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from './harness.js';
import { assertPipelineInvariants } from './invariants.js';

/**
 * The caller's receiver is down for a simulated day: deliveries follow the retry schedule, every
 * attempt is recorded, and once it is back every event arrives, signed, exactly once per event id.
 */
describe('reliability: a webhook receiver down for a day', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await Harness.start();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('delivers every event after the receiver comes back, with every failed attempt recorded', async () => {
    harness.receiver.status = 503;
    const downSince = Date.now();
    const ids: string[] = [];
    for (const [i, tenant] of harness.tenants.entries()) {
      const response = await harness.api(tenant, 'POST', '/v1/clusters', {
        name: `outage-${i}`,
        region: 'cn-shanghai',
        webhook: { url: harness.receiver.url },
      });
      ids.push((JSON.parse(response.body) as { id: string }).id);
    }
    // A day passes with the receiver refusing everything.
    while (Date.now() - downSince < 24 * 3_600_000) {
      while ((await harness.runWorker()) !== 'empty') {
        // drain
      }
      await harness.runPoller();
      const next = await harness.nextDeliveryAt();
      harness.advance(next === undefined ? 31_000 : Math.max(31_000, next - Date.now() + 1000));
    }
    const failedAttempts = harness.receiver.received.length;
    expect(failedAttempts).toBeGreaterThan(ids.length * 5);
    for (const id of ids) {
      const deliveries = await harness.store.listDeliveries({ provisionId: id });
      expect(deliveries.every((d) => d.deliveredAt === null && d.lastStatus === 503)).toBe(true);
      expect(deliveries.every((d) => d.attempts >= 6)).toBe(true);
    }

    harness.receiver.status = 204;
    await harness.settle({ settled: ['running'] });
    await assertPipelineInvariants(harness, ['running']);
    const delivered = new Set(
      harness.receiver.received
        .filter((hook) => hook.verifiedAs !== null)
        .map((hook) => hook.headers['webhook-id']),
    );
    for (const id of ids) {
      for (const delivery of await harness.store.listDeliveries({ provisionId: id })) {
        expect(delivered.has(delivery.id)).toBe(true);
      }
    }
  });
});
