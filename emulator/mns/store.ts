import { createHash, randomBytes } from 'node:crypto';
import { mnsErrors } from './errors.js';
import { type Change, StateFile } from './state-file.js';
import type {
  EmulatedMessage,
  MessageState,
  QueueAttributes,
  QueueState,
  StoredMessage,
} from './types.js';

interface MnsStoreOptions {
  now: () => number;
  stateFile?: string | undefined;
}

interface NewMessage {
  body: string;
  delaySeconds?: number | undefined;
  priority?: number | undefined;
}

/**
 * Receipt handles come from the URL-safe base64 alphabet ([A-Za-z0-9_-]) because
 * @alicloud/mns puts them into the query string without URL-encoding them: real MNS handles
 * contain `+`, `/` and `=`, and a `+` would arrive as a space. The `1-` prefix mimics the shape
 * of real handles; anything not shaped like ours is a ReceiptHandleError, as MNS answers for a
 * handle it cannot decode.
 */
const RECEIPT_HANDLE = /^1-[A-Za-z0-9_-]{24}$/;
const newReceiptHandle = (): string => `1-${randomBytes(18).toString('base64url')}`;
const newMessageId = (): string => randomBytes(16).toString('hex').toUpperCase();
const md5Upper = (body: string): string =>
  createHash('md5').update(body, 'utf8').digest('hex').toUpperCase();

const stateOf = (message: StoredMessage, now: number): MessageState => {
  if (message.nextVisibleTime <= now) return 'active';
  return message.dequeueCount === 0 ? 'delayed' : 'inactive';
};

const byDeliveryOrder = (left: StoredMessage, right: StoredMessage): number =>
  left.priority - right.priority || left.sequence - right.sequence;

const sameAttributes = (left: QueueAttributes, right: QueueAttributes): boolean =>
  (Object.keys(left) as (keyof QueueAttributes)[]).every((key) => left[key] === right[key]);

/**
 * Queues and messages, in memory, optionally mirrored to a JSON file after every change.
 * All visibility decisions use the injected clock; handles are valid until NextVisibleTime.
 */
class MnsStore {
  private readonly queues = new Map<string, QueueState>();
  private sequence = 0;
  private readonly file: StateFile | undefined;

  public constructor(private readonly options: MnsStoreOptions) {
    this.file = options.stateFile === undefined ? undefined : new StateFile(options.stateFile);
    const saved = this.file?.load();
    for (const queue of saved?.queues ?? []) this.queues.set(queue.name, queue);
    this.sequence = saved?.sequence ?? 0;
  }

  public hasQueue(name: string): boolean {
    return this.queues.has(name);
  }

  /** MNS answers 201 for a new queue, 204 for an identical one, 409 when attributes differ. */
  public createQueue(name: string, attributes: QueueAttributes): 'created' | 'unchanged' {
    const existing = this.queues.get(name);
    if (existing !== undefined) {
      if (!sameAttributes(existing.attributes, attributes)) throw mnsErrors.queueAlreadyExist();
      return 'unchanged';
    }
    const seconds = Math.floor(this.options.now() / 1000);
    this.queues.set(name, {
      name,
      attributes,
      createTime: seconds,
      lastModifyTime: seconds,
      messages: [],
    });
    this.persist(name);
    return 'created';
  }

  public setQueueAttributes(name: string, patch: Partial<QueueAttributes>): void {
    const queue = this.queue(name);
    queue.attributes = { ...queue.attributes, ...patch };
    queue.lastModifyTime = Math.floor(this.options.now() / 1000);
    this.persist(name);
  }

  public getQueue(name: string): { queue: QueueState; counts: Record<MessageState, number> } {
    const queue = this.queue(name);
    const now = this.options.now();
    const counts: Record<MessageState, number> = { active: 0, inactive: 0, delayed: 0 };
    for (const message of queue.messages) counts[stateOf(message, now)] += 1;
    return { queue, counts };
  }

  public deleteQueue(name: string): void {
    if (!this.queues.delete(name)) throw mnsErrors.queueNotExist();
    this.record({ deleted: name });
  }

