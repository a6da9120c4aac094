/** The Clock port: system time in production, an injected clock in tests. */
interface Clock {
  now(): Date;
}

const systemClock: Clock = { now: () => new Date() };

export type { Clock };
export { systemClock };
