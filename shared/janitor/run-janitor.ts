import { isDomainError } from '../domain/errors.js';
import type { JanitorRun } from '../domain/janitor-run.js';
import { newJanitorRun, recordOutcome, recordSkip } from '../domain/janitor-run.js';
import { newId } from '../ids.js';
import { startHeartbeat } from '../leases/heartbeat.js';
import type { EventStore } from '../store/event.port.js';
import type { JanitorRunStore } from '../store/janitor-run.port.js';
import { type TimeBudget, unlimitedBudget } from '../time-budget.js';
import type { ExamineDeps, ExamineSettings } from './examine-provision.js';
import { examineProvision } from './examine-provision.js';
import { findOrphans } from './find-orphans.js';

interface JanitorSettings extends ExamineSettings {
  /** A short lease, renewed by a heartbeat while the run works: a killed run blocks one lease. */
  leaseSeconds: number;
  /** How long an orphan of a known provision is listed before it is reaped. */
  orphanGraceSeconds: number;
  /** Resource types DeleteCluster keeps when an orphan is reaped (ASKP_DELETE_RETAIN). */
  retain: readonly string[];
  /** Regions scanned for orphans besides those the store has provisions in. */
  regions: readonly string[];
  /** Names this instance in the lease (the run's id is added). */
  owner: string;
  /** Candidates read per page (default 200). */
  pageSize?: number;
  /**
   * The run's time budget and what examining one provision may take (its ACK and Kubernetes
   * calls): no provision is started that could not be finished in time. Default: no limit.
   */
  budget?: TimeBudget;
  examineMs?: number;
}

/** Examining (ExamineDeps) plus the run's report. */
interface JanitorDeps extends ExamineDeps {
  /** EventStore: a reaped orphan is recorded in its provision's timeline. */
  store: ExamineDeps['store'] & JanitorRunStore & EventStore;
}

type JanitorResult =
  | { outcome: 'done'; run: JanitorRun }
  | { outcome: 'busy'; message: string; holder: string; leaseUntil: Date };

const LEASE_NAME = 'janitor';

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Every running provision, page by page; one provision's failure never stops the others. */
const examineAll = async (
  deps: ExamineDeps,
  settings: JanitorSettings,
  run: JanitorRun,
): Promise<'all' | 'out-of-time'> => {
  const budget = settings.budget ?? unlimitedBudget;
  let afterId: string | undefined;
  for (;;) {
    const page = await deps.store.listJanitorCandidates({
      limit: settings.pageSize ?? 200,
      ...(afterId === undefined ? {} : { afterId }),
    });
    for (const candidate of page) {
      const { id } = candidate.provision;
      if (!budget.allows(settings.examineMs ?? 0)) return 'out-of-time';
      run.examined += 1;
      try {
        recordOutcome(run, id, await examineProvision(deps, settings, candidate));
      } catch (error) {
        deps.logger.warn('the janitor could not examine a provision', {
          provisionId: id,
          code: isDomainError(error) ? error.code : 'UNKNOWN',
          error,
        });
        recordSkip(run, id, 'error', messageOf(error));
      }
    }
    const last = page.at(-1);
    if (last === undefined || page.length < (settings.pageSize ?? 200)) return 'all';
    afterId = last.provision.id;
  }
};

/**
 * One janitor run: take the lease (a run that finds it held exits at once), record that the run
 * started, examine every running provision (warn, cancel, delete: each a compare-and-set of its
 * own), list orphans, and write the report. A run that dies leaves its row unfinished and its
 * lease to expire; the next run decides everything again from the rows.
 */
const runJanitor = async (deps: JanitorDeps, settings: JanitorSettings): Promise<JanitorResult> => {
  const startedAt = deps.clock.now();
  const runId = newId('jnr', startedAt.getTime());
  // Per run, not per instance: two invocations on one instance must not share a lease.
  const owner = `${settings.owner}/${runId}`;
  const lease = await deps.store.acquireJanitorLease({
    name: LEASE_NAME,
    owner,
    now: startedAt,
    leaseUntil: new Date(startedAt.getTime() + settings.leaseSeconds * 1000),
  });
  if (!lease.acquired) {
    const message = 'another run holds the lease';
    deps.logger.info(message, { holder: lease.owner, leaseUntil: lease.leaseUntil });
    return { outcome: 'busy', message, holder: lease.owner, leaseUntil: lease.leaseUntil };
  }
  const leaseMs = settings.leaseSeconds * 1000;
  const heartbeat = startHeartbeat({
    leaseMs,
    renew: async () => {
      const now = deps.clock.now();
      const renewed = await deps.store.acquireJanitorLease({
        name: LEASE_NAME,
        owner,
        now,
        leaseUntil: new Date(now.getTime() + leaseMs),
      });
      return renewed.acquired;
    },
    onLost: () => deps.logger.warn('the janitor lost its lease mid-run', { owner }),
    onError: (error) => deps.logger.warn('renewing the janitor lease failed', { error }),
  });
  const run = newJanitorRun({
    id: runId,
    startedAt,
    mode: settings.dryRun ? 'dry-run' : 'live',
  });
  try {
    await deps.store.startJanitorRun(run);
    const examined = await examineAll(deps, settings, run);
    if (
      examined === 'out-of-time' ||
      !(settings.budget ?? unlimitedBudget).allows(settings.examineMs ?? 0)
    ) {
      // Ending now leaves the run's report written and its lease released; the next run
      // decides everything again from the rows, so nothing is lost but time.
      run.error = `out of time before the function's timeout: ${run.examined} provisions examined${examined === 'out-of-time' ? ', the rest' : ''} and the orphan scan left for the next run`;
      deps.logger.warn('janitor run out of time', {
        examined: run.examined,
        left: examined === 'out-of-time' ? 'provisions and the orphan scan' : 'the orphan scan',
      });
    } else {
      try {
        run.orphans = await findOrphans(deps, {
          extraRegions: settings.regions,
          dryRun: settings.dryRun,
          graceSeconds: settings.orphanGraceSeconds,
          retain: settings.retain,
        });
      } catch (error) {
        run.error = `the orphan scan failed: ${messageOf(error)}`;
        deps.logger.warn('the janitor could not list orphans', { error });
      }
    }
    run.finishedAt = deps.clock.now();
    await deps.store.finishJanitorRun(run);
    return { outcome: 'done', run };
  } catch (error) {
    run.error = messageOf(error);
    await deps.store.finishJanitorRun(run).catch(() => undefined);
    throw error;
  } finally {
    await heartbeat.stop();
    await deps.store
      .releaseJanitorLease({ name: LEASE_NAME, owner })
      .catch((error: unknown) => deps.logger.warn('releasing the janitor lease failed', { error }));
  }
};

export type { JanitorResult, JanitorSettings };
export { LEASE_NAME, runJanitor };
