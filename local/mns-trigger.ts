import { randomUUID } from 'node:crypto';
import type { JobQueue, ReceivedMessage } from '../shared/queue/job-queue.port.js';

/**
 * Plays Function Compute's MNS queue trigger (an EventBridge event stream in `event-streaming`
 * mode): receives up to `batchSize` messages, hands them to the handler as an array of
 * CloudEvents, deletes them when the handler succeeds, and leaves them when it throws so that the
 * queue's visibility timeout brings them back — the redelivery a real stream would do.
 */
interface MnsTriggerOptions {
  queue: JobQueue;
  queueName: string;
  region: string;
  batchSize: number;
  /** EventBridge base64-decodes the body first when `IsBase64Decode` is true (its default). */
  base64Decode: boolean;
  invoke: (event: Buffer) => Promise<unknown>;
  onError: (error: unknown) => void;
}

const toCloudEvent = (message: ReceivedMessage, options: MnsTriggerOptions) => ({
  id: randomUUID(),
  source: `MNS-${options.queueName}`,
  specversion: '1.0',
  type: 'mns:Queue:SendMessage',
  datacontenttype: 'application/json; charset=utf-8',
  subject: `acs:mns:${options.region}:local:queues/${options.queueName}`,
  time: message.enqueueTime.toISOString(),
  aliyunaccountid: 'local',
  aliyunpublishtime: new Date().toISOString(),
  aliyuneventbusname: `MNS-${options.queueName}`,
  aliyunregionid: options.region,
  data: {
    requestId: randomUUID(),
    messageId: message.messageId,
    messageBody: options.base64Decode
      ? Buffer.from(message.body, 'base64').toString('utf8')
      : message.body,
  },
});

const startMnsTrigger = (options: MnsTriggerOptions): { stop(): Promise<void> } => {
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) {
      try {
        const messages = await options.queue.receive({ max: options.batchSize, waitSeconds: 1 });
        if (messages.length === 0 || !running) continue;
        const event = Buffer.from(
          JSON.stringify(messages.map((message) => toCloudEvent(message, options))),
        );
        try {
          await options.invoke(event);
          await Promise.all(messages.map((message) => options.queue.delete(message.receiptHandle)));
        } catch (error) {
          options.onError(error);
        }
      } catch (error) {
        options.onError(error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
  const done = loop();
  return {
    stop: async () => {
      running = false;
      await done;
    },
  };
};

export { startMnsTrigger };
