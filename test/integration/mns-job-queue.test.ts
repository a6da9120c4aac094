import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MnsEmulator } from '../../emulator/mns/mns-emulator.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { Job } from '../../shared/domain/job.js';
import { decodeJob } from '../../shared/queue/job-codec.js';
import type { JobQueue } from '../../shared/queue/job-queue.port.js';
import {
  createMnsClient,
  createMnsJobQueue,
  ensureQueue,
  type MnsJobQueueOptions,
} from '../../shared/queue/mns-job-queue.js';
import { rejectionOf, type TestClock, tempDir } from '../support/emulator-harness.js';
import { ACCOUNT, KEY, QUEUE, START, startMnsHarness } from './mns-harness.js';

const job = (n: number, kind: Job['kind'] = 'create'): Job => ({
  v: 1,
  kind,
  provisionId: `prv_${String(n).padStart(20, '0')}`,
});

describe('MNS JobQueue adapter through @alicloud/mns against the emulator', () => {
  let clock: TestClock;
  let emulator: MnsEmulator;
  let queue: JobQueue;

  const options = (overrides: Partial<MnsJobQueueOptions> = {}): MnsJobQueueOptions => ({
    endpoint: emulator.url,
    accountId: ACCOUNT,
    queueName: QUEUE,
    credentials: KEY,
    ...overrides,
  });
  const rawClient = () => createMnsClient(options());

  beforeEach(async () => {
    ({ emulator, clock } = await startMnsHarness());
    queue = createMnsJobQueue(options());
  });

  it('sends, receives and deletes a job, and the body decodes back to the job', async () => {
    const sent = await queue.send(job(1));

    const [message, ...others] = await queue.receive({ max: 1, waitSeconds: 0 });

    expect(others).toEqual([]);
    expect(message).toMatchObject({ messageId: sent.messageId, dequeueCount: 1 });
    expect(decodeJob(message?.body)).toEqual(job(1));
    expect(message?.enqueueTime).toEqual(new Date(START));
    expect(message?.firstDequeueTime).toEqual(new Date(START));
    await queue.delete(message?.receiptHandle ?? '');
    expect(emulator.peekAll(QUEUE)).toEqual([]);
  });

  it('returns [] for an empty queue although MNS answers 404 MessageNotExist', async () => {
    await expect(queue.receive({ max: 1, waitSeconds: 0 })).resolves.toEqual([]);
    await expect(queue.receive({ max: 16, waitSeconds: 0 })).resolves.toEqual([]);
    expect(emulator.stats()['error:MessageNotExist']).toBe(2);
  });

  it('long polling: a job sent while a receive is waiting is handed to that receive', async () => {
    const waiting = queue.receive({ max: 4, waitSeconds: 20 });
    await vi.waitFor(() => expect(emulator.stats().longPollWaiting).toBe(1));

    await queue.send(job(2));

    const received = await waiting;
    expect(received.map((message) => decodeJob(message.body))).toEqual([job(2)]);
    expect(emulator.stats().longPollTimeouts).toBe(0);
  });

  it('long polling: an empty queue holds the receive for the wait, then returns []', async () => {
    await expect(queue.receive({ max: 1, waitSeconds: 1 })).resolves.toEqual([]);
    expect(emulator.stats().longPollTimeouts).toBe(1);
  });

  it('long polling: a message becoming visible again (clock moved) wakes the waiter', async () => {
    await queue.send(job(3));
    await queue.receive({ max: 1, waitSeconds: 0 });
    const waiting = queue.receive({ max: 1, waitSeconds: 20 });
    await vi.waitFor(() => expect(emulator.stats().longPollWaiting).toBe(1));

    clock.advanceSeconds(31);

    await expect(waiting).resolves.toMatchObject([{ dequeueCount: 2 }]);
  });

  it('redelivers a job not deleted within VisibilityTimeout, with DequeueCount incremented', async () => {
    await queue.send(job(4));
    const [first] = await queue.receive({ max: 1, waitSeconds: 0 });
    clock.advanceSeconds(29);
    await expect(queue.receive({ max: 1, waitSeconds: 0 })).resolves.toEqual([]);

    clock.advanceSeconds(2);
    const [again] = await queue.receive({ max: 1, waitSeconds: 0 });

    expect(again).toMatchObject({ messageId: first?.messageId, dequeueCount: 2 });
    expect(again?.receiptHandle).not.toBe(first?.receiptHandle);
    expect(again?.firstDequeueTime).toEqual(new Date(START));
  });

  it('a handle from before a redelivery is stale: delete() shrugs it off and the job stays', async () => {
    await queue.send(job(5));
    const [first] = await queue.receive({ max: 1, waitSeconds: 0 });
    clock.advanceSeconds(31);
    const [second] = await queue.receive({ max: 1, waitSeconds: 0 });
    const staleHandle = first?.receiptHandle ?? '';

    const raw = await rejectionOf(rawClient().deleteMessage(QUEUE, staleHandle));
    expect(raw).toMatchObject({ name: 'MNSMessageNotExistError' });
    await expect(queue.delete(staleHandle)).resolves.toBeUndefined();
    expect(emulator.peekAll(QUEUE)).toHaveLength(1);

    await queue.delete(second?.receiptHandle ?? '');
    expect(emulator.peekAll(QUEUE)).toEqual([]);
  });

  it('ChangeMessageVisibility gives a new handle, retires the old one and re-times the job', async () => {
    await queue.send(job(6));
    const [message] = await queue.receive({ max: 1, waitSeconds: 0 });
    const oldHandle = message?.receiptHandle ?? '';
    const client = rawClient();

    const changed = await client.changeMessageVisibility(QUEUE, oldHandle, 60);

    expect(changed.body.ReceiptHandle).not.toBe(oldHandle);
    expect(Number(changed.body.NextVisibleTime)).toBe(START + 60_000);
    expect(await rejectionOf(client.deleteMessage(QUEUE, oldHandle))).toMatchObject({
      name: 'MNSMessageNotExistError',
    });
    clock.advanceSeconds(31);
    await expect(queue.receive({ max: 1, waitSeconds: 0 })).resolves.toEqual([]);
    await queue.delete(changed.body.ReceiptHandle);
    expect(emulator.peekAll(QUEUE)).toEqual([]);
  });

  it('batch receive hands out at most 16 messages per call, each once', async () => {
    for (let n = 0; n < 20; n += 1) await queue.send(job(100 + n));

    const first = await queue.receive({ max: 16, waitSeconds: 0 });
    const second = await queue.receive({ max: 16, waitSeconds: 0 });

    expect(first).toHaveLength(16);
    expect(second).toHaveLength(4);
    const ids = new Set(
      [...first, ...second].map((message) => decodeJob(message.body).provisionId),
    );
    expect(ids.size).toBe(20);
    expect(await rejectionOf(rawClient().batchReceiveMessage(QUEUE, 17))).toMatchObject({
      name: 'MNSInvalidArgumentError',
    });
    expect(await rejectionOf(queue.receive({ max: 17, waitSeconds: 0 }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'max',
    });
  });

  it('XML special characters break a raw SDK body but survive base64', async () => {
    const client = rawClient();
    const tricky = `<job note="a<b & 'c'"/>`;

    expect(await rejectionOf(client.sendMessage(QUEUE, { MessageBody: tricky }))).toMatchObject({
      name: 'MNSMalformedXMLError',
    });
    await client.sendMessage(QUEUE, { MessageBody: Buffer.from(tricky).toString('base64') });
    // `>` and `"` are legal unescaped in XML text; the emulator must escape them on the way out.
    await client.sendMessage(QUEUE, { MessageBody: 'x > y "quoted"' });

    const received = await client.batchReceiveMessage(QUEUE, 2);
    const bodies = received.body.map((message) => message.MessageBody);
    expect(Buffer.from(bodies[0] ?? '', 'base64').toString()).toBe(tricky);
    expect(bodies[1]).toBe('x > y "quoted"');
  });

  it('refuses a request signed with the wrong secret, without the secret in the error', async () => {
    const wrongSecret = 'wrong-secret-must-not-leak';
    const impostor = createMnsJobQueue(
      options({ credentials: { accessKeyId: KEY.accessKeyId, accessKeySecret: wrongSecret } }),
    );

    const error = await rejectionOf(impostor.send(job(7)));

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'QUEUE_UNAVAILABLE',
      retryable: true,
      mnsCode: 'SignatureDoesNotMatch',
      cause: { name: 'MNSSignatureDoesNotMatchError' },
    });
    const cause = error instanceof Error ? String(error.cause) : '';
    const rendered = `${String(error)} ${JSON.stringify(error)} ${cause}`;
    expect(rendered).not.toContain(wrongSecret);
    expect(rendered).not.toContain(KEY.accessKeySecret);
    expect(emulator.peekAll(QUEUE)).toEqual([]);
  });

  it('refuses an unknown access key id with InvalidAccessKeyId', async () => {
    const stranger = createMnsClient(
      options({
        credentials: { accessKeyId: 'LTAI-nobody', accessKeySecret: KEY.accessKeySecret },
      }),
    );
    expect(await rejectionOf(stranger.getQueueAttributes(QUEUE))).toMatchObject({
      name: 'MNSInvalidAccessKeyIdError',
    });
  });

  it('maps a missing queue to a retryable QUEUE_UNAVAILABLE on send, receive and delete', async () => {
    const missing = createMnsJobQueue(options({ queueName: 'no-such-queue' }));
    const expected = { code: 'QUEUE_UNAVAILABLE', retryable: true };
    const sendFailure = { operation: 'SendMessage', mnsCode: 'QueueNotExist' };

    expect(await rejectionOf(missing.send(job(8)))).toMatchObject({ ...expected, ...sendFailure });
    expect(await rejectionOf(missing.receive({ max: 1, waitSeconds: 0 }))).toMatchObject(expected);
    expect(await rejectionOf(missing.delete('1-AAAAAAAAAAAAAAAAAAAAAAAA'))).toMatchObject(expected);
  });

  it('maps an unreachable endpoint to a retryable QUEUE_UNAVAILABLE', async () => {
    const url = emulator.url;
    await emulator.close();
    const offline = createMnsJobQueue(options({ endpoint: url }));

    expect(await rejectionOf(offline.send(job(9)))).toMatchObject({
      code: 'QUEUE_UNAVAILABLE',
      retryable: true,
      mnsCode: null,
    });
  });

  it('ensureQueue creates a missing queue once and leaves an existing one alone', async () => {
    const target = options({ queueName: 'local-jobs' });

    await expect(
      ensureQueue({ ...target, attributes: { VisibilityTimeout: 60 } }),
    ).resolves.toEqual({
      created: true,
    });
    await expect(ensureQueue(target)).resolves.toEqual({ created: false });
    const attributes = await rawClient().getQueueAttributes('local-jobs');
    expect(attributes.body.VisibilityTimeout).toBe('60');
  });

  it('close() answers a held long poll instead of leaving the receiver hanging', async () => {
    const waiting = queue.receive({ max: 1, waitSeconds: 30 });
    await vi.waitFor(() => expect(emulator.stats().longPollWaiting).toBe(1));

    await emulator.close();

    await expect(waiting).resolves.toEqual([]);
  });
});

