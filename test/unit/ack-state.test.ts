import { describe, expect, it } from 'vitest';
import type { AckObservation } from '../../shared/domain/ack-state.js';
import { nextStateFromAck, observeAckState } from '../../shared/domain/ack-state.js';
import type { ProvisionState } from '../../shared/domain/provision-state.js';
import { canTransition, PROVISION_STATES } from '../../shared/domain/provision-state.js';

/** Every state DescribeClusterDetail documents, plus one ACK may add later. */
const ACK_STATES: ReadonlyArray<[string, AckObservation]> = [
  ['initial', 'creating'],
  ['waiting', 'creating'],
  ['running', 'ready'],
  ['updating', 'ready'],
  ['upgrading', 'ready'],
  ['scaling', 'ready'],
  ['draining', 'ready'],
  ['failed', 'create-failed'],
  ['deleting', 'deleting'],
  ['removing', 'ready'],
  ['deleted', 'gone'],
  ['delete_failed', 'delete-failed'],
  ['inactive', 'other'],
  ['unavailable', 'other'],
  ['disconnected', 'other'],
  ['hibernating-someday', 'other'],
];

const WHILE_PROVISIONING: Record<string, ProvisionState | undefined> = {
  initial: undefined,
  waiting: undefined,
  running: 'running',
  updating: 'running',
  upgrading: 'running',
  scaling: 'running',
  draining: 'running',
  failed: 'failed',
  deleting: undefined,
  removing: 'running',
  deleted: undefined,
  delete_failed: undefined,
  inactive: undefined,
  unavailable: undefined,
  disconnected: undefined,
  'hibernating-someday': undefined,
};

describe('observeAckState', () => {
  it.each(ACK_STATES)('maps ACK state %s to %s', (ackState, observation) => {
    expect(observeAckState(ackState)).toBe(observation);
  });

  it('reads removing as nodes being removed from a live cluster, never as its deletion', () => {
    // DescribeClusterDetailResponseBody: "removing: Nodes are being removed."
    expect(observeAckState('removing')).toBe('ready');
    expect(nextStateFromAck('deleting', 'removing')).toBeUndefined();
    expect(nextStateFromAck('running', 'removing')).toBeUndefined();
  });

  it('is case-sensitive: ACK reports lower-case states, anything else is unknown', () => {
    expect(observeAckState('RUNNING')).toBe('other');
    expect(observeAckState('')).toBe('other');
  });
});

describe('nextStateFromAck', () => {
  it.each(ACK_STATES.map(([ackState]) => ackState))(
    'decides what a provisioning provision becomes when ACK says %s',
    (ackState) => {
      expect(nextStateFromAck('provisioning', ackState)).toBe(WHILE_PROVISIONING[ackState]);
    },
  );

  it.each(ACK_STATES.map(([ackState]) => ackState))(
    'moves a deleting provision only when ACK says deleted (ACK said %s)',
    (ackState) => {
      expect(nextStateFromAck('deleting', ackState)).toBe(
        ackState === 'deleted' ? 'deleted' : undefined,
      );
    },
  );

  it.each(ACK_STATES.map(([ackState]) => ackState))(
    'never moves a running provision, whatever ACK says (%s)',
    (ackState) => {
      expect(nextStateFromAck('running', ackState)).toBeUndefined();
    },
  );

  it('keeps a provision whose delete failed in deleting, for the poller to retry', () => {
    expect(nextStateFromAck('deleting', 'delete_failed')).toBeUndefined();
  });

  it('never moves a provision that ACK does not follow (accepted, failed, terminal states)', () => {
    for (const current of ['accepted', 'failed', 'deleted', 'cancelled'] as const) {
      for (const [ackState] of ACK_STATES) {
        expect(nextStateFromAck(current, ackState), `${current} + ${ackState}`).toBeUndefined();
      }
    }
  });

  it('only ever proposes transitions the state machine allows', () => {
    for (const current of PROVISION_STATES) {
      for (const [ackState] of ACK_STATES) {
        const next = nextStateFromAck(current, ackState);
        if (next !== undefined) {
          expect(canTransition(current, next), `${current} → ${next} (ACK ${ackState})`).toBe(true);
        }
      }
    }
  });
});
