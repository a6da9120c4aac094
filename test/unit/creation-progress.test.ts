import { describe, expect, it } from 'vitest';
import type { AckTask } from '../../shared/ack/cluster-api.port.js';
import {
  newStageEvents,
  parseStageTime,
  readCreationTask,
} from '../../shared/domain/creation-progress.js';

const task = (overrides: Partial<AckTask>): AckTask => ({
  taskId: 'T-1',
  clusterId: 'c1',
  taskType: 'cluster_create',
  state: 'running',
  currentStage: null,
  stages: [],
  events: [],
  error: null,
  created: null,
  updated: null,
  ...overrides,
});

describe('reading the create task', () => {
  it('takes stage names from the messages and counts the finished ones', () => {
    const read = readCreationTask(
      task({
        currentStage: 'CreateControlPlane',
        stages: [
          {
            state: 'success',
            message: 'success to CreateNetwork',
            startTime: '2025-06-01 08:00:00',
            endTime: '2025-06-01 08:00:10',
          },
          {
            state: 'running',
            message: 'start to CreateControlPlane',
            startTime: '2025-06-01 08:00:10',
            endTime: null,
          },
        ],
      }),
    );
    expect(read.progress).toEqual({
      stage: 'CreateControlPlane',
      completedStages: 1,
      totalStages: 3,
    });
    expect(read.stages.map((s) => [s.name, s.status, s.at?.toISOString()])).toEqual([
      ['CreateNetwork', 'success', '2025-06-01T00:00:10.000Z'],
      ['CreateControlPlane', 'running', '2025-06-01T00:00:10.000Z'],
    ]);
  });

  it('names an unnamed stage by currentStage or its position, never failing on odd text', () => {
    const read = readCreationTask(
      task({
        currentStage: 'Bootstrapping',
        stages: [
          { state: 'finished', message: '', startTime: 'garbage', endTime: 'garbage' },
          { state: 'running', message: 'working', startTime: null, endTime: null },
        ],
      }),
    );
    expect(read.stages.map((s) => [s.name, s.status, s.at])).toEqual([
      ['stage 1', 'success', null],
      ['Bootstrapping', 'running', null],
    ]);
  });

  it('counts more stages than expected when ACK lists more', () => {
    const stages = Array.from({ length: 5 }, (_, i) => ({
      state: 'success',
      message: `success to S${i}`,
      startTime: null,
      endTime: null,
    }));
    expect(readCreationTask(task({ stages })).progress.totalStages).toBe(5);
  });

  it('reads ACK stage times as Beijing time and RFC 3339 as written', () => {
    expect(parseStageTime('2022-12-15 23:00:00')?.toISOString()).toBe('2022-12-15T15:00:00.000Z');
    expect(parseStageTime('2022-12-15T23:00:00Z')?.toISOString()).toBe('2022-12-15T23:00:00.000Z');
    expect(parseStageTime('')).toBeNull();
  });
});

describe('stage events', () => {
  const observedAt = new Date('2025-06-01T00:01:00Z');
  const stages = readCreationTask(
    task({
      stages: [
        { state: 'success', message: 'success to A', startTime: null, endTime: null },
        {
          state: 'failed',
          message: 'failed to B',
          startTime: null,
          endTime: '2025-06-01 08:00:30',
        },
      ],
    }),
  ).stages;

  it('writes only what is not recorded yet, with the time ACK gave or the observation time', () => {
    const fresh = newStageEvents(stages, new Set(['0:ended']), observedAt);
    expect(fresh).toEqual([
      {
        key: '1:ended',
        event: {
          type: 'ack.stage',
          // ACK's own text about a failed stage stays out of the tenant's timeline.
          message: 'stage B failed',
          source: 'ack',
          at: new Date('2025-06-01T00:00:30Z'),
        },
      },
    ]);
    expect(newStageEvents(stages, new Set(), observedAt)[0]?.event.at).toEqual(observedAt);
    expect(newStageEvents(stages, new Set(['0:ended', '1:ended']), observedAt)).toEqual([]);
  });
});
