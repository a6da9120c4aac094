import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { commitTransition } from '../../shared/provisioning/commit-transition.js';
import { circuitAfterAttempt } from '../../shared/webhooks/circuit-breaker.js';
import { DEFAULT_FAIRNESS } from '../../shared/webhooks/deliver-webhooks.js';
import { type ApiCaller, jsonOf, problemOf, provisionTenant } from '../support/api-client.js';
import { type ApiStack, startApiStack } from '../support/api-stack.js';

/**
 * Fair delivery as two tenants see it over HTTP: redelivery is limited per tenant (one tenant
 * using up its allowance leaves the other's whole), and an endpoint shows its circuit breaker —
 * one tenant's open circuit is not another's, even at the same URL. The stack's poller is off;
 * failures are recorded through the store's circuit port as the delivery step records them.
 */
const circuitShape = z.object({
  state: z.enum(['closed', 'open', 'half-open']),
  failures: z.number(),
  openedAt: z.string().nullable(),
  retryAt: z.string().nullable(),
});
const endpointShape = z.looseObject({ id: z.string(), circuit: circuitShape });
const deliveryShape = z.looseObject({ id: z.string(), series: z.number() });

describe('fair webhook delivery between two tenants', () => {
  let env: ApiStack;
  let api: ApiCaller;
  const keys = { a: '', b: '' };
  const tenants = { a: '', b: '' };

  beforeAll(async () => {
    env = await startApiStack({
      ASKP_RATE_LIMIT_PER_SECOND: '10000',
      ASKP_RATE_LIMIT_BURST: '10000',
      ASKP_WEBHOOK_REDELIVER_BURST: '2',
      ASKP_WEBHOOK_REDELIVER_PER_MINUTE: '1',
    });
    api = env.api;
    for (const name of ['a', 'b'] as const) {
      const tenant = await provisionTenant(api, env.adminKey, {
        name: `fair-${name}`,
        keys: { all: ['clusters:read', 'clusters:write'] },
      });
      tenants[name] = tenant.id;
      keys[name] = tenant.keys.all ?? '';
    }
  });

  afterAll(async () => {
    await env?.stop();
  });

  const endpointOf = async (tenant: 'a' | 'b') =>
    jsonOf(
      await api({
        method: 'POST',
        path: '/v1/webhooks/endpoints',
        key: keys[tenant],
        json: { url: 'https://hooks.example.com/shared' },
      }),
      endpointShape,
    );

  /** One delivery of the tenant's (a cluster moved to provisioning fans out to its endpoint). */
  const deliveryOf = async (tenant: 'a' | 'b') => {
    const provision = await env.insertAccepted(tenants[tenant]);
    const moved = await commitTransition(env.stack.store, provision, 'provisioning', {
      reason: 'test.provisioning',
      message: 'moved by the test',
      now: new Date(),
    });
    if (!moved) throw new Error('stale');
    const [row] = await env.stack.store.listDeliveries({ provisionId: moved.id });
    if (!row) throw new Error('no delivery');
    return row;
  };

  it("limits redelivery per tenant: A's loop gets 429 with Retry-After, B's still queues", async () => {
    await endpointOf('a');
    await endpointOf('b');
    const rowA = await deliveryOf('a');
    const rowB = await deliveryOf('b');
    const again = (tenant: 'a' | 'b', id: string) =>
      api({
        method: 'POST',
        path: `/v1/webhooks/deliveries/${id}/redeliver`,
        key: keys[tenant],
      });
    for (const series of [2, 3]) {
      const queued = await again('a', rowA.id);
      expect(queued.status, queued.body).toBe(202);
      expect(jsonOf(queued, deliveryShape).series).toBe(series);
    }
    const refused = await again('a', rowA.id);
    expect(refused.status, refused.body).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(problemOf(refused).code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Nothing was queued by the refused one.
    expect((await env.stack.store.getDelivery({ id: rowA.id, tenantId: tenants.a }))?.series).toBe(
      3,
    );
    const other = await again('b', rowB.id);
    expect(other.status, other.body).toBe(202);
  });

  it("shows an endpoint's circuit; A's open circuit leaves B's endpoint at the same URL closed; a new URL closes it", async () => {
    const a = await endpointOf('a');
    const b = await endpointOf('b');
    expect(a.circuit).toEqual({ state: 'closed', failures: 0, openedAt: null, retryAt: null });
    const at = new Date();
    for (let i = 0; i < DEFAULT_FAIRNESS.breaker.failureThreshold; i += 1) {
      await env.stack.store.updateWebhookCircuit({
        tenantId: tenants.a,
        target: a.id,
        at,
        update: (current) =>
          circuitAfterAttempt(
            current,
            { tenantId: tenants.a, target: a.id, ok: false, at },
            DEFAULT_FAIRNESS.breaker,
          ),
      });
    }
    const seen = jsonOf(
      await api({ method: 'GET', path: `/v1/webhooks/endpoints/${a.id}`, key: keys.a }),
      endpointShape,
    );
    expect(seen.circuit).toMatchObject({
      state: 'open',
      failures: DEFAULT_FAIRNESS.breaker.failureThreshold,
      openedAt: at.toISOString(),
      retryAt: new Date(at.getTime() + DEFAULT_FAIRNESS.breaker.cooldownMs).toISOString(),
    });
    const listed = jsonOf(
      await api({ method: 'GET', path: '/v1/webhooks/endpoints', key: keys.b }),
      z.object({ items: z.array(endpointShape) }),
    );
    expect(listed.items.find((item) => item.id === b.id)?.circuit.state).toBe('closed');
    expect(listed.items.some((item) => item.id === a.id)).toBe(false);

    // A new URL is a new receiver: its circuit starts closed.
    const moved = jsonOf(
      await api({
        method: 'PATCH',
        path: `/v1/webhooks/endpoints/${a.id}`,
        key: keys.a,
        json: { url: 'https://hooks.example.com/moved' },
      }),
      endpointShape,
    );
    expect(moved.circuit).toEqual({ state: 'closed', failures: 0, openedAt: null, retryAt: null });
  });
});
