import type { StoredMessage } from './types.js';

/** Receives up to `max` messages now, or throws the MnsError MNS would answer with. */
type TryReceive = (queue: string, max: number) => StoredMessage[];

interface Waiter {
  queue: string;
  max: number;
  settle: (outcome: { messages: StoredMessage[] } | { error: unknown }) => void;
}

/**
 * Long polling: a ReceiveMessage with waitseconds > 0 on an empty queue is held until a message
 * becomes visible or the wait ends. Waiters are woken on every send (`notify`) and, because
 * visibility follows the injectable clock that nothing announces, on a short real-time tick.
 * The wait itself is measured in real time: the SDK's read timeout (40 s) is real time too.
 */
class LongPollHub {
  private readonly waiters: Waiter[] = [];
  private ticker: NodeJS.Timeout | undefined;
  private timeouts = 0;

  public constructor(
    private readonly tryReceive: TryReceive,
    private readonly tickMs = 50,
  ) {}

  public get waiting(): number {
    return this.waiters.length;
  }

  public get expired(): number {
    return this.timeouts;
  }

  /** Resolves with [] when the wait ends empty; `signal` aborts when the client goes away. */
  public wait(queue: string, max: number, waitMs: number, signal: AbortSignal) {
    return new Promise<StoredMessage[]>((resolve, reject) => {
      if (signal.aborted) {
        resolve([]);
        return;
      }
      const waiter: Waiter = {
        queue,
        max,
        settle: (outcome) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          this.remove(waiter);
          if ('error' in outcome) reject(outcome.error);
          else resolve(outcome.messages);
        },
      };
      const timer = setTimeout(() => {
        this.timeouts += 1;
        waiter.settle({ messages: [] });
      }, waitMs);
      // A client that hung up must not take a message: it would sit invisible for nothing.
      const onAbort = () => waiter.settle({ messages: [] });
      signal.addEventListener('abort', onAbort);
      this.waiters.push(waiter);
      this.startTicking();
    });
  }

  /** Hands visible messages to the queue's waiters, oldest waiter first. */
  public notify(queue: string): void {
    for (const waiter of this.waiters.filter((candidate) => candidate.queue === queue)) {
      let messages: StoredMessage[];
      try {
        messages = this.tryReceive(queue, waiter.max);
      } catch (error) {
        waiter.settle({ error });
        continue;
      }
      if (messages.length === 0) return;
      waiter.settle({ messages });
    }
  }

  /** Answers every waiter with "no message" (used when the emulator shuts down). */
  public close(): void {
    for (const waiter of [...this.waiters]) waiter.settle({ messages: [] });
    this.stopTicking();
  }

  private remove(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index !== -1) this.waiters.splice(index, 1);
    if (this.waiters.length === 0) this.stopTicking();
  }

  private startTicking(): void {
    if (this.ticker !== undefined) return;
    this.ticker = setInterval(() => {
      for (const queue of new Set(this.waiters.map((waiter) => waiter.queue))) this.notify(queue);
    }, this.tickMs);
    this.ticker.unref();
  }

  private stopTicking(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }
}

export type { TryReceive };
export { LongPollHub };
