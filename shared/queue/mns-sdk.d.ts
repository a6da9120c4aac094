/**
 * Types for the parts of @alicloud/mns 1.2.0 (plain CommonJS, `module.exports = Client`, no
 * bundled types) that this project calls, written against lib/client.js and lib/helper.js.
 * Response bodies are xml2js output flattened by the SDK: every field is a string, and a field
 * is missing when the element was absent. Batch calls return arrays. Errors are plain `Error`s
 * named `MNS<Code>Error` with no `code` property (see mns-job-queue.ts).
 */
declare module '@alicloud/mns' {
  class MNS {
    public constructor(accountId: string, options: MNS.ClientOptions);
    public createQueue(
      name: string,
      params?: MNS.QueueAttributesInput,
    ): Promise<MNS.Response<undefined>>;
    public deleteQueue(name: string): Promise<MNS.Response<undefined>>;
    public getQueueAttributes(name: string): Promise<MNS.Response<MNS.QueueAttributes>>;
    public setQueueAttributes(
      name: string,
      params?: MNS.QueueAttributesInput,
    ): Promise<MNS.Response<undefined>>;
    public sendMessage(
      queue: string,
      params: MNS.SendMessageInput,
    ): Promise<MNS.Response<MNS.SentMessage>>;
    public batchSendMessage(
      queue: string,
      params: MNS.SendMessageInput[],
    ): Promise<MNS.Response<MNS.SentMessage[]>>;
    /** `waitSeconds` 0 or undefined is omitted from the URL: the queue's PollingWaitSeconds applies. */
    public receiveMessage(
      queue: string,
      waitSeconds?: number,
    ): Promise<MNS.Response<MNS.ReceivedMessage>>;
    public batchReceiveMessage(
      queue: string,
      numOfMessages: number,
      waitSeconds?: number,
    ): Promise<MNS.Response<MNS.ReceivedMessage[]>>;
    public peekMessage(queue: string): Promise<MNS.Response<MNS.PeekedMessage>>;
    public batchPeekMessage(
      queue: string,
      numOfMessages: number,
    ): Promise<MNS.Response<MNS.PeekedMessage[]>>;
    /** The handle goes into the query string without URL-encoding. */
    public deleteMessage(queue: string, receiptHandle: string): Promise<MNS.Response<undefined>>;
    /** Resolves (does not throw) on a partial failure; the body lists the failed handles. */
    public batchDeleteMessage(
      queue: string,
      receiptHandles: string[],
    ): Promise<MNS.Response<MNS.BatchDeleteError[] | undefined>>;
    public changeMessageVisibility(
      queue: string,
      receiptHandle: string,
      visibilityTimeout: number,
    ): Promise<MNS.Response<MNS.ChangedVisibility>>;
  }

  namespace MNS {
    interface ClientOptions {
      accessKeyId: string;
      accessKeySecret: string;
      securityToken?: string;
      /** Must start with http:// or https://; requests go to `${endpoint}${resource}`. */
      endpoint?: string;
      region?: string;
      secure?: boolean;
      internal?: boolean;
      vpc?: boolean;
      readTimeout?: number;
      connectTimeout?: number;
    }

    interface Response<TBody> {
      code: number;
      headers: Record<string, string | undefined>;
      body: TBody;
    }

    interface QueueAttributesInput {
      DelaySeconds?: number;
      MaximumMessageSize?: number;
      MessageRetentionPeriod?: number;
      VisibilityTimeout?: number;
      PollingWaitSeconds?: number;
      LoggingEnabled?: boolean;
    }

    interface QueueAttributes {
      QueueName: string;
      CreateTime: string;
      LastModifyTime: string;
      DelaySeconds: string;
      MaximumMessageSize: string;
      MessageRetentionPeriod: string;
      VisibilityTimeout: string;
      PollingWaitSeconds: string;
      ActiveMessages?: string;
      InactiveMessages?: string;
      DelayMessages?: string;
      LoggingEnabled?: string;
    }

    /** Interpolated into XML unescaped: the caller must make it XML-safe (we send base64). */
    interface SendMessageInput {
      MessageBody: string;
      DelaySeconds?: number;
      Priority?: number;
    }

    interface SentMessage {
      MessageId: string;
      MessageBodyMD5: string;
      ReceiptHandle?: string;
    }

    interface PeekedMessage {
      MessageId: string;
      MessageBody: string;
      MessageBodyMD5: string;
      EnqueueTime: string;
      FirstDequeueTime?: string;
      DequeueCount: string;
      Priority: string;
    }

    interface ReceivedMessage extends PeekedMessage {
      ReceiptHandle: string;
      NextVisibleTime: string;
    }

    interface ChangedVisibility {
      ReceiptHandle: string;
      NextVisibleTime: string;
    }

    interface BatchDeleteError {
      ErrorCode: string;
      ErrorMessage: string;
      ReceiptHandle: string;
    }
  }

  export = MNS;
}
