import { InvalidTransitionError } from './errors.js';

/**
 * The provision state machine (docs/architecture.md, "State machine"):
 *
 *   accepted ──▶ provisioning ──▶ running ──▶ deleting ──▶ deleted
 *      │  │           │                          ▲
 *      │  └──▶ failed ◀┘──────────────────────────┘ (delete cleans up what a failed create left)
 *      └──▶ cancelled (deleted before the worker created anything)
 *
 * `accepted → failed` covers a create the worker refused before ACK made anything (a preflight
 * finding, a permanent ACK error, too many deliveries). `provisioning → deleting` lets a caller
 * delete a cluster that is still being created.
 */
const PROVISION_STATES = [
  'accepted',
  'provisioning',
  'running',
  'failed',
  'deleting',
  'deleted',
  'cancelled',
] as const;

type ProvisionState = (typeof PROVISION_STATES)[number];

const TRANSITIONS: Readonly<Record<ProvisionState, readonly ProvisionState[]>> = {
  accepted: ['provisioning', 'failed', 'cancelled'],
  provisioning: ['running', 'failed', 'deleting'],
  running: ['deleting'],
  failed: ['deleting'],
  deleting: ['deleted'],
  deleted: [],
  cancelled: [],
};

const TERMINAL_STATES: readonly ProvisionState[] = ['deleted', 'cancelled'];

/** States the poller follows through ACK. */
const IN_FLIGHT_STATES: readonly ProvisionState[] = ['provisioning', 'deleting'];

const canTransition = (from: ProvisionState, to: ProvisionState): boolean =>
  TRANSITIONS[from].includes(to);

const assertTransition = (from: ProvisionState, to: ProvisionState): void => {
  if (!canTransition(from, to)) {
    throw new InvalidTransitionError(from, to);
  }
};

const isTerminal = (state: ProvisionState): boolean => TERMINAL_STATES.includes(state);

export type { ProvisionState };
export {
  assertTransition,
  canTransition,
  IN_FLIGHT_STATES,
  isTerminal,
  PROVISION_STATES,
  TERMINAL_STATES,
  TRANSITIONS,
};
