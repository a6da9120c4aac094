import { InvalidTransitionError } from './errors.js';

/**
 * The provision state machine (docs/architecture.md, "State machine"):
 *
 *   accepted ──▶ provisioning ──▶ running ──▶ deleting ──▶ deleted
 *      │  │           │            ▲  │          ▲
 *      │  │           │   updating ┘◀─┘ (a change in progress; always back to running)
 *      │  │           │                          │
 *      │  └──▶ failed ◀┘──────────────────────────┘ (delete cleans up what a failed create left)
 *      └──▶ cancelled (deleted before the worker created anything)
 *
 * `accepted → failed` covers a create the worker refused before ACK made anything (a preflight
 * finding, a permanent ACK error, too many deliveries). `provisioning → deleting` lets a caller
 * delete a cluster that is still being created. `running → updating → running` is a change after
 * creation (shared/changes/): one at a time, and it ends back in `running` whether ACK did it or
 * not (the outcome is on the change record). The janitor examines only `running`, and DELETE
 * waits for the change to end, so neither races an ACK task under way.
 */
const PROVISION_STATES = [
  'accepted',
  'provisioning',
  'running',
  'updating',
  'failed',
  'deleting',
  'deleted',
  'cancelled',
] as const;

type ProvisionState = (typeof PROVISION_STATES)[number];

const TRANSITIONS: Readonly<Record<ProvisionState, readonly ProvisionState[]>> = {
  accepted: ['provisioning', 'failed', 'cancelled'],
  provisioning: ['running', 'failed', 'deleting'],
  running: ['deleting', 'updating'],
  updating: ['running'],
  failed: ['deleting'],
  deleting: ['deleted'],
  deleted: [],
  cancelled: [],
};

const TERMINAL_STATES: readonly ProvisionState[] = ['deleted', 'cancelled'];

/** States the poller refreshes through ACK's cluster list (`updating` is followed by its change's task). */
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
