import type { JanitorRun } from '../domain/janitor-run.js';

/** The janitor's run reports. */
interface JanitorRunStore {
  /** Inserts the row of a run that has started (counts zero, not finished). */
  startJanitorRun(run: JanitorRun): Promise<void>;
  /** Writes the whole report of a run. */
  finishJanitorRun(run: JanitorRun): Promise<void>;
  /** Runs newest first; `beforeId` pages on (ids are time-ordered). */
  listJanitorRuns(input: { beforeId?: string; limit: number }): Promise<JanitorRun[]>;
}

export type { JanitorRunStore };
