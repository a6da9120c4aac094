import { describe, expect, it } from 'vitest';
import { isLoopbackAddress } from '../../emulator/ack/control.js';
import { parseFaultsFromEnv } from '../../emulator/ack/fault-env.js';
import { FaultValidationError, parseFault } from '../../emulator/ack/fault-schema.js';
import { FaultSet } from '../../emulator/ack/faults.js';
import { seededRandom } from '../../emulator/ack/prng.js';

/** Fault objects: validation, defaults, counting, rates, and reading them from the environment. */

const fieldOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    if (error instanceof FaultValidationError) return error.field;
    throw error;
  }
  return undefined;
};

describe('fault objects', () => {
  it("fills throttling in with ACK's error shape", () => {
    expect(parseFault({ kind: 'throttle' })).toEqual({
      kind: 'throttle',
      status: 400,
      code: 'Throttling.User',
      message: 'Request was denied due to user flow control.',
      retryAfterMs: 1000,
    });
  });

  it('names the field at fault', () => {
    expect(fieldOf(() => parseFault({ kind: 'delay' }))).toBe('fault.delayMs');
    expect(fieldOf(() => parseFault({ kind: 'error', status: 200 }))).toBe('fault.status');
    expect(fieldOf(() => parseFault({ kind: 'reset-after', times: 0 }))).toBe('fault.times');
    expect(fieldOf(() => parseFault({ kind: 'fail-creation', action: 'CreateCluster' }))).toBe(
      'fault',
    );
    expect(fieldOf(() => parseFault('throttle'))).toBe('fault');
  });
});

describe('FaultSet', () => {
  it('fires a fault once by default, then answers normally', () => {
    const faults = new FaultSet(1);
    faults.add({ kind: 'unavailable' });
    expect(faults.takeRequestEffect('DescribeClustersV1')).toMatchObject({
      kind: 'answer',
      status: 503,
      code: 'ServiceUnavailable',
    });
    expect(faults.takeRequestEffect('DescribeClustersV1')).toBeUndefined();
  });

  it('counts `times` only on the action it is scoped to, first added first', () => {
    const faults = new FaultSet(1);
    faults.add({ kind: 'internal-error', action: 'DeleteCluster', times: 2 });
    faults.add({ kind: 'reset-before' });
    expect(faults.takeRequestEffect('DescribeTaskInfo')).toEqual({ kind: 'reset-before' });
    expect(faults.takeRequestEffect('DeleteCluster')).toMatchObject({ status: 500 });
    expect(faults.takeRequestEffect('DeleteCluster')).toMatchObject({ status: 500 });
    expect(faults.takeRequestEffect('DeleteCluster')).toBeUndefined();
  });

  it('fires a rate on the draws of its seeded PRNG, without limit unless `times` says so', () => {
    const faults = new FaultSet(1);
    faults.add({ kind: 'reset-after', rate: 0.3, seed: 5 });
    const draw = seededRandom(5);
    for (let request = 0; request < 50; request += 1) {
      const expected = draw() < 0.3 ? { kind: 'reset-after' } : undefined;
      expect(faults.takeRequestEffect('CreateCluster')).toEqual(expected);
    }
    expect(faults.list()[0]?.remaining).toBeNull();
  });

  it('seeds faults without their own seed from the emulator seed, so runs repeat', () => {
    const run = () => {
      const faults = new FaultSet(99);
      faults.add({ kind: 'unavailable', rate: 0.5 });
      return Array.from(
        { length: 20 },
        () => faults.takeRequestEffect('DescribeEvents') !== undefined,
      );
    };
    expect(run()).toEqual(run());
  });

  it('keeps creation failures apart from request faults', () => {
    const faults = new FaultSet(1);
    faults.add({ kind: 'fail-creation', namePattern: '^x-' });
    expect(faults.takeRequestEffect('CreateCluster')).toBeUndefined();
    expect(faults.takeCreationFailure('ok-1')).toBeUndefined();
    expect(faults.takeCreationFailure('x-1')).toBe('injected creation failure (fault-1)');
    expect(faults.takeCreationFailure('x-2')).toBe('injected creation failure (fault-1)');
    faults.add({ kind: 'fail-creation', message: 'quota of EIPs used up' });
    expect(faults.takeCreationFailure('any')).toBe('quota of EIPs used up');
    expect(faults.takeCreationFailure('any')).toBeUndefined();
  });

  it('removes one fault by id or clears all', () => {
    const faults = new FaultSet(1);
    const first = faults.add({ kind: 'reset-before' });
    faults.add({ kind: 'reset-after' });
    expect(faults.remove(first.id)).toBe(true);
    expect(faults.remove(first.id)).toBe(false);
    expect(faults.clear()).toBe(1);
    expect(faults.list()).toEqual([]);
  });
});

describe('parseFaultsFromEnv', () => {
  it('reads faults, failing names and the seed', () => {
    const options = parseFaultsFromEnv({
      ASKP_EMULATOR_FAULTS: '[{"kind":"throttle","action":"CreateCluster","rate":0.1}]',
      ASKP_EMULATOR_FAIL_NAMES: 'doomed|broken',
      ASKP_EMULATOR_SEED: '12',
    });
    expect(options.faults).toMatchObject([
      { kind: 'throttle', action: 'CreateCluster', rate: 0.1 },
    ]);
    expect(options.failNamePattern?.test('my-broken-1')).toBe(true);
    expect(options.seed).toBe(12);
  });

  it('reads nothing from an environment without them', () => {
    expect(parseFaultsFromEnv({ ASKP_EMULATOR_FAULTS: '', PATH: '/bin' })).toEqual({});
  });

  it.each([
    [{ ASKP_EMULATOR_FAULTS: 'not json' }, 'ASKP_EMULATOR_FAULTS'],
    [
      { ASKP_EMULATOR_FAULTS: '[{"kind":"reset-before"},{"kind":"throttle","rate":1.5}]' },
      'ASKP_EMULATOR_FAULTS[1].rate',
    ],
    [{ ASKP_EMULATOR_FAIL_NAMES: '([' }, 'ASKP_EMULATOR_FAIL_NAMES'],
    [{ ASKP_EMULATOR_SEED: 'abc' }, 'ASKP_EMULATOR_SEED'],
  ])('refuses %j naming %s', (env, field) => {
    expect(fieldOf(() => parseFaultsFromEnv(env))).toBe(field);
    expect(() => parseFaultsFromEnv(env)).toThrow(/^ASKP_EMULATOR/);
  });
});

describe('the control endpoint loopback guard', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.5', false],
    ['::ffff:192.168.1.4', false],
    ['fe80::1', false],
    [undefined, false],
  ])('treats %s as loopback: %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});