describe('MNS emulator persistence', () => {
  const startOn = async (stateFile: string) => (await startMnsHarness({ stateFile })).emulator;
  const queueOn = (emulator: MnsEmulator) =>
    createMnsJobQueue({
      endpoint: emulator.url,
      accountId: ACCOUNT,
      queueName: QUEUE,
      credentials: KEY,
    });

  it('keeps queues, messages and their receive state across a restart', async () => {
    const stateFile = join(tempDir('mns-emulator-'), 'mns-state.json');
    const before = await startOn(stateFile);
    await queueOn(before).send(job(10));
    await queueOn(before).send(job(11));
    const [inFlight] = await queueOn(before).receive({ max: 1, waitSeconds: 0 });
    await before.close();

    const after = await startOn(stateFile);
    try {
      expect(after.peekAll(QUEUE).map((message) => [message.state, message.dequeueCount])).toEqual([
        ['inactive', 1],
        ['active', 0],
      ]);
      const [waiting] = await queueOn(after).receive({ max: 1, waitSeconds: 0 });
      expect(decodeJob(waiting?.body)).toEqual(job(11));
      await queueOn(after).delete(inFlight?.receiptHandle ?? '');
      expect(after.peekAll(QUEUE).map((message) => decodeJob(message.body))).toEqual([job(11)]);
    } finally {
      await after.close();
    }
  });
});
