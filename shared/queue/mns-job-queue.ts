import MNS from '@alicloud/mns';
import { asCredentialsSource, type CredentialsSource } from '../cloud/credentials.js';
import { DomainError } from '../domain/errors.js';
import type { Job } from '../domain/job.js';
import { encodeJob } from './job-codec.js';
import type { JobQueue, ReceivedMessage, SentJob } from './job-queue.port.js';
import { QueueError } from './queue-error.js';

type MnsClient = MNS;

interface MnsCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string | undefined;
}

interface MnsJobQueueOptions {
  /** `http(s)://<accountId>.mns.<region>.aliyuncs.com`, or the emulator's URL. */
  endpoint: string;
  accountId: string;
  queueName: string;
  /** Fixed credentials, or a source each invocation updates (cloud/credentials.ts). */
  credentials: MnsCredentials | CredentialsSource;
  /** An already-built client (tests); when given, endpoint and credentials are not used. */
  client?: MnsClient;
}

interface EnsureQueueOptions extends MnsJobQueueOptions {
  attributes?: MNS.QueueAttributesInput;
}

/**
 * @alicloud/mns throws plain Errors named `MNS<Code>Error` (e.g. `MNSReceiptHandleErrorError`)
 * and sets no `code`; the name is the only place the MNS error code survives.
 */
const mnsErrorCode = (error: unknown): string | undefined => {
  if (!(error instanceof Error)) return undefined;
  return /^MNS(.+)Error$/.exec(error.name)?.[1];
};

/**
 * Every failure we do not handle becomes QUEUE_UNAVAILABLE (retryable). The message is built
 * from the operation, queue and MNS code only, never from options, so no credential can leak;
 * the SDK's own error (its message holds the URL, no headers) stays available as `cause`.
 */
const unavailable = (operation: string, queueName: string, error: unknown): QueueError => {
  const mnsCode = mnsErrorCode(error);
  const reason = mnsCode ?? (error instanceof Error ? error.name : 'unknown error');
  return new QueueError(`MNS ${operation} on queue "${queueName}" failed: ${reason}`, {
    operation,
    queue: queueName,
    mnsCode: mnsCode ?? null,
    cause: error,
  });
};

/** The SDK client; the constructor's assertions become CONFIG_INVALID (they name no secret). */
const createMnsClient = (options: Omit<MnsJobQueueOptions, 'queueName' | 'client'>): MnsClient => {
  if (!/^https?:\/\//.test(options.endpoint)) {
    throw new DomainError('CONFIG_INVALID', 'MNS endpoint must start with http:// or https://', {
      field: 'mns.endpoint',
    });
  }
  const credentials = asCredentialsSource(options.credentials).current();
  try {
    return new MNS(options.accountId, {
      endpoint: options.endpoint.replace(/\/+$/, ''),
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      ...(credentials.securityToken ? { securityToken: credentials.securityToken } : {}),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'invalid options';
    throw new DomainError('CONFIG_INVALID', `MNS client options are invalid: ${reason}`);
  }
};

const toReceived = (message: MNS.ReceivedMessage): ReceivedMessage => {
  const firstDequeue = Number(message.FirstDequeueTime ?? 0);
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.MessageBody,
    dequeueCount: Number(message.DequeueCount),
    enqueueTime: new Date(Number(message.EnqueueTime)),
    firstDequeueTime: firstDequeue > 0 ? new Date(firstDequeue) : null,
  };
};

const checkReceiveInput = (max: number, waitSeconds: number): void => {
  if (!Number.isInteger(max) || max < 1 || max > 16) {
    throw new DomainError('VALIDATION_FAILED', 'receive max must be an integer from 1 to 16', {
      field: 'max',
    });
  }
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > 30) {
    throw new DomainError('VALIDATION_FAILED', 'receive waitSeconds must be 0 to 30', {
      field: 'waitSeconds',
    });
  }
};

/**
 * The JobQueue port over @alicloud/mns. Bodies are base64 JSON (job-codec.ts). An empty queue is
 * not an error (MNS answers 404 MessageNotExist), and neither is deleting with a stale handle:
 * the message simply comes back and the idempotent handler sees it again.
 */
