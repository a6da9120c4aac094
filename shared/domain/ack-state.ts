import type { ProvisionState } from './provision-state.js';

/**
 * ACK cluster states (DescribeClusterDetail `state`, per the @alicloud/cs20151215 doc):
 * initial, failed, running, updating, upgrading, removing, draining, scaling, inactive,
 * unavailable, deleting, deleted, delete_failed, waiting, disconnected.
 *
 * This is the one place they map onto ours. `undefined` means "no change for us": a running
 * cluster that is upgrading is still running from the caller's point of view.
 */
type AckObservation =
  | 'creating'
  | 'ready'
  | 'create-failed'
  | 'deleting'
  | 'gone'
  | 'delete-failed'
  | 'other';

const observeAckState = (ackState: string): AckObservation => {
  switch (ackState) {
    case 'initial':
    case 'waiting':
      return 'creating';
    case 'running':
    case 'updating':
    case 'upgrading':
    case 'scaling':
    case 'draining':
      return 'ready';
    case 'failed':
      return 'create-failed';
    case 'deleting':
    case 'removing':
      return 'deleting';
    case 'deleted':
      return 'gone';
    case 'delete_failed':
      return 'delete-failed';
    default:
      // inactive, unavailable, disconnected and states ACK adds later: shown, never acted on.
      return 'other';
  }
};

/** What a provision in `current` should become after ACK reported `ackState`, if anything. */
const nextStateFromAck = (
  current: ProvisionState,
  ackState: string,
): 'running' | 'failed' | 'deleted' | undefined => {
  const observed = observeAckState(ackState);
  if (current === 'provisioning') {
    if (observed === 'ready') return 'running';
    if (observed === 'create-failed') return 'failed';
    return undefined;
  }
  if (current === 'deleting' && observed === 'gone') return 'deleted';
  return undefined;
};

export type { AckObservation };
export { nextStateFromAck, observeAckState };
