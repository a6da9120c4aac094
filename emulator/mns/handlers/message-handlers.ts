import { isMnsError, mnsErrors } from '../errors.js';
import type { NewMessage } from '../store.js';
import type { StoredMessage } from '../types.js';
import { parseBody, parseBounded } from '../validators.js';
import {
  childElements,
  childText,
  localName,
  renderDocument,
  renderFields,
  type XmlElement,
} from '../xml.js';
import type { Handler, MnsReply } from './context.js';

const MAX_BATCH = 16;
const MAX_BATCH_BYTES = 65_536;

const readMessage = (element: XmlElement): NewMessage => {
  const body = childText(element, 'MessageBody');
  if (body === undefined) throw mnsErrors.invalidArgument('The MessageBody element is missing.');
  return {
    body,
    delaySeconds: parseBounded('DelaySeconds', childText(element, 'DelaySeconds')),
    priority: parseBounded('Priority', childText(element, 'Priority')),
  };
};

const sentFields = (message: StoredMessage) =>
  renderFields([
    ['MessageId', message.messageId],
    ['MessageBodyMD5', message.bodyMd5],
    ['ReceiptHandle', message.receiptHandle ?? undefined],
  ]);

const receivedFields = (message: StoredMessage) =>
  renderFields([
    ['MessageId', message.messageId],
    ['ReceiptHandle', message.receiptHandle ?? undefined],
    ['MessageBodyMD5', message.bodyMd5],
    ['MessageBody', message.body],
    ['EnqueueTime', message.enqueueTime],
    ['NextVisibleTime', message.nextVisibleTime],
    ['FirstDequeueTime', message.firstDequeueTime ?? undefined],
    ['DequeueCount', message.dequeueCount],
    ['Priority', message.priority],
  ]);

/** Peeked messages carry no handle and no NextVisibleTime: peeking changes nothing. */
const peekedFields = (message: StoredMessage) =>
  renderFields([
    ['MessageId', message.messageId],
    ['MessageBodyMD5', message.bodyMd5],
    ['MessageBody', message.body],
    ['EnqueueTime', message.enqueueTime],
    ['FirstDequeueTime', message.firstDequeueTime ?? undefined],
    ['DequeueCount', message.dequeueCount],
    ['Priority', message.priority],
  ]);

const renderMessages = (
  messages: StoredMessage[],
  batch: boolean,
  fields: (message: StoredMessage) => string,
): string => {
  const [first] = messages;
  if (!batch && first !== undefined) return renderDocument('Message', fields(first));
  return renderDocument(
    'Messages',
    messages.map((m) => `<Message>${fields(m)}</Message>`).join(''),
  );
};

/** POST /queues/<q>/messages: `<Message>` is SendMessage, `<Messages>` BatchSendMessage. */
const sendMessage: Handler = ({ store, hub }, request) => {
  const document = parseBody(request.body, ['Message', 'Messages']);
  if (document === undefined) throw mnsErrors.malformedXml('the request body is empty');
  const batch = localName(document.name) === 'Messages';
  const inputs = batch
    ? childElements(document, 'Message').map(readMessage)
    : [readMessage(document)];
  if (inputs.length === 0 || inputs.length > MAX_BATCH) {
    throw mnsErrors.between('Messages', 1, MAX_BATCH, 'messages');
  }
  // Checked up front so a batch is all or nothing (MNS may accept part of a batch; we refuse it).
  const limit = store.getQueue(request.queue).queue.attributes.maximumMessageSize;
  const sizes = inputs.map((input) => Buffer.byteLength(input.body, 'utf8'));
  if (sizes.some((size) => size > limit) || sizes.reduce((a, b) => a + b, 0) > MAX_BATCH_BYTES) {
    throw mnsErrors.invalidArgument(`The length of message should not be larger than ${limit}.`);
  }
  const sent = inputs.map((input) => store.send(request.queue, input));
  hub.notify(request.queue);
  return {
    status: 201,
    operation: batch ? 'BatchSendMessage' : 'SendMessage',
    body: renderMessages(sent, batch, sentFields),
  };
};

