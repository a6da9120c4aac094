import { describe, expect, it } from 'vitest';
import type { JanitorWarning, PolicyInput } from '../../shared/domain/janitor-policy.js';
import {
  decideJanitorAction,
  describeDuration,
  needsActivity,
  settingsCallOff,
  ttlWarningOnSet,
  warningFor,
} from '../../shared/domain/janitor-policy.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (offsetMs: number): Date => new Date(NOW.getTime() + offsetMs);

/** A running cluster with no policy, created a day ago; each case changes what it is about. */
const input = (overrides: Partial<PolicyInput> = {}): PolicyInput => ({
  now: NOW,
  warnSeconds: 3600,
  state: 'running',
  labels: {},
  deletionProtection: false,
  expiresAt: null,
  idleAfterSeconds: null,
  runningSince: at(-24 * HOUR),
  activitySeenAt: null,
  warning: null,
  activity: undefined,
  ...overrides,
});

const ttlWarning = (overrides: Partial<JanitorWarning> = {}): JanitorWarning => ({
  reason: 'ttl',
  warnedAt: at(-30 * MIN),
  deleteAt: at(30 * MIN),
  expiresAtBasis: at(30 * MIN),
  idleAfterBasis: null,
  ...overrides,
});

const idleWarning = (overrides: Partial<JanitorWarning> = {}): JanitorWarning => ({
  reason: 'idle',
  warnedAt: at(-30 * MIN),
  deleteAt: at(30 * MIN),
  expiresAtBasis: null,
  idleAfterBasis: 7200,
  ...overrides,
});

const quiet = { activeWorkloadPods: 0, lastActivityAt: null };

describe('janitor policy: what is never touched', () => {
  it('skips a provision that is not running', () => {
    for (const state of ['provisioning', 'failed', 'deleting'] as const) {
      expect(decideJanitorAction(input({ state, expiresAt: at(-HOUR) }))).toMatchObject({
        action: 'skip',
        skip: 'not-running',
      });
    }
  });

  it('skips a cluster labelled keep=true (any case) however expired or idle', () => {
    for (const value of ['true', 'TRUE', 'True']) {
      const decision = decideJanitorAction(
        input({
          labels: { keep: value },
          expiresAt: at(-HOUR),
          idleAfterSeconds: 900,
          activity: quiet,
        }),
      );
      expect(decision).toMatchObject({ action: 'skip', skip: 'keep-label' });
    }
  });

  it('does not treat keep=false as keep', () => {
    const decision = decideJanitorAction(input({ labels: { keep: 'false' }, expiresAt: at(0) }));
    expect(decision.action).toBe('warn');
  });

  it('skips a cluster with deletion protection', () => {
    const decision = decideJanitorAction(input({ deletionProtection: true, expiresAt: at(-HOUR) }));
    expect(decision).toMatchObject({ action: 'skip', skip: 'deletion-protection' });
  });

  it('skips a cluster with neither an expiry nor idleAfter as having no policy', () => {
    expect(decideJanitorAction(input())).toMatchObject({ action: 'skip', skip: 'no-policy' });
  });
});