  public send(name: string, input: NewMessage): StoredMessage {
    const queue = this.queue(name);
    const limit = queue.attributes.maximumMessageSize;
    if (Buffer.byteLength(input.body, 'utf8') > limit) {
      throw mnsErrors.invalidArgument(`The length of message should not be larger than ${limit}.`);
    }
    const now = this.options.now();
    const delaySeconds = input.delaySeconds ?? queue.attributes.delaySeconds;
    this.sequence += 1;
    const message: StoredMessage = {
      messageId: newMessageId(),
      body: input.body,
      bodyMd5: md5Upper(input.body),
      priority: input.priority ?? 8,
      enqueueTime: now,
      nextVisibleTime: now + delaySeconds * 1000,
      firstDequeueTime: null,
      dequeueCount: 0,
      // MNS returns a handle for a delayed message so it can be deleted before it shows up.
      receiptHandle: delaySeconds > 0 ? newReceiptHandle() : null,
      sequence: this.sequence,
    };
    queue.messages.push(message);
    this.persist(name);
    return { ...message };
  }

  /** Makes up to `max` active messages inactive for VisibilityTimeout, each with a new handle. */
  public receive(name: string, max: number): StoredMessage[] {
    const queue = this.queue(name);
    const now = this.options.now();
    const chosen = this.visible(queue, now).slice(0, max);
    for (const message of chosen) {
      message.dequeueCount += 1;
      message.firstDequeueTime ??= now;
      message.nextVisibleTime = now + queue.attributes.visibilityTimeout * 1000;
      message.receiptHandle = newReceiptHandle();
    }
    if (chosen.length > 0) this.persist(name);
    return chosen.map((message) => ({ ...message }));
  }

  public peek(name: string, max: number): StoredMessage[] {
    const queue = this.queue(name);
    return this.visible(queue, this.options.now())
      .slice(0, max)
      .map((message) => ({ ...message }));
  }

  public deleteMessage(name: string, receiptHandle: string): void {
    const queue = this.queue(name);
    const message = this.holderOf(queue, receiptHandle);
    queue.messages.splice(queue.messages.indexOf(message), 1);
    this.persist(name);
  }

  /** The new timeout counts from now, and the old handle stops working (MNS returns a new one). */
  public changeVisibility(name: string, receiptHandle: string, seconds: number): StoredMessage {
    const message = this.holderOf(this.queue(name), receiptHandle);
    message.nextVisibleTime = this.options.now() + seconds * 1000;
    message.receiptHandle = newReceiptHandle();
    this.persist(name);
    return { ...message };
  }

  public snapshot(name: string): EmulatedMessage[] {
    const now = this.options.now();
    return [...this.queue(name).messages]
      .sort(byDeliveryOrder)
      .map((message) => ({ ...message, queue: name, state: stateOf(message, now) }));
  }

  public queueNames(): string[] {
    return [...this.queues.keys()];
  }

  /** Also drops messages older than MessageRetentionPeriod, whatever their state. */
  private queue(name: string): QueueState {
    const queue = this.queues.get(name);
    if (queue === undefined) throw mnsErrors.queueNotExist();
    const oldest = this.options.now() - queue.attributes.messageRetentionPeriod * 1000;
    if (queue.messages.some((message) => message.enqueueTime <= oldest)) {
      queue.messages = queue.messages.filter((message) => message.enqueueTime > oldest);
      this.persist(name);
    }
    return queue;
  }

  private visible(queue: QueueState, now: number): StoredMessage[] {
    return queue.messages.filter((message) => message.nextVisibleTime <= now).sort(byDeliveryOrder);
  }

  /**
   * A malformed handle is a ReceiptHandleError (400). A well-formed handle that is stale (the
   * message was received again, re-timed, deleted, or NextVisibleTime passed) is MessageNotExist
   * (404): that is what MNS documents for an expired handle ("message not exist" on delete).
   */
  private holderOf(queue: QueueState, receiptHandle: string): StoredMessage {
    if (!RECEIPT_HANDLE.test(receiptHandle)) throw mnsErrors.receiptHandleError();
    const now = this.options.now();
    const message = queue.messages.find(
      (candidate) => candidate.receiptHandle === receiptHandle && candidate.nextVisibleTime > now,
    );
    if (message === undefined) throw mnsErrors.messageNotExist();
    return message;
  }

  /** Journals the one queue that changed (state-file.ts), not the whole state. */
  private persist(name: string): void {
    const queue = this.queues.get(name);
    if (queue !== undefined) this.record({ queue });
  }

  private record(change: Change): void {
    this.file?.record(change, () => ({
      sequence: this.sequence,
      queues: [...this.queues.values()],
    }));
  }
}

export type { MnsStoreOptions, NewMessage };
export { MnsStore };
