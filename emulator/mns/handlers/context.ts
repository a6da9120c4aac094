import type { LongPollHub } from '../long-poll.js';
import type { MnsStore } from '../store.js';
import type { QueueAttributes } from '../types.js';

/** One authenticated request, already routed to a queue. */
interface MnsRequest {
  queue: string;
  /** Query parameters with lower-cased names: the SDK writes `ReceiptHandle` for DeleteMessage
   * but `receiptHandle` for ChangeMessageVisibility, and MNS accepts both. */
  query: ReadonlyMap<string, string>;
  body: string;
  /** `Host` as the client sent it, for the Location header CreateQueue returns. */
  host: string;
  /** Aborted when the client hangs up (matters to long polls only). */
  signal: AbortSignal;
}

interface MnsReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Set when the body, not the route, tells the operation apart (SendMessage vs Batch...). */
  operation?: string;
}

interface HandlerDeps {
  store: MnsStore;
  hub: LongPollHub;
  defaults: QueueAttributes;
}

type Handler = (deps: HandlerDeps, request: MnsRequest) => MnsReply | Promise<MnsReply>;

export type { Handler, HandlerDeps, MnsReply, MnsRequest };
