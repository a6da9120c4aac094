import { mnsErrors } from './errors.js';
import type { Handler } from './handlers/context.js';
import {
  changeMessageVisibility,
  deleteMessage,
  receiveMessage,
  sendMessage,
} from './handlers/message-handlers.js';
import {
  createQueue,
  deleteQueue,
  getQueueAttributes,
  setQueueAttributes,
} from './handlers/queue-handlers.js';
import { validateQueueName } from './validators.js';

interface Route {
  operation: string;
  queue: string;
  query: ReadonlyMap<string, string>;
  handler: Handler;
}

/** Splits the raw target by hand: `new URL('//x', base)` would read `x` as a host. */
const splitTarget = (target: string): { path: string; query: Map<string, string> } => {
  const mark = target.indexOf('?');
  const path = mark === -1 ? target : target.slice(0, mark);
  const query = new Map<string, string>();
  if (mark !== -1) {
    // URL-safe receipt handles survive URLSearchParams's decoding ('+' would become ' ').
    for (const [name, value] of new URLSearchParams(target.slice(mark + 1))) {
      query.set(name.toLowerCase(), value);
    }
  }
  return { path, query };
};

const QUEUE_ROUTES: Record<string, [string, Handler]> = {
  PUT: ['CreateQueue', createQueue],
  GET: ['GetQueueAttributes', getQueueAttributes],
  DELETE: ['DeleteQueue', deleteQueue],
};

const MESSAGE_ROUTES: Record<string, (query: ReadonlyMap<string, string>) => [string, Handler]> = {
  POST: () => ['SendMessage', sendMessage],
  GET: () => ['ReceiveMessage', receiveMessage],
  DELETE: (query) => [
    query.has('receipthandle') ? 'DeleteMessage' : 'BatchDeleteMessage',
    deleteMessage,
  ],
  PUT: () => ['ChangeMessageVisibility', changeMessageVisibility],
};

/** Maps method and path onto an operation; only the queue API is emulated (no topics). */
const route = (method: string, target: string): Route => {
  const { path, query } = splitTarget(target);
  const [root, collection, name, sub, ...rest] = path.split('/');
  if (root !== '' || collection !== 'queues' || name === undefined || name === '') {
    throw mnsErrors.notImplemented(`${method} ${path}`);
  }
  const queue = validateQueueName(name);
  if (sub === undefined) {
    const found = QUEUE_ROUTES[method];
    if (found === undefined) throw mnsErrors.notImplemented(`${method} /queues/<name>`);
    const [operation, handler] =
      method === 'PUT' && query.get('metaoverride') === 'true'
        ? ['SetQueueAttributes', setQueueAttributes]
        : found;
    return { operation, queue, query, handler };
  }
  const pick = MESSAGE_ROUTES[method];
  if (sub !== 'messages' || rest.length > 0 || pick === undefined) {
    throw mnsErrors.notImplemented(`${method} ${path}`);
  }
  const [operation, handler] = pick(query);
  return { operation, queue, query, handler };
};

export type { Route };
export { route };