describe('janitor policy: TTL', () => {
  it('does nothing before the warning window opens', () => {
    expect(decideJanitorAction(input({ expiresAt: at(HOUR + MIN) }))).toEqual({ action: 'none' });
  });

  it('warns warnSeconds before the expiry, deleting at the expiry', () => {
    const decision = decideJanitorAction(input({ expiresAt: at(HOUR) }));
    expect(decision).toMatchObject({ action: 'warn', reason: 'ttl', deleteAt: at(HOUR) });
  });

  it('first seeing an unwarned cluster after its expiry, warns now and deletes on the next run (no stretch to the notice period)', () => {
    const decision = decideJanitorAction(input({ expiresAt: at(-2 * HOUR) }));
    expect(decision).toMatchObject({ action: 'warn', reason: 'ttl', deleteAt: at(0) });
  });

  it('inside the window, the notice is what is left of the lifetime: deletion at expiresAt', () => {
    const decision = decideJanitorAction(input({ expiresAt: at(10 * MIN) }));
    expect(decision).toMatchObject({ action: 'warn', reason: 'ttl', deleteAt: at(10 * MIN) });
  });

  it('waits while the grace period runs', () => {
    const decision = decideJanitorAction(input({ expiresAt: at(30 * MIN), warning: ttlWarning() }));
    expect(decision).toEqual({ action: 'wait', reason: 'ttl', deleteAt: at(30 * MIN) });
  });

  it('deletes once the deletion time has come', () => {
    const warning = ttlWarning({ deleteAt: at(0), expiresAtBasis: at(0) });
    const decision = decideJanitorAction(input({ expiresAt: at(0), warning }));
    expect(decision).toMatchObject({ action: 'delete', reason: 'ttl' });
  });

  it('cancels when the expiry was extended or removed after the warning (a PATCH)', () => {
    const extended = decideJanitorAction(input({ expiresAt: at(5 * HOUR), warning: ttlWarning() }));
    expect(extended).toMatchObject({ action: 'cancel', reason: 'ttl' });
    if (extended.action === 'cancel') expect(extended.why).toContain('expiry was changed');
    const removed = decideJanitorAction(input({ expiresAt: null, warning: ttlWarning() }));
    expect(removed).toMatchObject({ action: 'cancel', why: 'the expiry was removed' });
  });

  it('cancels when keep=true or deletion protection arrives during the grace period', () => {
    const expiresAt = at(30 * MIN);
    expect(
      decideJanitorAction(input({ expiresAt, labels: { keep: 'true' }, warning: ttlWarning() })),
    ).toMatchObject({ action: 'cancel', why: 'the label keep=true was set' });
    expect(
      decideJanitorAction(input({ expiresAt, deletionProtection: true, warning: ttlWarning() })),
    ).toMatchObject({ action: 'cancel', why: 'deletion protection was turned on' });
  });

  it('is not cancelled by activity: a TTL is a lifetime, not an idle timeout', () => {
    const decision = decideJanitorAction(
      input({
        expiresAt: at(0),
        warning: ttlWarning({ deleteAt: at(0), expiresAtBasis: at(0) }),
        activity: { activeWorkloadPods: 3, lastActivityAt: NOW },
      }),
    );
    expect(decision.action).toBe('delete');
  });

  it('takes the TTL first when both policies are due', () => {
    const decision = decideJanitorAction(
      input({ expiresAt: at(10 * MIN), idleAfterSeconds: 900, activity: quiet }),
    );
    expect(decision).toMatchObject({ action: 'warn', reason: 'ttl' });
  });
});

describe('janitor policy: idle', () => {
  it('does not need the pods of a cluster running for less than idleAfter', () => {
    const early = input({ idleAfterSeconds: 7200, runningSince: at(-HOUR) });
    expect(needsActivity(early)).toBe(false);
    expect(decideJanitorAction(early)).toEqual({ action: 'none' });
  });

  it('does not need the pods when activity was seen within idleAfter', () => {
    expect(needsActivity(input({ idleAfterSeconds: 7200, activitySeenAt: at(-HOUR) }))).toBe(false);
  });

  it('needs the pods once idleness could be due, and to watch an idle warning', () => {
    expect(needsActivity(input({ idleAfterSeconds: 7200 }))).toBe(true);
    expect(needsActivity(input({ idleAfterSeconds: 7200, warning: idleWarning() }))).toBe(true);
    expect(needsActivity(input({ idleAfterSeconds: 7200, warning: ttlWarning() }))).toBe(false);
    expect(needsActivity(input({ idleAfterSeconds: 7200, labels: { keep: 'true' } }))).toBe(false);
  });

  it('finds a busy cluster not idle', () => {
    const decision = decideJanitorAction(
      input({ idleAfterSeconds: 7200, activity: { activeWorkloadPods: 1, lastActivityAt: null } }),
    );
    expect(decision).toEqual({ action: 'none' });
  });

  it('finds a cluster whose last pod finished recently not idle yet', () => {
    const decision = decideJanitorAction(
      input({
        idleAfterSeconds: 7200,
        activity: { activeWorkloadPods: 0, lastActivityAt: at(-HOUR) },
      }),
    );
    expect(decision).toEqual({ action: 'none' });
  });

  it('warns an idle cluster, deleting it warnSeconds later', () => {
    const decision = decideJanitorAction(input({ idleAfterSeconds: 7200, activity: quiet }));
    expect(decision).toMatchObject({ action: 'warn', reason: 'idle', deleteAt: at(HOUR) });
    if (decision.action === 'warn') expect(decision.message).toContain('idleAfter 2h');
  });

  it('skips a cluster whose pods could not be read when idleness could be due', () => {
    expect(decideJanitorAction(input({ idleAfterSeconds: 7200 }))).toMatchObject({
      action: 'skip',
      skip: 'activity-unknown',
    });
  });

  it('cancels an idle warning when a pod is active again', () => {
    const decision = decideJanitorAction(
      input({
        idleAfterSeconds: 7200,
        warning: idleWarning(),
        activity: { activeWorkloadPods: 2, lastActivityAt: at(-MIN) },
      }),
    );
    expect(decision).toMatchObject({ action: 'cancel', reason: 'idle' });
    if (decision.action === 'cancel') expect(decision.why).toContain('2 workload pod(s) active');
  });

  it('cancels an idle warning when a pod ran and finished during the grace period', () => {
    const decision = decideJanitorAction(
      input({
        idleAfterSeconds: 7200,
        warning: idleWarning(),
        activity: { activeWorkloadPods: 0, lastActivityAt: at(-5 * MIN) },
      }),
    );
    expect(decision).toMatchObject({ action: 'cancel', reason: 'idle' });
  });

  it('cancels an idle warning when idleAfter or the expiry changed', () => {
    expect(
      decideJanitorAction(
        input({ idleAfterSeconds: 86_400, warning: idleWarning(), activity: quiet }),
      ),
    ).toMatchObject({ action: 'cancel', why: 'idleAfter was changed to 1d' });
    expect(
      decideJanitorAction(
        input({ idleAfterSeconds: 7200, expiresAt: at(9 * HOUR), warning: idleWarning() }),
      ),
    ).toMatchObject({ action: 'cancel' });
  });

  it('deletes an idle cluster after the grace period when it is still idle', () => {
    const decision = decideJanitorAction(
      input({ idleAfterSeconds: 7200, warning: idleWarning({ deleteAt: at(0) }), activity: quiet }),
    );
    expect(decision).toMatchObject({ action: 'delete', reason: 'idle' });
  });

  it('never deletes for idleness without having read the pods in this run', () => {
    const decision = decideJanitorAction(
      input({ idleAfterSeconds: 7200, warning: idleWarning({ deleteAt: at(0) }) }),
    );
    expect(decision).toMatchObject({ action: 'skip', skip: 'activity-unknown' });
  });
});

