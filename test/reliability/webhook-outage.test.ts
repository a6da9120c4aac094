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
    // One endpoint per tenant on the same receiver too: every event goes out twice, one id.
    harness = await Harness.start({ endpointPerTenant: true });
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
      // Per event: the request's URL and the tenant's endpoint, two rows with one event id.
      for (const type of new Set(deliveries.map((d) => d.eventType))) {
        const ofType = deliveries.filter((d) => d.eventType === type);
        expect(ofType.map((d) => d.endpointId === null).sort()).toEqual([false, true]);
        expect(new Set(ofType.map((d) => d.eventId)).size).toBe(1);
      }
      const [first] = deliveries;
      const log = await harness.store.listDeliveryAttempts({ deliveryIds: [first?.id ?? ''] });
      expect(log.length).toBe(first?.attempts);
      expect(log.every((attempt) => attempt.status === 503 && attempt.outcome === 'retry')).toBe(
        true,
      );
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
        expect(delivered.has(delivery.eventId)).toBe(true);
      }
    }
  });
});
