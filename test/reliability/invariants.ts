import { expect } from 'vitest';
import { TAG_PROVISION_ID } from '../../shared/domain/cluster-name.js';
import { webhookTypeForState } from '../../shared/domain/webhook-event.js';
import type { ReceivedWebhook } from '../support/webhook-receiver.js';
import type { Harness } from './harness.js';

/**
 * What "never loses or duplicates a cluster" means, checked after a run has settled:
 * - every accepted request reached a settled state;
 * - at most one live ACK cluster per provision, the one the row names, and no orphan;
 * - exactly one webhook event id per announced transition, for the provision's own tenant;
 * - every event delivered, each attempt verified on arrival by the public standardwebhooks library
 *   with the provision tenant's secret (and no other tenant's);
 * - the outbox is empty.
 */
const assertPipelineInvariants = async (
  harness: Harness,
  settled: readonly string[],
): Promise<void> => {
  const provisions = await harness.provisions();
  expect(provisions.length).toBeGreaterThan(0);
  const byId = new Map(provisions.map((p) => [p.id, p]));

  for (const provision of provisions)
    expect(settled, `${provision.id} is ${provision.state}`).toContain(provision.state);

  // Clusters, as ACK (the emulator) knows them.
  const live = harness.ack.listAllClusters().filter((c) => c.state !== 'deleted');
  const perProvision = new Map<string, string[]>();
  for (const cluster of live) {
    const owner = cluster.tags.find((tag) => tag.key === TAG_PROVISION_ID)?.value;
    expect(owner, `cluster ${cluster.clusterId} carries our tag`).toBeDefined();
    if (!owner) continue;
    expect(byId.has(owner), `cluster ${cluster.clusterId} is not an orphan`).toBe(true);
    perProvision.set(owner, [...(perProvision.get(owner) ?? []), cluster.clusterId]);
  }
  for (const [provisionId, clusterIds] of perProvision) {
    expect(clusterIds, `one cluster for ${provisionId}`).toHaveLength(1);
    expect(byId.get(provisionId)?.clusterId).toBe(clusterIds[0]);
  }
  for (const provision of provisions.filter((p) => p.state === 'running')) {
    expect(perProvision.get(provision.id), `${provision.id} has its cluster`).toHaveLength(1);
  }

  // Webhooks: one event id per announced transition, each delivered and verifiable.
  const received = new Map<string, ReceivedWebhook[]>();
  for (const hook of harness.receiver.received) {
    const id = hook.headers['webhook-id'] ?? '';
    received.set(id, [...(received.get(id) ?? []), hook]);
  }
  for (const provision of provisions) {
    const deliveries = await harness.store.listDeliveries({ provisionId: provision.id });
    const events = await harness.store.listEvents({ provisionId: provision.id, limit: 10_000 });
    const announced = new Set(
      events
        .filter((e) => e.type !== 'provision.accepted')
        .map((e) => webhookTypeForState(e.state)),
    );
    for (const type of announced) {
      if (!type) continue;
      const ofType = deliveries.filter((d) => d.eventType === type);
      // A state may be entered twice only through different transitions; ours never repeat one.
      // One event may go to several targets (the request's URL, endpoints): one row each, one id.
      expect(ofType.length, `${provision.id}: a ${type} delivery`).toBeGreaterThan(0);
      const eventIds = new Set(ofType.map((d) => d.eventId));
      expect(eventIds.size, `${provision.id}: one ${type} event`).toBe(1);
      const targets = ofType.map((d) => d.endpointId ?? d.url);
      expect(new Set(targets).size, `${provision.id}: one ${type} row per target`).toBe(
        targets.length,
      );
    }
    for (const delivery of deliveries) {
      expect(delivery.tenantId, 'webhooks go to the provision tenant').toBe(provision.tenantId);
      if (delivery.endpointId !== null) {
        const endpoint = await harness.store.getWebhookEndpoint({ id: delivery.endpointId });
        expect(endpoint?.tenantId, 'an event goes only to its tenant’s endpoints').toBe(
          provision.tenantId,
        );
      }
      expect(delivery.deliveredAt, `${delivery.id} delivered`).not.toBeNull();
      const attempts = received.get(delivery.eventId) ?? [];
      expect(attempts.length, `${delivery.id} reached the receiver`).toBeGreaterThan(0);
      // Exactly one accepted receipt per event id per target: every target of an event is a row
      // with that event id, and each row was accepted (2xx) once, never sent again after.
      const rows = deliveries.filter((d) => d.eventId === delivery.eventId).length;
      const accepted = attempts.filter((a) => a.status >= 200 && a.status < 300).length;
      expect(accepted, `${delivery.eventId}: one accepted receipt per target`).toBe(rows);
      for (const attempt of attempts) {
        expect(attempt.verifiedAs, `${delivery.id} verifies with its tenant's secret only`).toBe(
          provision.tenantId,
        );
      }
    }
  }

  const unsent = await harness.store.listUnsentOutbox({
    before: new Date(Date.now() + 86_400_000),
    limit: 100,
  });
  expect(unsent, 'outbox drained').toEqual([]);
};

export { assertPipelineInvariants };
