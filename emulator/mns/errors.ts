import { escapeXml, MNS_XMLNS, XML_DECLARATION } from './xml.js';

/**
 * An MNS error: the wire code, HTTP status and message MNS itself returns. The SDK turns the
 * `<Code>` into the thrown error's name (`MNS<Code>Error`), so codes must be spelled exactly as
 * MNS spells them, typos included (`InvalidDegist`).
 */
class MnsError extends Error {
  public readonly code: string;
  public readonly status: number;

  public constructor(code: string, status: number, message: string) {
    super(message);
    this.name = 'MnsError';
    this.code = code;
    this.status = status;
  }
}

const between = (element: string, low: number, high: number, unit: string): MnsError =>
  new MnsError(
    'InvalidArgument',
    400,
    `The value of ${element} should between ${low} and ${high} ${unit}.`,
  );

/** Messages follow the MNS API reference's error tables where it gives one. */
const mnsErrors = {
  accessDenied: (why: string) => new MnsError('AccessDenied', 403, why),
  invalidAccessKeyId: () =>
    new MnsError('InvalidAccessKeyId', 403, 'The access Id you provided is not exist.'),
  signatureDoesNotMatch: () =>
    new MnsError(
      'SignatureDoesNotMatch',
      403,
      'The request signature we calculated does not match the signature you provided.',
    ),
  invalidAuthorizationHeader: () =>
    new MnsError(
      'InvalidAuthorizationHeader',
      400,
      'The Authorization header you provide is not valid.',
    ),
  missingDateHeader: () =>
    new MnsError('MissingDateHeader', 400, 'The http request you sent is missing Date header.'),
  invalidDateHeader: () =>
    new MnsError('InvalidDateHeader', 400, 'The Date header you provide is not valid.'),
  timeExpired: () => new MnsError('TimeExpired', 408, 'The http request you sent is expired.'),
  /**
   * An STS token past its expiry (emulator/sts/sts-tokens.ts). UNVERIFIED: MNS's error table
   * (alibabacloud.com/help/en/mns/error-codes) lists no token code; `SecurityTokenExpired` (403)
   * is what Alibaba's OSS answers, and MNS may answer AccessDenied instead.
   */
  securityTokenExpired: () =>
    new MnsError('SecurityTokenExpired', 403, 'The security token you provided has expired.'),
  // The real code for a missing or wrong x-mns-version is not documented; InvalidArgument is our pick.
  invalidVersion: () =>
    new MnsError('InvalidArgument', 400, 'The x-mns-version header must be 2015-06-06.'),
  invalidDigest: () =>
    new MnsError('InvalidDegist', 400, 'The Content-MD5 you specified is not valid.'),
  malformedXml: (detail: string) =>
    new MnsError('MalformedXML', 400, `The XML you provided was not well-formed: ${detail}.`),
  invalidArgument: (message: string) => new MnsError('InvalidArgument', 400, message),
  between,
  queueNotExist: () =>
    new MnsError('QueueNotExist', 404, 'The queue name you provided is not exist.'),
  queueAlreadyExist: () =>
    new MnsError(
      'QueueAlreadyExist',
      409,
      'The queue you want to create is already exist, with different attributes.',
    ),
  invalidQueueName: () =>
    new MnsError('InvalidQueueName', 400, 'The queue name you provided is not valid.'),
  queueNameLength: () =>
    new MnsError('QueueNameLengthError', 400, 'The length of queue name should be 1 to 120.'),
  messageNotExist: () => new MnsError('MessageNotExist', 404, 'Message not exist.'),
  receiptHandleError: () =>
    new MnsError('ReceiptHandleError', 400, 'The receipt handle you provide is not valid.'),
  missingReceiptHandle: () =>
    new MnsError('MissingReceiptHandle', 400, 'The receipt handle should not be empty.'),
  missingVisibilityTimeout: () =>
    new MnsError('MissingVisibilityTimeout', 400, 'The visibility timeout should not be empty.'),
  notImplemented: (what: string) =>
    new MnsError('NotImplemented', 501, `${what} is not implemented by the MNS emulator.`),
  internal: () => new MnsError('InternalError', 500, 'Internal error, please try again.'),
};

/** The exact MNS error document; every value is escaped because messages may echo input. */
const renderErrorXml = (error: MnsError, requestId: string, hostId: string): string =>
  `${XML_DECLARATION}<Error xmlns="${MNS_XMLNS}">` +
  `<Code>${escapeXml(error.code)}</Code>` +
  `<Message>${escapeXml(error.message)}</Message>` +
  `<RequestId>${escapeXml(requestId)}</RequestId>` +
  `<HostId>${escapeXml(hostId)}</HostId>` +
  '</Error>';

const isMnsError = (error: unknown): error is MnsError => error instanceof MnsError;

export { isMnsError, MnsError, mnsErrors, renderErrorXml };
