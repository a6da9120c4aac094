import type { MiddlewareObj } from '@middy/core';
import * as z from 'zod';
import { DomainError } from '../domain/errors.js';

/**
 * Function Compute hands every handler its event as a Buffer. The MNS queue trigger (an
 * EventBridge event stream) sends CloudEvents — an array in `event-streaming` mode, one object in
 * `event-driven` mode — with the message under `data.messageBody` (a string, or already parsed
 * JSON; both are accepted). The timer trigger sends `{triggerTime, triggerName, payload}`.
 */
const toJson = (event: unknown): unknown => {
  if (Buffer.isBuffer(event)) return JSON.parse(event.toString('utf8'));
  if (typeof event === 'string') return JSON.parse(event);
  return event;
};

const cloudEventSchema = z
  .object({
    id: z.string().optional(),
    source: z.string().optional(),
    type: z.string().optional(),
    data: z
      .object({
        messageId: z.string().optional(),
        messageBody: z.unknown(),
        requestId: z.string().optional(),
      })
      .loose(),
  })
  .loose();

type QueueRecord = z.infer<typeof cloudEventSchema>;

class QueueBatch {
  public constructor(public readonly records: readonly QueueRecord[]) {}
}

const timerEventSchema = z
  .object({
    triggerTime: z
      .string()
      .refine((text) => !Number.isNaN(Date.parse(text)), 'triggerTime must be a date'),
    triggerName: z.string().min(1),
    payload: z.string().optional(),
  })
  .loose();

class TimerTick {
  public constructor(
    public readonly triggerTime: Date,
    public readonly triggerName: string,
    public readonly payload: string | undefined,
  ) {}

  /** What every log line of this tick carries. */
  public logFields(): { trigger: string; triggerTime: string } {
    return { trigger: this.triggerName, triggerTime: this.triggerTime.toISOString() };
  }
}

/** The parsed event a handler gets after its trigger middleware (a bug if it is anything else). */
const asTimerTick = (event: unknown): TimerTick => {
  if (!(event instanceof TimerTick))
    throw new DomainError('INTERNAL', 'the timer event was not parsed');
  return event;
};

const asQueueBatch = (event: unknown): QueueBatch => {
  if (!(event instanceof QueueBatch))
    throw new DomainError('INTERNAL', 'the queue event was not parsed');
  return event;
};

const parseQueueBatch = (event: unknown): QueueBatch => {
  let json: unknown;
  try {
    json = toJson(event);
  } catch {
    throw new DomainError('QUEUE_MESSAGE_INVALID', 'the queue trigger event is not JSON');
  }
  const list = Array.isArray(json) ? json : [json];
  const parsed = z.array(cloudEventSchema).max(10_000).safeParse(list);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError(
      'QUEUE_MESSAGE_INVALID',
      `the queue trigger event is not CloudEvents: ${issue?.path.join('.')} ${issue?.message}`,
    );
  }
  return new QueueBatch(parsed.data);
};

const parseTimerTick = (event: unknown): TimerTick => {
  let json: unknown;
  try {
    json = toJson(event);
  } catch {
    throw new DomainError('VALIDATION_FAILED', 'the timer event is not JSON');
  }
  const parsed = timerEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError(
      'VALIDATION_FAILED',
      `the timer event is invalid: ${issue?.path.join('.') || 'event'} ${issue?.message}`,
      {
        field: issue?.path.join('.') || 'event',
      },
    );
  }
  return new TimerTick(
    new Date(parsed.data.triggerTime),
    parsed.data.triggerName,
    parsed.data.payload,
  );
};

const queueTriggerEvent = <TResult>(): MiddlewareObj<unknown, TResult> => ({
  name: 'queueTriggerEvent',
  before: (request) => {
    request.event = parseQueueBatch(request.event);
  },
});

const timerTriggerEvent = <TResult>(): MiddlewareObj<unknown, TResult> => ({
  name: 'timerTriggerEvent',
  before: (request) => {
    request.event = parseTimerTick(request.event);
  },
});

export type { QueueRecord };
export {
  asQueueBatch,
  asTimerTick,
  parseQueueBatch,
  parseTimerTick,
  QueueBatch,
  queueTriggerEvent,
  TimerTick,
  timerTriggerEvent,
};
