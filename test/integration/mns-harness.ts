import { afterEach } from 'vitest';
import {
  type MnsEmulator,
  type MnsEmulatorOptions,
  startMnsEmulator,
} from '../../emulator/mns/mns-emulator.js';
import { newClock, type TestClock } from '../support/emulator-harness.js';

/**
 * Shared set-up for the MNS integration tests, as ack-harness.ts is for ACK's: an emulator on a
 * free loopback port with one queue and a clock the test moves, closed after each test.
 */

const KEY = { accessKeyId: 'LTAI-test-key-id', accessKeySecret: 'test-secret-do-not-log' };
const ACCOUNT = '1234567890123456';
const QUEUE = 'provision-jobs';
const START = Date.UTC(2025, 0, 1);

const started: MnsEmulator[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.close()));
});

const startMnsHarness = async (
  options: Partial<MnsEmulatorOptions> = {},
  clock: TestClock = newClock(START),
): Promise<{ emulator: MnsEmulator; clock: TestClock }> => {
  const emulator = await startMnsEmulator({ ...KEY, queues: [QUEUE], now: clock.now, ...options });
  started.push(emulator);
  return { emulator, clock };
};

export { ACCOUNT, KEY, QUEUE, START, startMnsHarness };
