import { describe, expect, it } from 'vitest';
import type { WebhookCircuit } from '../../shared/store/webhook-circuit.port.js';
import {
  type BreakerSettings,
  circuitAfterAttempt,
  circuitState,
  cooldownFor,
} from '../../shared/webhooks/circuit-breaker.js';
import { deliveryTarget } from '../../shared/webhooks/delivery-target.js';
import { type ClaimCandidate, planClaims } from '../../shared/webhooks/fair-claims.js';

const NOW = new Date('2026-12-02T00:00:00Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const BREAKER: BreakerSettings = {
  failureThreshold: 3,
  cooldownMs: 60_000,
  maxCooldownMs: 240_000,
};

const candidate = (id: string, tenantId: string, endpointId: string | null = null) => ({
  id,
  tenantId,
  endpointId,
  url: 'https://hooks.example.com/in',
});

const circuit = (over: Partial<WebhookCircuit>): WebhookCircuit => ({
  tenantId: 'a',
  target: 'whe_a',
  failures: 3,
  openedAt: at(-10),
  retryAt: at(50),
  opens: 1,
  probeUntil: null,
  ...over,
});

const limits = { slots: 16, perTenant: 8, perTarget: 4 };
const noneInFlight = { inFlight: [], circuits: [] };

describe('fair claims: which due deliveries a sender takes', () => {
  it('gives a tenant no more than its cap, so the other tenant still gets lanes', () => {
    // Tenant a's 16 endpoints come first (they were due first); b's one delivery comes last.
    const candidates: ClaimCandidate[] = [
      ...Array.from({ length: 16 }, (_, i) => candidate(`a${i}`, 'a', `whe_a${i}`)),
      candidate('b0', 'b', 'whe_b'),
    ];
    const plan = planClaims({
      candidates,
      view: noneInFlight,
      limits: { slots: 8, perTenant: 4, perTarget: 2 },
      now: NOW,
    });
    expect(plan.claim).toEqual(['a0', 'a1', 'a2', 'a3', 'b0']);
  });

  it("counts other senders' claims in flight against the tenant's and the target's caps", () => {
    const inFlight = [
      ...Array.from({ length: 3 }, () => ({ tenantId: 'a', endpointId: 'whe_x', url: 'u' })),
      { tenantId: 'a', endpointId: 'whe_y', url: 'u' },
    ];
    const plan = planClaims({
      candidates: [
        candidate('1', 'a', 'whe_x'),
        candidate('2', 'a', 'whe_y'),
        candidate('3', 'a', 'whe_z'),
        candidate('4', 'b', 'whe_x'),
      ],
      view: { inFlight, circuits: [] },
      limits: { slots: 8, perTenant: 5, perTarget: 3 },
      now: NOW,
    });
    // whe_x of tenant a is full (3); a has one place left (4 of 5); b's whe_x is another target.
    expect(plan.claim).toEqual(['2', '4']);
  });

  it('takes no more than the free lanes, in the order given', () => {
    const plan = planClaims({
      candidates: [candidate('1', 'a'), candidate('2', 'b'), candidate('3', 'c')],
      view: noneInFlight,
      limits: { ...limits, slots: 2 },
      now: NOW,
    });
    expect(plan.claim).toEqual(['1', '2']);
  });

  it("reschedules an open circuit's deliveries to its retry time instead of claiming them", () => {
    const plan = planClaims({
      candidates: [
        candidate('1', 'a', 'whe_a'),
        candidate('2', 'a', 'whe_a'),
        candidate('3', 'b', 'whe_a'),
      ],
      view: { inFlight: [], circuits: [circuit({})] },
      limits,
      now: NOW,
    });
    expect(plan.defer).toEqual([{ ids: ['1', '2'], until: at(50) }]);
    // The same endpoint id under another tenant is another circuit: tenants never share one.
    expect(plan.claim).toEqual(['3']);
  });

  it('lets one probe through a half-open circuit, and none while a probe is in flight', () => {
    const halfOpen = circuit({ retryAt: at(-1) });
    const first = planClaims({
      candidates: [candidate('1', 'a', 'whe_a'), candidate('2', 'a', 'whe_a')],
      view: { inFlight: [], circuits: [halfOpen] },
      limits,
      now: NOW,
    });
    expect(first).toEqual({
      claim: ['1'],
      probes: [{ tenantId: 'a', target: 'whe_a' }],
      defer: [],
    });
    const during = planClaims({
      candidates: [candidate('2', 'a', 'whe_a')],
      view: { inFlight: [], circuits: [{ ...halfOpen, probeUntil: at(30) }] },
      limits,
      now: NOW,
    });
    expect(during).toEqual({ claim: [], probes: [], defer: [] });
  });

  it("keys a cluster's own webhook URL by its origin, within the tenant", () => {
    expect(deliveryTarget({ endpointId: null, url: 'https://h.example.com:8443/a?x=1' })).toBe(
      'url:https://h.example.com:8443',
    );
    expect(deliveryTarget({ endpointId: 'whe_1', url: 'https://h.example.com/a' })).toBe('whe_1');
  });
});

describe('circuit breaker', () => {
  const fail = (current: WebhookCircuit | null, seconds = 0) =>
    circuitAfterAttempt(
      current,
      { tenantId: 'a', target: 'whe_a', ok: false, at: at(seconds) },
      BREAKER,
    );

  it('opens after the threshold of failures in a row, for the cool-down', () => {
    const once = fail(null);
    const twice = fail(once);
    expect(circuitState(twice, NOW)).toBe('closed');
    const thrice = fail(twice);
    expect(thrice).toMatchObject({ failures: 3, opens: 1, openedAt: NOW, retryAt: at(60) });
    expect(circuitState(thrice, at(59))).toBe('open');
    expect(circuitState(thrice, at(60))).toBe('half-open');
  });

  it('forgets the failures on a success, from any state', () => {
    expect(
      circuitAfterAttempt(
        circuit({ retryAt: at(-1) }),
        { tenantId: 'a', target: 'whe_a', ok: true, at: NOW },
        BREAKER,
      ),
    ).toBeNull();
  });

  it('reopens after a failed probe with a doubled cool-down, up to the cap', () => {
    const reopened = fail(circuit({ retryAt: at(-1), opens: 1 }));
    expect(reopened).toMatchObject({ opens: 2, openedAt: NOW, retryAt: at(120), probeUntil: null });
    expect(cooldownFor(3, BREAKER)).toBe(240_000);
    expect(cooldownFor(10, BREAKER)).toBe(240_000);
  });

  it('does not extend an open circuit for a failure of an attempt sent before it opened', () => {
    const open = circuit({});
    expect(fail(open)).toMatchObject({ failures: 4, retryAt: open.retryAt, opens: 1 });
  });
});
