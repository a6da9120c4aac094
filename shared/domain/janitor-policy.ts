import type { ProvisionState } from './provision-state.js';

/**
 * The janitor's decisions, pure: given what the store, ACK and the cluster's Kubernetes API say
 * about one provision at `now`, what to do with it. The janitor applies a decision with one
 * compare-and-set transaction, so a crash between two decisions leaves nothing half done and a
 * restart simply decides again.
 *
 * Policies:
 * - TTL: a provision with `expiresAt` is warned `min(warnSeconds, remaining lifetime)` before it
 *   and deleted at `expiresAt`: the lifetime asked for is honoured, not stretched to the notice
 *   period. An expiry set closer than `warnSeconds` (a short ttl at acceptance, a PATCH) is warned
 *   at once, in the write that sets it (`ttlWarningOnSet`); otherwise the janitor warns when the
 *   window opens. A running cluster the janitor first sees past its expiry, unwarned, is warned
 *   then and deleted on the next run: a deletion is never unannounced.
 * - Idle: a provision with `idleAfter` is idle when no pod outside the system namespaces is
 *   active and the last sign of activity (the newest pod time, the last time the janitor saw
 *   an active pod, or the time the cluster became running) is older than `idleAfter`. It is
 *   warned then, and deleted `warnSeconds` later (the grace period) unless activity returns.
 *
 * A warning is cancelled when the caller changes the expiry or idleAfter, sets the label
 * `keep=true`, turns deletion protection on, or (for an idle warning) the cluster is active again.
 */

type JanitorReason = 'ttl' | 'idle';

/** A warning given: what it was based on, so that a change since can be told. */
interface JanitorWarning {
  reason: JanitorReason;
  warnedAt: Date;
  deleteAt: Date;
  /** The provision's `expiresAt` when it was warned. */
  expiresAtBasis: Date | null;
  /** Its idleAfter in seconds when it was warned. */
  idleAfterBasis: number | null;
}

/** What the cluster's Kubernetes API said (a WorkloadReport, reduced to what is decided on). */
interface ActivityFacts {
  activeWorkloadPods: number;
  lastActivityAt: Date | null;
}

interface PolicyInput {
  now: Date;
  warnSeconds: number;
  state: ProvisionState;
  labels: Readonly<Record<string, string>>;
  deletionProtection: boolean;
  expiresAt: Date | null;
  idleAfterSeconds: number | null;
  /** When the provision became running (its creation time if unknown). */
  runningSince: Date;
  /** The last time the janitor saw an active workload pod in the cluster. */
  activitySeenAt: Date | null;
  warning: JanitorWarning | null;
  /** `undefined`: the cluster was not (or could not be) inspected. */
  activity: ActivityFacts | undefined;
}

const SKIP_REASONS = [
  'not-running',
  'keep-label',
  'deletion-protection',
  'no-policy',
  'activity-unknown',
  'not-ours',
  'ack-deletion-protection',
  'cluster-not-found',
  'changed-concurrently',
  'error',
] as const;

type SkipReason = (typeof SKIP_REASONS)[number];

type JanitorDecision =
  | { action: 'skip'; skip: SkipReason; detail: string }
  /** No policy is due. */
  | { action: 'none' }
  | { action: 'warn'; reason: JanitorReason; deleteAt: Date; message: string }
  /** Warned, the grace period is running. */
  | { action: 'wait'; reason: JanitorReason; deleteAt: Date }
  | { action: 'cancel'; reason: JanitorReason; why: string }
  | { action: 'delete'; reason: JanitorReason; message: string };

/** The label a caller sets to keep a cluster from the janitor. */
const KEEP_LABEL = 'keep';

const hasKeepLabel = (labels: Readonly<Record<string, string>>): boolean =>
  labels[KEEP_LABEL]?.toLowerCase() === 'true';

const sameTime = (a: Date | null, b: Date | null): boolean =>
  (a === null && b === null) || (a !== null && b !== null && a.getTime() === b.getTime());

