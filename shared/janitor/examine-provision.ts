import type { ClusterApi } from '../ack/cluster-api.port.js';
import { parseDurationSeconds } from '../domain/cluster-spec.js';
import { isDomainError } from '../domain/errors.js';
import type { ActivityFacts, JanitorDecision, PolicyInput } from '../domain/janitor-policy.js';
import { decideJanitorAction, needsActivity, warningFor } from '../domain/janitor-policy.js';
import type { ContainerGroupLister } from '../eci/container-groups.port.js';
import type { WorkloadInspector } from '../kube/workload-inspector.port.js';
import type { JanitorCandidate } from '../store/store.port.js';
import type { ActivitySource } from './activity-source.js';
import { cancelWarning, deleteProvision, type WriteDeps, warnProvision } from './janitor-writes.js';
import { readActivity } from './read-activity.js';
import { verifyOwnership } from './verify-ownership.js';

interface ExamineDeps extends WriteDeps {
  clusterApi: ClusterApi;
  inspector: () => Promise<WorkloadInspector>;
  /** ECI's view of a cluster's pods (loaded on first use); absent, only the Kubernetes API is read. */
  containerGroups?: (() => Promise<ContainerGroupLister>) | undefined;
}

interface ExamineSettings {
  dryRun: boolean;
  warnSeconds: number;
  systemNamespaces: readonly string[];
  /** Where pods are read (ASKP_JANITOR_ACTIVITY_SOURCE, default auto; see read-activity.ts). */
  activitySource?: ActivitySource;
}

const changedConcurrently: JanitorDecision = {
  action: 'skip',
  skip: 'changed-concurrently',
  detail: 'the provision changed while the janitor decided; it is looked at again next run',
};

const policyInput = (
  candidate: JanitorCandidate,
  settings: Pick<ExamineSettings, 'warnSeconds'>,
  now: Date,
): Omit<PolicyInput, 'activity'> => {
  const { provision } = candidate;
  const idleAfter = provision.spec.idleAfter;
  return {
    now,
    warnSeconds: settings.warnSeconds,
    state: provision.state,
    labels: provision.labels,
    deletionProtection: provision.spec.deletionProtection,
    expiresAt: provision.expiresAt,
    idleAfterSeconds: idleAfter === undefined ? null : (parseDurationSeconds(idleAfter) ?? null),
    runningSince: candidate.runningSince ?? provision.createdAt,
    activitySeenAt: candidate.activitySeenAt,
    warning: candidate.warning,
  };
};

/** The pods, when the decision needs them; undefined when they could not be read. */
const observe = async (
  deps: ExamineDeps,
  settings: ExamineSettings,
  candidate: JanitorCandidate,
  input: Omit<PolicyInput, 'activity'>,
): Promise<ActivityFacts | undefined> => {
  const { provision } = candidate;
  if (!needsActivity(input) || provision.clusterId === null) return undefined;
  try {
    const activity = await readActivity(deps, {
      provision,
      clusterId: provision.clusterId,
      systemNamespaces: settings.systemNamespaces,
      source: settings.activitySource,
    });
    if (activity.activeWorkloadPods > 0 && !settings.dryRun) {
      await deps.store.recordJanitorActivity({ id: provision.id, seenAt: input.now });
    }
    return activity;
  } catch (error) {
    deps.logger.warn("the janitor could not read a cluster's pods", {
      provisionId: provision.id,
      code: isDomainError(error) ? error.code : 'UNKNOWN',
      reason: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
};

/**
 * Carries a decision out. Warn and delete first ask ACK whether the cluster is ours and
 * unprotected; a dry run stops there and reports the decision as what it would do. Returns the
 * decision as it was finally taken (a skip when ownership failed or the row moved on).
 */
const carryOut = async (
  deps: ExamineDeps,
  settings: ExamineSettings,
  candidate: JanitorCandidate,
  input: Omit<PolicyInput, 'activity'>,
  decision: JanitorDecision,
): Promise<JanitorDecision> => {
  const { provision } = candidate;
  switch (decision.action) {
    case 'warn': {
      const ownership = await verifyOwnership(deps.clusterApi, provision);
      if (!ownership.owned) {
        return { action: 'skip', skip: ownership.skip, detail: ownership.detail };
      }
      if (settings.dryRun) return decision;
      const warned = await warnProvision(deps, provision, {
        warning: warningFor(decision, input),
        message: decision.message,
      });
      return warned ? decision : changedConcurrently;
    }
    case 'cancel': {
      if (settings.dryRun || candidate.warning === null) return decision;
      const cancelled = await cancelWarning(deps, provision, {
        warning: candidate.warning,
        why: decision.why,
      });
      return cancelled ? decision : changedConcurrently;
    }
    case 'delete': {
      const ownership = await verifyOwnership(deps.clusterApi, provision);
      if (!ownership.owned) {
        // The warning no longer holds: a later deletion needs a fresh warning and grace.
        if (!settings.dryRun && candidate.warning !== null) {
          await cancelWarning(deps, provision, {
            warning: candidate.warning,
            why: ownership.detail,
          });
        }
        return { action: 'skip', skip: ownership.skip, detail: ownership.detail };
      }
      if (settings.dryRun) return decision;
      const deleting = await deleteProvision(deps, provision, decision.message);
      return deleting ? decision : changedConcurrently;
    }
    default:
      return decision;
  }
};

/** One provision: observe, decide (pure), carry out with one compare-and-set write at most. */
const examineProvision = async (
  deps: ExamineDeps,
  settings: ExamineSettings,
  candidate: JanitorCandidate,
): Promise<JanitorDecision> => {
  const input = policyInput(candidate, settings, deps.clock.now());
  const activity = await observe(deps, settings, candidate, input);
  const decision = decideJanitorAction({ ...input, activity });
  return carryOut(deps, settings, candidate, input, decision);
};

export type { ExamineDeps, ExamineSettings };
export { examineProvision, policyInput };
