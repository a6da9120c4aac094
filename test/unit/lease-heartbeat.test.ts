import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHeartbeat } from '../../shared/leases/heartbeat.js';

describe('lease heartbeat', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('renews every third of the lease while the holder works, and never after it stopped', async () => {
    let renewals = 0;
    const heartbeat = startHeartbeat({
      leaseMs: 30_000,
      renew: async () => {
        renewals += 1;
        return true;
      },
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(renewals).toBe(1);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(renewals).toBe(3);
    await heartbeat.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(renewals).toBe(3);
  });

  it('says when the lease was lost and keeps beating through a failing renewal', async () => {
    const lost = vi.fn();
    const failed = vi.fn();
    const answers: Array<boolean | Error> = [new Error('database away'), false, true];
    const heartbeat = startHeartbeat({
      leaseMs: 3000,
      renew: async () => {
        const next = answers.shift() ?? true;
        if (next instanceof Error) throw next;
        return next;
      },
      onLost: lost,
      onError: failed,
    });
    await vi.advanceTimersByTimeAsync(3000);
    await heartbeat.stop();
    expect(failed).toHaveBeenCalledTimes(1);
    expect(lost).toHaveBeenCalledTimes(1);
  });
});