const latest = (...times: (Date | null)[]): Date =>
  new Date(Math.max(...times.map((time) => time?.getTime() ?? Number.NEGATIVE_INFINITY)));

/** Since when the cluster has shown no sign of activity, as far as we can tell. */
const idleSince = (input: PolicyInput, activity: ActivityFacts): Date =>
  latest(activity.lastActivityAt, input.activitySeenAt, input.runningSince);

/**
 * Whether the decision needs the cluster's pods: only for the idle policy, and only once idleness
 * could be due (a cluster running for less than idleAfter is never idle) or to see whether
 * activity cancels an idle warning. Saves a kubeconfig and a pod listing per cluster and run.
 */
const needsActivity = (input: Omit<PolicyInput, 'activity'>): boolean => {
  if (input.state !== 'running' || input.idleAfterSeconds === null) return false;
  if (input.warning !== null) return input.warning.reason === 'idle';
  if (hasKeepLabel(input.labels) || input.deletionProtection) return false;
  const quietSince = latest(input.activitySeenAt, input.runningSince);
  return input.now.getTime() - quietSince.getTime() >= input.idleAfterSeconds * 1000;
};

const describeDuration = (seconds: number): string => {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
};

/** What a caller may change that calls a standing warning off (everything but activity). */
interface WarningBasis {
  labels: Readonly<Record<string, string>>;
  deletionProtection: boolean;
  expiresAt: Date | null;
  idleAfterSeconds: number | null;
}

/** Why a change of the settings calls a standing warning off, if it does. */
const settingsCallOff = (input: WarningBasis, warning: JanitorWarning): string | undefined => {
  if (hasKeepLabel(input.labels)) return 'the label keep=true was set';
  if (input.deletionProtection) return 'deletion protection was turned on';
  if (!sameTime(input.expiresAt, warning.expiresAtBasis)) {
    return input.expiresAt === null
      ? 'the expiry was removed'
      : `the expiry was changed to ${input.expiresAt.toISOString()}`;
  }
  if (warning.reason === 'idle' && input.idleAfterSeconds !== warning.idleAfterBasis) {
    return input.idleAfterSeconds === null
      ? 'idleAfter was removed'
      : `idleAfter was changed to ${describeDuration(input.idleAfterSeconds)}`;
  }
  return undefined;
};

/**
 * The TTL warning owed the moment an expiry is set (at acceptance, by a PATCH), when less than
 * the notice period is left: the notice is then what is left of the lifetime, and the deletion
 * is at `expiresAt`. `null` when the janitor will warn in its turn, or nothing is to be deleted.
 */
const ttlWarningOnSet = (input: WarningBasis & { now: Date; warnSeconds: number }) => {
  const { expiresAt, now } = input;
  if (expiresAt === null || hasKeepLabel(input.labels) || input.deletionProtection) return null;
  // Exactly the notice period left: the janitor's window opens now, it warns on its next run.
  if (expiresAt.getTime() - now.getTime() >= input.warnSeconds * 1000) return null;
  const warning: JanitorWarning = {
    reason: 'ttl',
    warnedAt: now,
    deleteAt: new Date(Math.max(expiresAt.getTime(), now.getTime())),
    expiresAtBasis: expiresAt,
    idleAfterBasis: input.idleAfterSeconds,
  };
  return warning;
};

/** Why a standing warning no longer holds, if it does not. */
const cancellation = (input: PolicyInput, warning: JanitorWarning): string | undefined => {
  const settings = settingsCallOff(input, warning);
  if (settings !== undefined) return settings;
  if (warning.reason === 'idle' && input.activity !== undefined) {
    const { activeWorkloadPods, lastActivityAt } = input.activity;
    if (activeWorkloadPods > 0) return `new activity: ${activeWorkloadPods} workload pod(s) active`;
    const since = latest(lastActivityAt, input.activitySeenAt);
    if (since.getTime() > warning.warnedAt.getTime()) {
      return `new activity at ${since.toISOString()}`;
    }
  }
  return undefined;
};