/**
 * The client for the credentials current now. @alicloud/mns keeps the key pair and STS token it
 * was built with (client.js signs with `this.accessKeyID`/`this.securityToken`); its own
 * `refreshSTSToken` hook runs on a timer interval, not when our invocation hands us new
 * credentials. So the client is rebuilt whenever the source's credentials change: it holds no
 * connection state of its own (httpx), so that costs nothing but an object.
 */
const clientSource = (options: MnsJobQueueOptions): (() => MnsClient) => {
  const { client } = options;
  if (client !== undefined) return () => client;
  const credentials: CredentialsSource = asCredentialsSource(options.credentials);
  let built: { for: MnsCredentials; client: MnsClient } | undefined;
  return () => {
    const current = credentials.current();
    if (built === undefined || built.for !== current) {
      built = { for: current, client: createMnsClient({ ...options, credentials: current }) };
    }
    return built.client;
  };
};

const createMnsJobQueue = (options: MnsJobQueueOptions): JobQueue => {
  const clientNow = clientSource(options);
  // Built once now, so a bad endpoint is a CONFIG_INVALID at start-up, not at the first send.
  clientNow();
  const queue = options.queueName;

  const send = async (job: Job): Promise<SentJob> => {
    const body = encodeJob(job);
    try {
      const response = await clientNow().sendMessage(queue, { MessageBody: body });
      return { messageId: response.body.MessageId };
    } catch (error) {
      throw unavailable('SendMessage', queue, error);
    }
  };

  const receive = async (input: { max: number; waitSeconds: number }) => {
    checkReceiveInput(input.max, input.waitSeconds);
    // waitSeconds 0 is dropped from the URL by the SDK, so the queue's PollingWaitSeconds
    // (0 unless configured) decides how long an empty receive waits.
    const wait = input.waitSeconds === 0 ? undefined : input.waitSeconds;
    try {
      if (input.max === 1) {
        const response = await clientNow().receiveMessage(queue, wait);
        return [toReceived(response.body)];
      }
      const response = await clientNow().batchReceiveMessage(queue, input.max, wait);
      return response.body.map(toReceived);
    } catch (error) {
      if (mnsErrorCode(error) === 'MessageNotExist') return [];
      throw unavailable('ReceiveMessage', queue, error);
    }
  };

  const remove = async (receiptHandle: string): Promise<void> => {
    try {
      await clientNow().deleteMessage(queue, receiptHandle);
    } catch (error) {
      const code = mnsErrorCode(error);
      // Stale (MessageNotExist) or unreadable (ReceiptHandleError) handle: the message is
      // already gone or will be delivered again; either way there is nothing left to do here.
      if (code === 'MessageNotExist' || code === 'ReceiptHandleError') return;
      throw unavailable('DeleteMessage', queue, error);
    }
  };

  return { send, receive, delete: remove };
};

/**
 * Creates the queue unless it exists; an existing queue keeps its attributes (a concurrent
 * creator's QueueAlreadyExist counts as "exists"). For the local host at start-up.
 */
const ensureQueue = async (options: EnsureQueueOptions): Promise<{ created: boolean }> => {
  const client = clientSource(options)();
  try {
    await client.getQueueAttributes(options.queueName);
    return { created: false };
  } catch (error) {
    if (mnsErrorCode(error) !== 'QueueNotExist') {
      throw unavailable('GetQueueAttributes', options.queueName, error);
    }
  }
  try {
    const response = await client.createQueue(options.queueName, options.attributes ?? {});
    return { created: response.code === 201 };
  } catch (error) {
    if (mnsErrorCode(error) === 'QueueAlreadyExist') return { created: false };
    throw unavailable('CreateQueue', options.queueName, error);
  }
};

export type { EnsureQueueOptions, MnsClient, MnsCredentials, MnsJobQueueOptions };
export { createMnsClient, createMnsJobQueue, ensureQueue, mnsErrorCode };
