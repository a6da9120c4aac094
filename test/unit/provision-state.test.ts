import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.js';
import type { Provision } from '../../shared/domain/provision.js';
import { planTransition } from '../../shared/domain/provision.js';
import type { ProvisionState } from '../../shared/domain/provision-state.js';
import {
  assertTransition,
  canTransition,
  IN_FLIGHT_STATES,
  isTerminal,
  PROVISION_STATES,
  TERMINAL_STATES,
  TRANSITIONS,
} from '../../shared/domain/provision-state.js';

/** The state machine of docs/architecture.md, written out by hand so a change to the table is noticed. */
const EXPECTED_ALLOWED: Readonly<Record<ProvisionState, readonly ProvisionState[]>> = {
  accepted: ['provisioning', 'failed', 'cancelled'],
  provisioning: ['running', 'failed', 'deleting'],
  running: ['deleting', 'updating'],
  updating: ['running'],
  failed: ['deleting'],
  deleting: ['deleted'],
  deleted: [],
  cancelled: [],
};

const NOW = new Date('2026-03-01T12:00:00.000Z');

const provisionIn = (state: ProvisionState): Provision => ({
  id: 'prv_01hzzzzzzzabcdefghjkmnpqrs',
  tenantId: 'ten_1',
  name: 'demo',
  region: 'cn-hangzhou',
  spec: {
    name: 'demo',
    region: 'cn-hangzhou',
    network: 'auto',
    serviceCidr: '172.21.0.0/20',
    endpointPublicAccess: false,
    clusterSpec: 'ack.standard',
    addons: [],
    labels: {},
    deletionProtection: false,
  },
  state,
  version: 3,
  clusterName: 'demo-abcdefghjk',
  clusterId: null,
  taskId: null,
  ackState: null,
  endpoints: null,
  createPendingAt: null,
  attempts: 0,
  leaseOwner: null,
  leaseUntil: null,
  error: null,
  labels: {},
  expiresAt: null,
  createdAt: NOW,
  updatedAt: NOW,
});

const pairs = PROVISION_STATES.flatMap((from) =>
  PROVISION_STATES.map((to) => ({ from, to, allowed: EXPECTED_ALLOWED[from].includes(to) })),
);
const allowedPairs = pairs.filter((pair) => pair.allowed);
const forbiddenPairs = pairs.filter((pair) => !pair.allowed);

const transitionErrorOf = (from: ProvisionState, to: ProvisionState): DomainError => {
  try {
    planTransition(provisionIn(from), to, { reason: 'test.reason', message: 'm', now: NOW });
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw new Error(`planTransition threw a non-DomainError: ${String(error)}`);
  }
  throw new Error(`planTransition allowed ${from} → ${to}`);
};

describe('provision-state: the transition table', () => {
  it('lists exactly the eight states of docs/architecture.md', () => {
    expect([...PROVISION_STATES].sort()).toEqual(
      [
        'accepted',
        'cancelled',
        'deleted',
        'deleting',
        'failed',
        'provisioning',
        'running',
        'updating',
      ].sort(),
    );
  });

  it('allows exactly the transitions drawn in docs/architecture.md, and no others', () => {
    for (const state of PROVISION_STATES) {
      expect([...TRANSITIONS[state]].sort(), `transitions out of ${state}`).toEqual(
        [...EXPECTED_ALLOWED[state]].sort(),
      );
    }
  });

  it('covers all 64 pairs: 11 allowed, 53 forbidden', () => {
    expect(pairs).toHaveLength(64);
    expect(allowedPairs).toHaveLength(11);
    expect(forbiddenPairs).toHaveLength(53);
  });

  it('never allows a state to transition to itself', () => {
    for (const state of PROVISION_STATES) expect(canTransition(state, state)).toBe(false);
  });

  it('makes deleted and cancelled the terminal states, with no way out', () => {
    expect([...TERMINAL_STATES].sort()).toEqual(['cancelled', 'deleted']);
    for (const state of PROVISION_STATES) {
      const terminal = state === 'deleted' || state === 'cancelled';
      expect(isTerminal(state), state).toBe(terminal);
      if (terminal) {
        expect(TRANSITIONS[state]).toEqual([]);
        for (const to of PROVISION_STATES) expect(canTransition(state, to)).toBe(false);
      }
    }
  });

  it('lets every non-terminal state eventually reach a terminal state', () => {
    const reachesTerminal = (state: ProvisionState, seen: Set<ProvisionState>): boolean => {
      if (isTerminal(state)) return true;
      if (seen.has(state)) return false;
      const next = new Set(seen).add(state);
      return TRANSITIONS[state].some((to) => reachesTerminal(to, next));
    };
    for (const state of PROVISION_STATES)
      expect(reachesTerminal(state, new Set()), state).toBe(true);
  });

  it('follows provisioning and deleting through ACK (the in-flight states)', () => {
    expect([...IN_FLIGHT_STATES].sort()).toEqual(['deleting', 'provisioning']);
  });
});

describe('provision-state: canTransition and assertTransition on every pair', () => {
  it.each(allowedPairs)('allows $from → $to', ({ from, to }) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(forbiddenPairs)('forbids $from → $to', ({ from, to }) => {
    expect(canTransition(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).toThrow(DomainError);
  });
});

describe('planTransition', () => {
  it.each(allowedPairs)('plans $from → $to and builds its event', ({ from, to }) => {
    const transition = planTransition(provisionIn(from), to, {
      reason: `cluster.${to}`,
      message: `from ${from} to ${to}`,
      now: NOW,
    });
    expect(transition).toEqual({
      to,
      patch: {},
      event: {
        type: `cluster.${to}`,
        state: to,
        message: `from ${from} to ${to}`,
        source: 'service',
        at: NOW,
      },
    });
  });

  it.each(forbiddenPairs)(
    'refuses $from → $to with INVALID_TRANSITION naming both states',
    ({ from, to }) => {
      const error = transitionErrorOf(from, to);
      expect(error.code).toBe('INVALID_TRANSITION');
      expect(error.message).toContain(from);
      expect(error.message).toContain(to);
      expect(error).toMatchObject({ from, to });
      expect(error.retryable).toBe(false);
    },
  );

  it('passes the patch through unchanged', () => {
    const patch = { clusterId: 'c-123', taskId: 'T-1', ackState: 'initial', attempts: 1 };
    const transition = planTransition(provisionIn('accepted'), 'provisioning', {
      reason: 'create.started',
      message: 'CreateCluster accepted',
      now: NOW,
      patch,
    });
    expect(transition.patch).toEqual(patch);
  });

  it('records the source when ACK is the one who reported the change', () => {
    const transition = planTransition(provisionIn('provisioning'), 'running', {
      reason: 'ack.running',
      message: 'the cluster is running',
      now: NOW,
      source: 'ack',
    });
    expect(transition.event.source).toBe('ack');
  });

  it('does not modify the provision it plans for (pure)', () => {
    const provision = provisionIn('running');
    const before = structuredClone(provision);
    planTransition(provision, 'deleting', { reason: 'delete.requested', message: 'm', now: NOW });
    expect(provision).toEqual(before);
  });
});