const decideWarned = (input: PolicyInput, warning: JanitorWarning): JanitorDecision => {
  const why = cancellation(input, warning);
  if (why !== undefined) return { action: 'cancel', reason: warning.reason, why };
  if (input.now.getTime() < warning.deleteAt.getTime()) {
    return { action: 'wait', reason: warning.reason, deleteAt: warning.deleteAt };
  }
  // Never delete for idleness on an old look: the pods must have been read in this run.
  if (warning.reason === 'idle' && input.activity === undefined) {
    return {
      action: 'skip',
      skip: 'activity-unknown',
      detail: "the cluster's pods could not be read; not deleting an idle cluster unseen",
    };
  }
  const message =
    warning.reason === 'ttl'
      ? `expired at ${warning.expiresAtBasis?.toISOString() ?? 'its expiry'}; warned at ${warning.warnedAt.toISOString()}`
      : `idle; warned at ${warning.warnedAt.toISOString()}, no activity since`;
  return { action: 'delete', reason: warning.reason, message };
};

const decideFresh = (input: PolicyInput): JanitorDecision => {
  if (hasKeepLabel(input.labels)) {
    return { action: 'skip', skip: 'keep-label', detail: 'labelled keep=true' };
  }
  if (input.deletionProtection) {
    return { action: 'skip', skip: 'deletion-protection', detail: 'deletion protection is on' };
  }
  if (input.expiresAt === null && input.idleAfterSeconds === null) {
    return { action: 'skip', skip: 'no-policy', detail: 'no expiry and no idleAfter' };
  }
  const now = input.now.getTime();
  const warnMs = input.warnSeconds * 1000;
  if (input.expiresAt !== null && now >= input.expiresAt.getTime() - warnMs) {
    // The lifetime asked for, not stretched to the notice period; seen only after its expiry,
    // the deletion waits for the next run, so that it is announced first.
    const deleteAt = new Date(Math.max(input.expiresAt.getTime(), now));
    return {
      action: 'warn',
      reason: 'ttl',
      deleteAt,
      message: `expires at ${input.expiresAt.toISOString()}; deletion at ${deleteAt.toISOString()}`,
    };
  }
  if (input.idleAfterSeconds === null || !needsActivity(input)) return { action: 'none' };
  if (input.activity === undefined) {
    return {
      action: 'skip',
      skip: 'activity-unknown',
      detail: "the cluster's pods could not be read",
    };
  }
  if (input.activity.activeWorkloadPods > 0) return { action: 'none' };
  const since = idleSince(input, input.activity);
  if (now - since.getTime() < input.idleAfterSeconds * 1000) return { action: 'none' };
  const deleteAt = new Date(now + warnMs);
  return {
    action: 'warn',
    reason: 'idle',
    deleteAt,
    message:
      `idle since ${since.toISOString()} (idleAfter ${describeDuration(input.idleAfterSeconds)}); ` +
      `deletion at ${deleteAt.toISOString()}`,
  };
};

const decideJanitorAction = (input: PolicyInput): JanitorDecision => {
  if (input.state !== 'running') {
    return { action: 'skip', skip: 'not-running', detail: `state is ${input.state}` };
  }
  return input.warning === null ? decideFresh(input) : decideWarned(input, input.warning);
};

/** The warning a `warn` decision records. */
const warningFor = (
  decision: Extract<JanitorDecision, { action: 'warn' }>,
  input: Pick<PolicyInput, 'now' | 'expiresAt' | 'idleAfterSeconds'>,
): JanitorWarning => ({
  reason: decision.reason,
  warnedAt: input.now,
  deleteAt: decision.deleteAt,
  expiresAtBasis: input.expiresAt,
  idleAfterBasis: input.idleAfterSeconds,
});

export type {
  ActivityFacts,
  JanitorDecision,
  JanitorReason,
  JanitorWarning,
  PolicyInput,
  SkipReason,
  WarningBasis,
};
export {
  decideJanitorAction,
  describeDuration,
  hasKeepLabel,
  KEEP_LABEL,
  needsActivity,
  SKIP_REASONS,
  settingsCallOff,
  ttlWarningOnSet,
  warningFor,
};
