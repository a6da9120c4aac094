import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { signMns } from '../../emulator/mns/auth.js';
import type { MnsEmulator } from '../../emulator/mns/mns-emulator.js';
import { createMnsClient, type MnsClient } from '../../shared/queue/mns-job-queue.js';
import { rejectionOf, type TestClock } from '../support/emulator-harness.js';
import { KEY, QUEUE, startMnsHarness } from './mns-harness.js';

describe('MNS emulator wire protocol', () => {
  let clock: TestClock;
  let emulator: MnsEmulator;
  let client: MnsClient;

  /** A request signed like the SDK's, sent with fetch, for what the SDK cannot express. */
  const signedFetch = (method: string, target: string, body = '', signal?: AbortSignal) => {
    const date = new Date().toUTCString();
    const headers: IncomingHttpHeaders = {
      date,
      'x-mns-date': date,
      'x-mns-version': '2015-06-06',
    };
    if (method !== 'GET') {
      headers['content-type'] = 'text/xml';
      headers['content-md5'] = Buffer.from(createHash('md5').update(body).digest('hex')).toString(
        'base64',
      );
    }
    const signature = signMns(
      { method, url: target, headers, body: Buffer.from(body) },
      KEY.accessKeySecret,
    );
    const sent = Object.fromEntries(
      Object.entries({ ...headers, authorization: `MNS ${KEY.accessKeyId}:${signature}` }).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
    return fetch(`${emulator.url}${target}`, {
      method,
      headers: sent,
      ...(method === 'GET' ? {} : { body }),
      ...(signal === undefined ? {} : { signal }),
    });
  };

  beforeEach(async () => {
    ({ emulator, clock } = await startMnsHarness());
    client = createMnsClient({ endpoint: emulator.url, accountId: '123', credentials: KEY });
  });

  it('answers errors with the exact MNS error document, status and request id', async () => {
    const response = await signedFetch('GET', '/queues/no-such-queue');
    const requestId = response.headers.get('x-mns-request-id') ?? '';

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(requestId).toMatch(/^[0-9A-F]{24}$/);
    expect(await response.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Error xmlns="http://mns.aliyuncs.com/doc/v1/">' +
        '<Code>QueueNotExist</Code><Message>The queue name you provided is not exist.</Message>' +
        `<RequestId>${requestId}</RequestId><HostId>http://127.0.0.1:${emulator.port}</HostId></Error>`,
    );
  });

  it('refuses an unescaped body as MalformedXML, as MNS does with what the SDK sends', async () => {
    const body = '<Message><MessageBody>a<b & c</MessageBody></Message>';
    const response = await signedFetch('POST', `/queues/${QUEUE}/messages`, body);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>MalformedXML</Code>');
  });

  it('CreateQueue: 201 + Location when new, 204 when identical, 409 when attributes differ', async () => {
    const created = await client.createQueue('created-queue', { VisibilityTimeout: 45 });
    expect(created.code).toBe(201);
    expect(created.headers.location).toBe(`${emulator.url}/queues/created-queue`);
    expect((await client.createQueue('created-queue', { VisibilityTimeout: 45 })).code).toBe(204);
    expect(
      await rejectionOf(client.createQueue('created-queue', { VisibilityTimeout: 46 })),
    ).toMatchObject({ name: 'MNSQueueAlreadyExistError' });
    expect(await rejectionOf(client.createQueue('bad_name!'))).toMatchObject({
      name: 'MNSInvalidQueueNameError',
    });
  });

  it('DeleteMessage: a malformed handle is ReceiptHandleError, an unknown one MessageNotExist', async () => {
    expect(await rejectionOf(client.deleteMessage(QUEUE, 'not-a-handle'))).toMatchObject({
      name: 'MNSReceiptHandleErrorError',
    });
    expect(
      await rejectionOf(client.deleteMessage(QUEUE, '1-AAAAAAAAAAAAAAAAAAAAAAAA')),
    ).toMatchObject({ name: 'MNSMessageNotExistError' });
  });

  it('hands out receipt handles in a URL-safe alphabet, since the SDK does not URL-encode them', async () => {
    await client.batchSendMessage(
      QUEUE,
      Array.from({ length: 16 }, (_, n) => ({ MessageBody: `m${n}` })),
    );
    const received = await client.batchReceiveMessage(QUEUE, 16);
    const [first] = received.body;
    const changed = await client.changeMessageVisibility(QUEUE, first?.ReceiptHandle ?? '', 5);
    const handles = [...received.body.map((m) => m.ReceiptHandle), changed.body.ReceiptHandle];

    for (const handle of handles) expect(handle).toMatch(/^[A-Za-z0-9_-]+$/);
    const deleted = await client.batchDeleteMessage(QUEUE, handles.slice(1));
    expect(deleted.code).toBe(204);
  });

  it('BatchDeleteMessage deletes what it can and lists every failed handle (404)', async () => {
    await client.sendMessage(QUEUE, { MessageBody: 'one' });
    const received = await client.receiveMessage(QUEUE);

    const result = await client.batchDeleteMessage(QUEUE, [
      received.body.ReceiptHandle,
      '1-BBBBBBBBBBBBBBBBBBBBBBBB',
      'garbage',
    ]);

    expect(result.code).toBe(404);
    expect(result.body?.map((error) => [error.ReceiptHandle, error.ErrorCode])).toEqual([
      ['1-BBBBBBBBBBBBBBBBBBBBBBBB', 'MessageNotExist'],
      ['garbage', 'ReceiptHandleError'],
    ]);
    expect(emulator.peekAll(QUEUE)).toEqual([]);
  });

  it('SendMessage answers MessageBodyMD5 as uppercase hex MD5 of the body', async () => {
    const sent = await client.sendMessage(QUEUE, { MessageBody: 'hello' });
    expect(sent.code).toBe(201);
    expect(sent.body.MessageBodyMD5).toBe(
      createHash('md5').update('hello').digest('hex').toUpperCase(),
    );
  });

  it('a delayed message comes with a handle and stays invisible until its delay passes', async () => {
    const sent = await client.sendMessage(QUEUE, { MessageBody: 'later', DelaySeconds: 10 });
    expect(sent.body.ReceiptHandle).toMatch(/^1-/);
    expect(emulator.peekAll(QUEUE).map((message) => message.state)).toEqual(['delayed']);
    expect(await rejectionOf(client.receiveMessage(QUEUE))).toMatchObject({
      name: 'MNSMessageNotExistError',
    });

    clock.advanceSeconds(10);

    expect((await client.receiveMessage(QUEUE)).body.MessageBody).toBe('later');
  });

  it('PeekMessage shows a message without receiving it', async () => {
    await client.sendMessage(QUEUE, { MessageBody: 'peek me', Priority: 3 });

    const peeked = await client.peekMessage(QUEUE);

    expect(peeked.body).toMatchObject({ MessageBody: 'peek me', DequeueCount: '0', Priority: '3' });
    expect(peeked.body).not.toHaveProperty('ReceiptHandle');
    expect(emulator.peekAll(QUEUE).map((message) => message.state)).toEqual(['active']);
  });

  it('GetQueueAttributes counts active, inactive and delayed messages', async () => {
    await client.sendMessage(QUEUE, { MessageBody: 'a' });
    await client.sendMessage(QUEUE, { MessageBody: 'b' });
    await client.sendMessage(QUEUE, { MessageBody: 'c', DelaySeconds: 60 });
    await client.receiveMessage(QUEUE);

    const { body } = await client.getQueueAttributes(QUEUE);

    expect(body).toMatchObject({
      QueueName: QUEUE,
      VisibilityTimeout: '30',
      ActiveMessages: '1',
      InactiveMessages: '1',
      DelayMessages: '1',
    });
  });

  it('drops messages older than MessageRetentionPeriod, received or not', async () => {
    await client.createQueue('short-lived', { MessageRetentionPeriod: 60 });
    await client.sendMessage('short-lived', { MessageBody: 'old' });
    await client.receiveMessage('short-lived');

    clock.advanceSeconds(60);

    expect(emulator.peekAll('short-lived')).toEqual([]);
  });

  it('answers a long poll with QueueNotExist when its queue is deleted', async () => {
    await client.createQueue('doomed');
    const waiting = rejectionOf(client.receiveMessage('doomed', 20));
    await vi.waitFor(() => expect(emulator.stats().longPollWaiting).toBe(1));

    await client.deleteQueue('doomed');

    expect(await waiting).toMatchObject({ name: 'MNSQueueNotExistError' });
  });

  it('a client that hangs up during a long poll does not take the next message', async () => {
    const hangUp = new AbortController();
    const abandoned = signedFetch(
      'GET',
      `/queues/${QUEUE}/messages?waitseconds=20`,
      '',
      hangUp.signal,
    );
    await vi.waitFor(() => expect(emulator.stats().longPollWaiting).toBe(1));

    hangUp.abort();
    await rejectionOf(abandoned);
    await vi.waitFor(() => expect(emulator.stats().longPollWaiting).toBe(0));
    await client.sendMessage(QUEUE, { MessageBody: 'for someone still listening' });

    expect(emulator.peekAll(QUEUE).map((m) => [m.state, m.dequeueCount])).toEqual([['active', 0]]);
  });
});
