import type { JanitorDecision, SkipReason } from './janitor-policy.js';

/**
 * One janitor run's report (the `janitor_runs` row, `GET /v1/admin/janitor/runs`): how many
 * provisions it examined, warned, deleted and whose warning it cancelled, what it skipped and
 * why, what it did to each, and the orphans it saw. In a dry run the counts and actions are
 * what it would have done.
 */

type JanitorMode = 'dry-run' | 'live';

/**
 * What the janitor did about an orphan: `listed` (not ours to delete: the store does not know its
 * provision, or ACK's deletion protection is on), `waiting` (reaped once `reapAfter` passed),
 * `would-reap` (a dry run), `reaped` (DeleteCluster accepted), `reap-failed`.
 */
type OrphanAction = 'listed' | 'waiting' | 'would-reap' | 'reaped' | 'reap-failed';

/** A cluster in ACK that carries our provision tag but that no live provision owns. */
interface JanitorOrphan {
  clusterId: string;
  regionId: string;
  name: string;
  /** The provision id its tag names. */
  provisionId: string;
  why: string;
  action: OrphanAction;
  /** When a `waiting` orphan is reaped (ISO 8601). */
  reapAfter?: string;
  /** Why the reap was held back or failed. */
  detail?: string;
}

interface JanitorActionRecord {
  provisionId: string;
  action: 'warn' | 'wait' | 'cancel' | 'delete' | 'skip';
  /** ttl | idle, or the skip reason. */
  reason: string;
  detail: string;
  /** When the provision is (or would be) deleted, for warn and wait. */
  deleteAt?: string;
}

interface SkippedTally {
  count: number;
  /** Up to MAX_IDS_PER_REASON of them. */
  ids: string[];
}

interface JanitorRun {
  id: string;
  startedAt: Date;
  /** null while running, or when the run died before it finished. */
  finishedAt: Date | null;
  mode: JanitorMode;
  examined: number;
  warned: number;
  deleted: number;
  cancelled: number;
  skipped: Record<string, SkippedTally>;
  orphans: JanitorOrphan[];
  actions: JanitorActionRecord[];
  /** Why the run stopped early, if it did (the orphan scan failing is recorded here too). */
  error: string | null;
}

const MAX_IDS_PER_REASON = 100;
const MAX_ACTIONS = 1000;

const newJanitorRun = (input: { id: string; startedAt: Date; mode: JanitorMode }): JanitorRun => ({
  ...input,
  finishedAt: null,
  examined: 0,
  warned: 0,
  deleted: 0,
  cancelled: 0,
  skipped: {},
  orphans: [],
  actions: [],
  error: null,
});

const recordSkip = (
  run: JanitorRun,
  provisionId: string,
  skip: SkipReason,
  detail: string,
): void => {
  const tally = run.skipped[skip] ?? { count: 0, ids: [] };
  tally.count += 1;
  if (tally.ids.length < MAX_IDS_PER_REASON) tally.ids.push(provisionId);
  run.skipped[skip] = tally;
  pushAction(run, { provisionId, action: 'skip', reason: skip, detail });
};

const pushAction = (run: JanitorRun, action: JanitorActionRecord): void => {
  if (run.actions.length < MAX_ACTIONS) run.actions.push(action);
};

/**
 * Counts what was done (or, in a dry run, would have been) for one provision. `none` is only
 * examined; a skip is recorded with its reason.
 */
const recordOutcome = (run: JanitorRun, provisionId: string, decision: JanitorDecision): void => {
  switch (decision.action) {
    case 'none':
      return;
    case 'skip':
      recordSkip(run, provisionId, decision.skip, decision.detail);
      return;
    case 'warn':
      run.warned += 1;
      pushAction(run, {
        provisionId,
        action: 'warn',
        reason: decision.reason,
        detail: decision.message,
        deleteAt: decision.deleteAt.toISOString(),
      });
      return;
    case 'wait':
      pushAction(run, {
        provisionId,
        action: 'wait',
        reason: decision.reason,
        detail: 'warned; the grace period is running',
        deleteAt: decision.deleteAt.toISOString(),
      });
      return;
    case 'cancel':
      run.cancelled += 1;
      pushAction(run, {
        provisionId,
        action: 'cancel',
        reason: decision.reason,
        detail: decision.why,
      });
      return;
    case 'delete':
      run.deleted += 1;
      pushAction(run, {
        provisionId,
        action: 'delete',
        reason: decision.reason,
        detail: decision.message,
      });
      return;
  }
};

export type {
  JanitorActionRecord,
  JanitorMode,
  JanitorOrphan,
  JanitorRun,
  OrphanAction,
  SkippedTally,
};
export { MAX_ACTIONS, MAX_IDS_PER_REASON, newJanitorRun, recordOutcome, recordSkip };
