import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoredCluster, StoredTask } from './types.js';

/**
 * The emulator's state: clusters and tasks in memory, optionally mirrored to a JSON file that is
 * rewritten (atomically: temp file + rename) after every change and loaded at start, so the
 * emulated account survives a restart of the local host. Deleted clusters stay in the file: their
 * tasks must still answer, and real ACK keeps answering DescribeTaskInfo for them.
 */

interface StateFile {
  version: 1;
  nextSeq: number;
  clusters: StoredCluster[];
  tasks: StoredTask[];
}

const isStateFile = (value: unknown): value is StateFile => {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof StateFile, unknown>>;
  return (
    candidate.version === 1 &&
    typeof candidate.nextSeq === 'number' &&
    Array.isArray(candidate.clusters) &&
    Array.isArray(candidate.tasks)
  );
};

/**
 * Indexes keep every request's cost proportional to what it reads, not to the account: the router
 * settles change tasks before every request and a listing pages through the clusters, so with
 * thousands of clusters a scan of every task per cluster (what `tasksOf` was) made each request
 * quadratic in the account's size.
 */
class ClusterStore {
  private readonly clusters = new Map<string, StoredCluster>();
  private readonly tasks = new Map<string, StoredTask>();
  /** Task ids per cluster id. */
  private readonly taskIdsByCluster = new Map<string, Set<string>>();
  /** Change tasks (staged) whose effect is not applied yet: what settling has to look at. */
  private readonly unsettled = new Set<string>();
  /** `allClusters()` in creation order, rebuilt after a change to the clusters. */
  private sortedClusters: StoredCluster[] | undefined;
  private nextSeq = 1;

  public constructor(private readonly stateFile: string | undefined) {
    if (stateFile !== undefined) this.load(stateFile);
  }

  /** Every cluster, oldest first (by `seq`). Callers must not mutate the array. */
  public allClusters(): readonly StoredCluster[] {
    this.sortedClusters ??= [...this.clusters.values()].sort((a, b) => a.seq - b.seq);
    return this.sortedClusters;
  }

  public getCluster(clusterId: string): StoredCluster | undefined {
    return this.clusters.get(clusterId);
  }

  /** A cluster's tasks, oldest first. */
  public tasksOf(clusterId: string): StoredTask[] {
    const tasks: StoredTask[] = [];
    for (const taskId of this.taskIdsByCluster.get(clusterId) ?? []) {
      const task = this.tasks.get(taskId);
      if (task !== undefined) tasks.push(task);
    }
    return tasks.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Staged change tasks whose effect has not been applied, oldest first. */
  public unsettledChangeTasks(): StoredTask[] {
    const tasks: StoredTask[] = [];
    for (const taskId of this.unsettled) {
      const task = this.tasks.get(taskId);
      if (task !== undefined) tasks.push(task);
    }
    return tasks.sort((a, b) => a.createdAt - b.createdAt);
  }

  public getTask(taskId: string): StoredTask | undefined {
    return this.tasks.get(taskId);
  }

  public takeSeq(): number {
    const seq = this.nextSeq;
    this.nextSeq += 1;
    return seq;
  }

  /** Inserts or replaces records, then persists once. */
  public save(changes: { clusters?: StoredCluster[]; tasks?: StoredTask[] }): void {
    for (const cluster of changes.clusters ?? []) this.putCluster(cluster);
    for (const task of changes.tasks ?? []) this.putTask(task);
    this.persist();
  }

  private putCluster(cluster: StoredCluster): void {
    this.clusters.set(cluster.clusterId, cluster);
    this.sortedClusters = undefined;
  }

  private putTask(task: StoredTask): void {
    const previous = this.tasks.get(task.taskId);
    if (previous !== undefined && previous.clusterId !== task.clusterId)
      this.taskIdsByCluster.get(previous.clusterId)?.delete(task.taskId);
    this.tasks.set(task.taskId, task);
    const ids = this.taskIdsByCluster.get(task.clusterId) ?? new Set<string>();
    ids.add(task.taskId);
    this.taskIdsByCluster.set(task.clusterId, ids);
    if (task.stages !== undefined && task.applied !== true) this.unsettled.add(task.taskId);
    else this.unsettled.delete(task.taskId);
  }

  private load(stateFile: string): void {
    let text: string;
    try {
      text = readFileSync(stateFile, 'utf8');
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return;
      throw error;
    }
    const parsed: unknown = JSON.parse(text);
    if (!isStateFile(parsed)) {
      throw new Error(`ACK emulator state file ${stateFile} is not a version 1 state file`);
    }
    for (const cluster of parsed.clusters) this.putCluster(cluster);
    for (const task of parsed.tasks) this.putTask(task);
    this.nextSeq = parsed.nextSeq;
  }

  private persist(): void {
    if (this.stateFile === undefined) return;
    const state: StateFile = {
      version: 1,
      nextSeq: this.nextSeq,
      clusters: [...this.allClusters()],
      tasks: [...this.tasks.values()],
    };
    mkdirSync(dirname(this.stateFile), { recursive: true });
    const temporary = `${this.stateFile}.${process.pid}.tmp`;
    // Unindented: the whole file is rewritten on every change, on the event loop the local stack
    // shares; indentation made it larger and slower to build (docs/performance.md, lever table).
    writeFileSync(temporary, `${JSON.stringify(state)}\n`);
    renameSync(temporary, this.stateFile);
  }
}

export { ClusterStore };
