import { parseBody, parseQueueAttributes } from '../validators.js';
import { renderDocument, renderFields } from '../xml.js';
import type { Handler } from './context.js';

/** PUT /queues/<q>: 201 + Location when new, 204 when identical, 409 QueueAlreadyExist otherwise. */
const createQueue: Handler = ({ store, defaults }, request) => {
  const attributes = parseQueueAttributes(parseBody(request.body, ['Queue']));
  const outcome = store.createQueue(request.queue, { ...defaults, ...attributes });
  if (outcome === 'unchanged') return { status: 204 };
  return { status: 201, headers: { location: `http://${request.host}/queues/${request.queue}` } };
};

/** PUT /queues/<q>?metaoverride=true: only the attributes present in the body change. */
const setQueueAttributes: Handler = ({ store }, request) => {
  store.setQueueAttributes(request.queue, parseQueueAttributes(parseBody(request.body, ['Queue'])));
  return { status: 204 };
};

const getQueueAttributes: Handler = ({ store }, request) => {
  const { queue, counts } = store.getQueue(request.queue);
  const { attributes } = queue;
  const body = renderDocument(
    'Queue',
    renderFields([
      ['QueueName', queue.name],
      ['CreateTime', queue.createTime],
      ['LastModifyTime', queue.lastModifyTime],
      ['DelaySeconds', attributes.delaySeconds],
      ['MaximumMessageSize', attributes.maximumMessageSize],
      ['MessageRetentionPeriod', attributes.messageRetentionPeriod],
      ['VisibilityTimeout', attributes.visibilityTimeout],
      ['PollingWaitSeconds', attributes.pollingWaitSeconds],
      ['ActiveMessages', counts.active],
      ['InactiveMessages', counts.inactive],
      ['DelayMessages', counts.delayed],
      ['LoggingEnabled', attributes.loggingEnabled ? 'True' : 'False'],
    ]),
  );
  return { status: 200, body };
};

/** Long polls waiting on the queue are woken so they answer QueueNotExist instead of hanging. */
const deleteQueue: Handler = ({ store, hub }, request) => {
  store.deleteQueue(request.queue);
  hub.notify(request.queue);
  return { status: 204 };
};

export { createQueue, deleteQueue, getQueueAttributes, setQueueAttributes };