/** GET /queues/<q>/messages[?numOfMessages=&waitseconds=&peekonly=true]. Empty: 404 MessageNotExist. */
const receiveMessage: Handler = async ({ store, hub }, request): Promise<MnsReply> => {
  const count = request.query.get('numofmessages');
  const batch = count !== undefined;
  const max = parseBounded('numOfMessages', count) ?? 1;
  if (request.query.get('peekonly') === 'true') {
    const peeked = store.peek(request.queue, max);
    if (peeked.length === 0) throw mnsErrors.messageNotExist();
    const operation = batch ? 'BatchPeekMessage' : 'PeekMessage';
    return { status: 200, operation, body: renderMessages(peeked, batch, peekedFields) };
  }
  // Without waitseconds the queue's PollingWaitSeconds applies (the SDK omits waitseconds=0).
  const wait =
    parseBounded('waitseconds', request.query.get('waitseconds')) ??
    store.getQueue(request.queue).queue.attributes.pollingWaitSeconds;
  let received = store.receive(request.queue, max);
  if (received.length === 0 && wait > 0) {
    received = await hub.wait(request.queue, max, wait * 1000, request.signal);
  }
  if (received.length === 0) throw mnsErrors.messageNotExist();
  const operation = batch ? 'BatchReceiveMessage' : 'ReceiveMessage';
  return { status: 200, operation, body: renderMessages(received, batch, receivedFields) };
};

/**
 * DELETE /queues/<q>/messages?ReceiptHandle=<h> is DeleteMessage; without the parameter, a
 * `<ReceiptHandles>` body is BatchDeleteMessage: 204 when all succeed, else 404 with one
 * `<Error>` per failed handle (the MNS reference's sample for a partial failure).
 */
const deleteMessage: Handler = ({ store }, request) => {
  const handle = request.query.get('receipthandle');
  if (handle !== undefined) {
    if (handle === '') throw mnsErrors.missingReceiptHandle();
    store.deleteMessage(request.queue, handle);
    return { status: 204 };
  }
  const document = parseBody(request.body, ['ReceiptHandles']);
  const handles = document === undefined ? [] : childElements(document, 'ReceiptHandle');
  if (handles.length === 0) throw mnsErrors.missingReceiptHandle();
  if (handles.length > MAX_BATCH) throw mnsErrors.between('ReceiptHandles', 1, MAX_BATCH, '');
  store.getQueue(request.queue);
  const failures: string[] = [];
  for (const { text } of handles) {
    try {
      store.deleteMessage(request.queue, text);
    } catch (error) {
      if (!isMnsError(error)) throw error;
      failures.push(
        renderFields([
          ['ErrorCode', error.code],
          ['ErrorMessage', error.message],
          ['ReceiptHandle', text],
        ]),
      );
    }
  }
  if (failures.length === 0) return { status: 204, operation: 'BatchDeleteMessage' };
  const body = renderDocument('Errors', failures.map((f) => `<Error>${f}</Error>`).join(''));
  return { status: 404, operation: 'BatchDeleteMessage', body };
};

/** PUT ?receiptHandle=&visibilityTimeout=: a new handle, timed from now; the old one is dead. */
const changeMessageVisibility: Handler = ({ store }, request) => {
  const handle = request.query.get('receipthandle');
  if (handle === undefined || handle === '') throw mnsErrors.missingReceiptHandle();
  const seconds = parseBounded('visibilityTimeout', request.query.get('visibilitytimeout'));
  if (seconds === undefined) throw mnsErrors.missingVisibilityTimeout();
  const message = store.changeVisibility(request.queue, handle, seconds);
  const body = renderDocument(
    'ChangeVisibility',
    renderFields([
      ['ReceiptHandle', message.receiptHandle ?? undefined],
      ['NextVisibleTime', message.nextVisibleTime],
    ]),
  );
  return { status: 200, body };
};

export { changeMessageVisibility, deleteMessage, receiveMessage, sendMessage };
