import { describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/logger.js';
import { createAckCallTally } from '../../shared/metrics/ack-call-tally.js';

type Counts = readonly { action: string; code: string; calls: number }[];

const silent = createLogger({ level: 'error', write: () => {} });

describe('ACK call tally', () => {
  it('adds an invocation’s calls to the store in one write, grouped by action and outcome', async () => {
    const writes: Counts[] = [];
    const tally = createAckCallTally({
      store: { addAckCalls: async (counts) => void writes.push(counts) },
      logger: silent,
      flushMs: 60_000,
    });
    for (let i = 0; i < 5; i += 1) tally.count('DescribeClustersV1', 'OK');
    tally.count('DescribeClustersV1', 'ACK_THROTTLED');
    tally.count('DescribeTaskInfo', 'OK');
    expect(writes).toEqual([]);
    await tally.flush();
    expect(writes).toHaveLength(1);
    expect([...(writes[0] ?? [])].sort((a, b) => a.code.localeCompare(b.code))).toEqual([
      { action: 'DescribeClustersV1', code: 'ACK_THROTTLED', calls: 1 },
      { action: 'DescribeClustersV1', code: 'OK', calls: 5 },
      { action: 'DescribeTaskInfo', code: 'OK', calls: 1 },
    ]);
    // Nothing counted since: nothing written.
    await tally.flush();
    expect(writes).toHaveLength(1);
  });

  it('keeps the counts for the next flush when the write fails', async () => {
    const writes: Counts[] = [];
    let failing = true;
    const tally = createAckCallTally({
      store: {
        addAckCalls: async (counts) => {
          if (failing) throw new Error('database down');
          writes.push(counts);
        },
      },
      logger: silent,
      flushMs: 60_000,
    });
    tally.count('CreateCluster', 'OK');
    await tally.flush();
    expect(writes).toEqual([]);
    failing = false;
    tally.count('CreateCluster', 'OK');
    await tally.flush();
    expect(writes).toEqual([[{ action: 'CreateCluster', code: 'OK', calls: 2 }]]);
  });
});
