import type { CreationProgress, StageEvent } from '../domain/creation-progress.js';

/** Where a creation stands, as the poller last read it from ACK's create task. */
interface StoredCreationProgress extends CreationProgress {
  provisionId: string;
  taskId: string;
  /** The stage statuses already written to the timeline (see `stageKey`). */
  recorded: string[];
  checkedAt: Date;
}

/**
 * The creation-progress port: the poller records what ACK's create task says, the API shows it.
 * Writes never touch the provision's version, so they cannot make another writer's
 * compare-and-set fail.
 */
interface CreationProgressStore {
  /** The progress of these provisions (those that have one). */
  getCreationProgress(input: {
    provisionIds: readonly string[];
  }): Promise<Map<string, StoredCreationProgress>>;
  /**
   * In one transaction, under the provision's row lock: appends the events whose key is not yet
   * recorded (in order, with the provision's current state) and stores the progress with the
   * union of the keys. Returns how many events were written; 0 when the provision is gone.
   */
  recordCreationProgress(input: {
    provisionId: string;
    taskId: string;
    progress: CreationProgress;
    stages: readonly { key: string; event: StageEvent }[];
    checkedAt: Date;
  }): Promise<number>;
}

export type { CreationProgressStore, StoredCreationProgress };
