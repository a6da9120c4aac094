import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPollerHandler } from '../../functions/poller/handler.js';
import { createPollerApp, type PollerApp } from '../../shared/app/poller-app.js';
import { loadConfig } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';

/**
 * The poller function given Function Compute's context: a tick whose deadline leaves too little
 * time for its ACK and webhook steps runs the short steps, leaves the others for the next tick
 * without starting them, ends normally and says in its log what it left. The store is a real
 * (embedded) database; ACK and MNS point at closed ports, which a started step would hit.
 */
const tickEvent = Buffer.from(
  JSON.stringify({ triggerTime: '2026-01-01T00:00:00Z', triggerName: 'every-minute' }),
);

const startPoller = async () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'info', write: (line) => lines.push(JSON.parse(line)) });
  const config = loadConfig({
    DATABASE_URL: 'pglite://memory',
    ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI-budget',
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'budget-secret',
    ASKP_MNS_ENDPOINT: 'http://127.0.0.1:1',
    ASKP_MNS_ACCOUNT_ID: '1',
    ASKP_ACK_ENDPOINT: '127.0.0.1:1',
    ASKP_ACK_PROTOCOL: 'http',
    ASKP_ACK_TIMEOUT_MS: '15000',
    ASKP_WEBHOOK_TIMEOUT_MS: '12000',
    ASKP_TIMER_RESERVE_SECONDS: '10',
  });
  const app: PollerApp = await createPollerApp(config, { schema: 'migrate', logger });
  return { handler: createPollerHandler(async () => app), lines, app };
};

describe('poller: a tick within the function timeout', () => {
  // One app (its migrations take seconds); each test reads only the lines of its own tick.
  let poller: Awaited<ReturnType<typeof startPoller>>;
  beforeAll(async () => {
    poller = await startPoller();
  });
  beforeEach(() => {
    poller.lines.length = 0;
  });
  afterAll(async () => {
    await poller?.app.store.close();
  });

  it('with 10 s left of its budget, runs sweep and the key purge, leaves refresh, changes and webhooks, and logs it', async () => {
    const { handler, lines } = poller;
    // 20 s timeout less the 10 s reserve: refresh and changes need one ACK timeout (15 s), webhooks one
    // webhook timeout (12 s); the database steps need 1 s.
    const result = await handler(tickEvent, {
      requestId: 'req-budget-1',
      function: { name: 'askp-poller', timeout: 20 },
    });
    expect(result).toMatchObject({
      triggerName: 'every-minute',
      failedSteps: [],
      leftSteps: ['refresh', 'changes', 'webhooks'],
    });
    expect(Object.keys((result as { steps: object }).steps)).toEqual(['sweep', 'idempotency-keys']);
    expect(
      lines.find((line) => line.message === 'out of time: steps left for the next run'),
    ).toMatchObject({
      level: 'warn',
      leftSteps: ['refresh', 'changes', 'webhooks'],
      requestId: 'req-budget-1',
      trigger: 'every-minute',
    });
    expect(lines.find((line) => line.message === 'poller tick done')).toMatchObject({
      requestId: 'req-budget-1',
      leftSteps: ['refresh', 'changes', 'webhooks'],
    });
  });

  it('with no deadline known (no FC context), runs every step', async () => {
    const { handler } = poller;
    const result = await handler(tickEvent, {});
    expect(result).toMatchObject({ failedSteps: [], leftSteps: [] });
    expect(Object.keys((result as { steps: object }).steps)).toEqual([
      'sweep',
      'refresh',
      'changes',
      'webhooks',
      'idempotency-keys',
    ]);
  });
});
