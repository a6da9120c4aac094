/** Queue attributes as MNS defines them (CreateQueue / SetQueueAttributes), in seconds and bytes. */
interface QueueAttributes {
  delaySeconds: number;
  maximumMessageSize: number;
  messageRetentionPeriod: number;
  visibilityTimeout: number;
  pollingWaitSeconds: number;
  loggingEnabled: boolean;
}

/** One message as the store keeps it. Times are epoch milliseconds, as MNS reports them. */
interface StoredMessage {
  messageId: string;
  body: string;
  /** Uppercase hex MD5 of the UTF-8 body, as MNS returns it in MessageBodyMD5. */
  bodyMd5: string;
  priority: number;
  enqueueTime: number;
  /** The message is visible (Active) once the clock reaches this time. */
  nextVisibleTime: number;
  firstDequeueTime: number | null;
  dequeueCount: number;
  /** The one handle that may delete or re-time the message, valid until nextVisibleTime. */
  receiptHandle: string | null;
  /** Arrival order, so receives are FIFO within a priority (MNS promises only best effort). */
  sequence: number;
}

interface QueueState {
  name: string;
  attributes: QueueAttributes;
  /** Epoch seconds: MNS's GetQueueAttributes example values (1250700999) are seconds. */
  createTime: number;
  lastModifyTime: number;
  messages: StoredMessage[];
}

type MessageState = 'delayed' | 'active' | 'inactive';

/** What the `peekAll` test helper returns: a copy of a stored message plus its current state. */
interface EmulatedMessage extends Readonly<StoredMessage> {
  readonly queue: string;
  readonly state: MessageState;
}

export type { EmulatedMessage, MessageState, QueueAttributes, QueueState, StoredMessage };
