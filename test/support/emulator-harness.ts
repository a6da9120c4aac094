import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/**
 * What the emulator test set-ups (ACK: test/integration/ack-harness.ts, MNS:
 * test/integration/mns-harness.ts) share: a clock the test moves by hand, temporary directories
 * removed after each test, and the reason a promise was rejected with.
 */

interface TestClock {
  now: () => number;
  advanceSeconds: (seconds: number) => void;
}

const newClock = (start: number): TestClock => {
  let now = start;
  return {
    now: () => now,
    advanceSeconds: (seconds) => {
      now += seconds * 1000;
    },
  };
};

const tempDirs: string[] = [];

afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test. */
const tempDir = (prefix = 'emulator-test-'): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
};

/** Resolves with the rejection reason, failing the test if the promise resolves. */
const rejectionOf = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};

export type { TestClock };
export { newClock, rejectionOf, tempDir };
