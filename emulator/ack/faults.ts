import type { AckActionName } from './actions.js';
import { type AckFault, type ParsedFault, parseFault } from './fault-schema.js';
import { seededRandom } from './prng.js';

/**
 * The active faults: the router asks for the fault of each ACK request, CreateCluster asks whether
 * a creation is doomed. Faults fire in the order they were added; the first that matches (action,
 * name pattern, rate draw) is used and counted. Faults live in memory only: a restart clears
 * the ones added at run time and re-reads the ones given as options (the environment).
 */

/** What happens to one ACK request. */
type RequestEffect =
  | { kind: 'answer'; status: number; code: string; message: string; retryAfterMs?: number }
  | { kind: 'delay'; delayMs: number }
  | { kind: 'reset-before' }
  | { kind: 'reset-after' };

interface ActiveFault {
  id: string;
  fault: ParsedFault;
  /** null: unlimited. */
  remaining: number | null;
  fired: number;
  random: () => number;
}

/** How a fault is listed by the control endpoint. */
type FaultView = ParsedFault & { id: string; remaining: number | null; fired: number };

const effectOf = (fault: ParsedFault): RequestEffect | undefined => {
  switch (fault.kind) {
    case 'throttle':
    case 'error':
      return {
        kind: 'answer',
        status: fault.status,
        code: fault.code,
        message: fault.message,
        ...(fault.retryAfterMs === undefined ? {} : { retryAfterMs: fault.retryAfterMs }),
      };
    case 'unavailable':
      return {
        kind: 'answer',
        status: 503,
        code: 'ServiceUnavailable',
        message: 'The request has failed due to a temporary failure of the server.',
      };
    case 'internal-error':
      return {
        kind: 'answer',
        status: 500,
        code: 'InternalError',
        message: 'The request processing has failed due to some unknown error.',
      };
    case 'delay':
      return { kind: 'delay', delayMs: fault.delayMs };
    case 'reset-before':
    case 'reset-after':
      return { kind: fault.kind };
    case 'fail-creation':
    case 'fail-task':
      return undefined;
  }
};

const unlimitedByDefault = (fault: ParsedFault): boolean =>
  fault.rate !== undefined || (fault.kind === 'fail-creation' && fault.namePattern !== undefined);

class FaultSet {
  private active: ActiveFault[] = [];
  private added = 0;

  public constructor(private readonly seed: number) {}

  /** Validates (throws FaultValidationError naming the field) and activates a fault. */
  public add(input: AckFault | ParsedFault): FaultView {
    const fault = parseFault(input);
    this.added += 1;
    const entry: ActiveFault = {
      id: `fault-${this.added}`,
      fault,
      remaining: fault.times ?? (unlimitedByDefault(fault) ? null : 1),
      fired: 0,
      random: seededRandom(fault.seed ?? this.seed + this.added),
    };
    this.active.push(entry);
    return this.view(entry);
  }

  public list(): FaultView[] {
    return this.active.map((entry) => this.view(entry));
  }

  public remove(id: string): boolean {
    const before = this.active.length;
    this.active = this.active.filter((entry) => entry.id !== id);
    return this.active.length < before;
  }

  public clear(): number {
    const count = this.active.length;
    this.active = [];
    return count;
  }

  /** The effect for one request of `action`, counted as used; undefined: answer normally. */
  public takeRequestEffect(action: AckActionName | 'Unknown'): RequestEffect | undefined {
    const entry = this.fire(
      (fault) =>
        fault.kind !== 'fail-creation' &&
        fault.kind !== 'fail-task' &&
        (fault.action === undefined || fault.action === action),
    );
    return entry === undefined ? undefined : effectOf(entry.fault);
  }

  /** Why a creation of a cluster with this name fails, or undefined when it succeeds. */
  public takeCreationFailure(name: string): string | undefined {
    const entry = this.fire(
      (fault) =>
        fault.kind === 'fail-creation' &&
        (fault.namePattern === undefined || new RegExp(fault.namePattern).test(name)),
    );
    if (entry === undefined || entry.fault.kind !== 'fail-creation') return undefined;
    return entry.fault.message ?? `injected creation failure (${entry.id})`;
  }

  /** Why a change task of this type fails mid-way, or undefined when it succeeds. */
  public takeTaskFailure(taskType: string): string | undefined {
    const entry = this.fire(
      (fault) =>
        fault.kind === 'fail-task' && (fault.taskType === undefined || fault.taskType === taskType),
    );
    if (entry === undefined || entry.fault.kind !== 'fail-task') return undefined;
    return entry.fault.message ?? `injected task failure (${entry.id})`;
  }

  private fire(matches: (fault: ParsedFault) => boolean): ActiveFault | undefined {
    for (const entry of this.active) {
      if (!matches(entry.fault)) continue;
      // A rate is drawn per matching request, so the sequence of outcomes depends on the seed only.
      if (entry.fault.rate !== undefined && entry.random() >= entry.fault.rate) continue;
      entry.fired += 1;
      if (entry.remaining !== null) {
        entry.remaining -= 1;
        if (entry.remaining <= 0) this.active = this.active.filter((other) => other !== entry);
      }
      return entry;
    }
    return undefined;
  }

  private view(entry: ActiveFault): FaultView {
    return { ...entry.fault, id: entry.id, remaining: entry.remaining, fired: entry.fired };
  }
}

export type { AckFault, FaultView, RequestEffect };
export { FaultSet };
