import { Cron } from 'croner';

/**
 * Plays Function Compute's timer trigger: `@every <n>m|h` or a six-field cron expression (seconds
 * first, UTC unless prefixed with CRON_TZ=), or a fixed interval when the developer asks for one
 * (ASKP_TIMER_INTERVAL_SECONDS). The event is FC's: `{triggerTime, triggerName, payload}`. A tick
 * that is still running when the next is due is not started twice (FC could overlap them; our
 * functions are safe either way, and this keeps local logs readable).
 */
interface TimerTriggerOptions {
  triggerName: string;
  cronExpression: string;
  payload: string | undefined;
  intervalSeconds: number | undefined;
  invoke: (event: Buffer) => Promise<unknown>;
  onError: (error: unknown) => void;
}

const everySeconds = (expression: string): number | undefined => {
  const match = /^@every (\d+)([mh])$/.exec(expression);
  if (!match?.[1]) return undefined;
  return Number(match[1]) * (match[2] === 'h' ? 3600 : 60);
};

const startTimerTrigger = (options: TimerTriggerOptions): { stop(): Promise<void> } => {
  let busy: Promise<void> | undefined;
  const tick = () => {
    if (busy) return;
    const event = Buffer.from(
      JSON.stringify({
        triggerTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        triggerName: options.triggerName,
        ...(options.payload !== undefined ? { payload: options.payload } : {}),
      }),
    );
    busy = options
      .invoke(event)
      .then(() => undefined, options.onError)
      .finally(() => {
        busy = undefined;
      });
  };
  const seconds = options.intervalSeconds ?? everySeconds(options.cronExpression);
  let stopSchedule: () => void;
  if (seconds !== undefined) {
    const timer = setInterval(tick, seconds * 1000);
    stopSchedule = () => clearInterval(timer);
  } else {
    const zone = /^CRON_TZ=(\S+) /.exec(options.cronExpression)?.[1] ?? 'UTC';
    const job = new Cron(
      options.cronExpression.replace(/^CRON_TZ=\S+ /, ''),
      { timezone: zone },
      tick,
    );
    stopSchedule = () => job.stop();
  }
  return {
    stop: async () => {
      stopSchedule();
      await busy;
    },
  };
};

export { startTimerTrigger };