describe('janitor policy: helpers', () => {
  it('records what a warning was based on', () => {
    const base = input({ expiresAt: at(HOUR), idleAfterSeconds: 900 });
    const decision = decideJanitorAction(base);
    if (decision.action !== 'warn') throw new Error('expected a warning');
    expect(warningFor(decision, base)).toEqual({
      reason: 'ttl',
      warnedAt: NOW,
      deleteAt: at(HOUR),
      expiresAtBasis: at(HOUR),
      idleAfterBasis: 900,
    });
  });

  it('describes durations the way callers write them', () => {
    expect([86_400, 7200, 900, 90].map(describeDuration)).toEqual(['1d', '2h', '15m', '90s']);
  });
});

describe('janitor policy: notices owed when an expiry is set', () => {
  const basis = {
    labels: {},
    deletionProtection: false,
    expiresAt: at(15 * MIN),
    idleAfterSeconds: null,
  };

  it('a lifetime shorter than the notice period is warned at once, the deletion at expiresAt', () => {
    expect(ttlWarningOnSet({ ...basis, now: NOW, warnSeconds: 3600 })).toEqual({
      reason: 'ttl',
      warnedAt: NOW,
      deleteAt: at(15 * MIN),
      expiresAtBasis: at(15 * MIN),
      idleAfterBasis: null,
    });
  });

  it('a lifetime of the notice period or more is left to the janitor', () => {
    expect(ttlWarningOnSet({ ...basis, expiresAt: at(HOUR), now: NOW, warnSeconds: 3600 })).toBe(
      null,
    );
  });

  it('nothing is warned for keep=true, deletion protection or no expiry', () => {
    const now = { now: NOW, warnSeconds: 3600 };
    expect(ttlWarningOnSet({ ...basis, ...now, labels: { keep: 'true' } })).toBeNull();
    expect(ttlWarningOnSet({ ...basis, ...now, deletionProtection: true })).toBeNull();
    expect(ttlWarningOnSet({ ...basis, ...now, expiresAt: null })).toBeNull();
  });

  it('a change of the expiry, keep=true or deletion protection calls a warning off; a rename does not', () => {
    const warning = {
      reason: 'ttl' as const,
      warnedAt: NOW,
      deleteAt: at(15 * MIN),
      expiresAtBasis: at(15 * MIN),
      idleAfterBasis: null,
    };
    expect(settingsCallOff(basis, warning)).toBeUndefined();
    expect(settingsCallOff({ ...basis, expiresAt: at(HOUR) }, warning)).toContain(
      'expiry was changed',
    );
    expect(settingsCallOff({ ...basis, labels: { keep: 'true' } }, warning)).toBe(
      'the label keep=true was set',
    );
    expect(settingsCallOff({ ...basis, deletionProtection: true }, warning)).toBe(
      'deletion protection was turned on',
    );
  });
});
