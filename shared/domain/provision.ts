import type { ClusterSpec } from './cluster-spec.js';
import type { ProvisionState } from './provision-state.js';
import { assertTransition } from './provision-state.js';

interface ProvisionError {
  /** A stable code, e.g. `ACK_QUOTA_EXCEEDED`, or ACK's own code when it named one. */
  code: string;
  message: string;
}

interface ClusterEndpoints {
  intranet?: string;
  internet?: string;
}

/** One request for one cluster: the row that is the truth, which events, outbox and deliveries follow. */
interface Provision {
  id: string;
  tenantId: string;
  name: string;
  region: string;
  spec: ClusterSpec;
  state: ProvisionState;
  /** Compare-and-set version: every write names the version it read. */
  version: number;
  /** The deterministic ACK cluster name, fixed at accept time, used to find a lost create. */
  clusterName: string;
  clusterId: string | null;
  taskId: string | null;
  /** ACK's own state as last seen (`initial`, `running`, `failed`, …). */
  ackState: string | null;
  endpoints: ClusterEndpoints | null;
  /** Set before CreateCluster is called; a set mark with no cluster id means "look before creating". */
  createPendingAt: Date | null;
  /** How many times a worker picked up the create job. */
  attempts: number;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  error: ProvisionError | null;
  labels: Record<string, string>;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The fields a transition may change besides the state. */
type ProvisionPatch = Partial<
  Pick<
    Provision,
    | 'clusterId'
    | 'taskId'
    | 'ackState'
    | 'endpoints'
    | 'createPendingAt'
    | 'attempts'
    | 'leaseOwner'
    | 'leaseUntil'
    | 'error'
  >
>;

type EventSource = 'service' | 'ack';

/** One line of a provision's timeline (`GET /v1/clusters/{id}/events`). */
interface ProvisionEvent {
  provisionId: string;
  sequence: number;
  type: string;
  state: ProvisionState;
  message: string;
  source: EventSource;
  at: Date;
}

type NewProvisionEvent = Omit<ProvisionEvent, 'sequence' | 'provisionId'>;

interface Transition {
  to: ProvisionState;
  patch: ProvisionPatch;
  event: NewProvisionEvent;
}

/**
 * Plans a state change: checks it is allowed and builds the event that records it.
 * Pure; the store applies it with compare-and-set on `provision.version`.
 */
const planTransition = (
  provision: Provision,
  to: ProvisionState,
  input: {
    reason: string;
    message: string;
    now: Date;
    patch?: ProvisionPatch;
    source?: EventSource;
  },
): Transition => {
  assertTransition(provision.state, to);
  return {
    to,
    patch: input.patch ?? {},
    event: {
      type: input.reason,
      state: to,
      message: input.message,
      source: input.source ?? 'service',
      at: input.now,
    },
  };
};

export type {
  ClusterEndpoints,
  EventSource,
  NewProvisionEvent,
  Provision,
  ProvisionError,
  ProvisionEvent,
  ProvisionPatch,
  Transition,
};
export { planTransition };
