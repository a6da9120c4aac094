import type { AckTask } from '../ack/cluster-api.port.js';
import type { NewProvisionEvent } from './provision.js';

/**
 * Where ACK's creation task stands, read from DescribeTaskInfo (pure). The SDK's stage
 * (`DescribeTaskInfoResponseBodyStages`) has `state`, `message`, `startTime`, `endTime` and
 * `outputs` but no name: the name is in the message (`success to xxxxx` in the SDK's example)
 * and, for the stage under way, in the task's `currentStage`. How many stages a creation has is
 * not reported either; we count the stages ACK listed, and never fewer than the three of a
 * serverless creation (UNVERIFIED, see docs/emulator.md), so the bar does not reach its end early.
 */

/** The stages of an ASK creation as far as we know them; only a floor for `totalStages`. */
const EXPECTED_CREATE_STAGES = 3;

type StageStatus = 'running' | 'success' | 'failed';

interface StageObservation {
  index: number;
  name: string;
  status: StageStatus;
  /** The stage's start (running) or end (success, failed) as ACK reports it, else `null`. */
  at: Date | null;
  message: string;
}

interface CreationProgress {
  /** The stage under way, else the last one ACK listed; null before the first. */
  stage: string | null;
  completedStages: number;
  totalStages: number;
}

const MESSAGE_NAME = /^\s*(?:start|started|success|succeeded|failed|fail)\s+to\s+(\S.*?)\s*$/i;

const statusOf = (state: string): StageStatus => {
  const lowered = state.toLowerCase();
  if (lowered === 'success' || lowered === 'succeeded' || lowered === 'finished') return 'success';
  if (lowered === 'fail' || lowered === 'failed' || lowered === 'error') return 'failed';
  return 'running';
};

/**
 * ACK writes stage times as `2022-12-15 23:00:00`, with no zone; like every other ACK time they
 * are taken as Beijing time (UNVERIFIED). An RFC 3339 time is read as such.
 */
const parseStageTime = (text: string | null): Date | null => {
  if (text === null || text.trim() === '') return null;
  const bare = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(text.trim());
  const iso = bare ? `${bare[1]}T${bare[2]}+08:00` : text.trim();
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : at;
};

const readCreationTask = (
  task: AckTask,
): { progress: CreationProgress; stages: StageObservation[] } => {
  const stages = task.stages.map((stage, index): StageObservation => {
    const status = statusOf(stage.state);
    const fromMessage = MESSAGE_NAME.exec(stage.message)?.[1];
    const isCurrent = status === 'running' && task.currentStage !== null;
    const name = fromMessage ?? (isCurrent ? task.currentStage : null) ?? `stage ${index + 1}`;
    return {
      index,
      name,
      status,
      at: parseStageTime(status === 'running' ? stage.startTime : stage.endTime),
      message: stage.message,
    };
  });
  const completedStages = stages.filter((stage) => stage.status === 'success').length;
  const current = stages.find((stage) => stage.status === 'running') ?? stages.at(-1);
  return {
    progress: {
      stage: task.currentStage ?? current?.name ?? null,
      completedStages,
      totalStages: Math.max(EXPECTED_CREATE_STAGES, stages.length),
    },
    stages,
  };
};

/** The key an observed stage status is recorded under, so each is written to the timeline once. */
const stageKey = (stage: StageObservation): string =>
  `${stage.index}:${stage.status === 'running' ? 'started' : 'ended'}`;

const VERB: Record<StageStatus, string> = {
  running: 'started',
  success: 'succeeded',
  failed: 'failed',
};

/** An `ack.stage` event; the store gives it the provision's state when it writes it. */
type StageEvent = Omit<NewProvisionEvent, 'state'>;

/**
 * The `ack.stage` timeline event of one stage status, at ACK's time for it when it gave one. A
 * failed stage's message is ACK's own text about the operator's account, so the tenant's
 * timeline names the stage only; the poller logs the text for the operator.
 */
const stageEvent = (stage: StageObservation, observedAt: Date): StageEvent => ({
  type: 'ack.stage',
  message: `stage ${stage.name} ${VERB[stage.status]}`,
  source: 'ack',
  at: stage.at ?? observedAt,
});

/**
 * The events not yet recorded, in stage order. A stage first seen already ended gets only its
 * end: its start was never observed, and the end event says it ran.
 */
const newStageEvents = (
  stages: readonly StageObservation[],
  recorded: ReadonlySet<string>,
  observedAt: Date,
): { key: string; event: StageEvent }[] =>
  stages
    .filter((stage) => !recorded.has(stageKey(stage)))
    .map((stage) => ({ key: stageKey(stage), event: stageEvent(stage, observedAt) }));

export type { CreationProgress, StageEvent, StageObservation, StageStatus };
export { EXPECTED_CREATE_STAGES, newStageEvents, parseStageTime, readCreationTask, stageKey };
