import { mnsErrors } from './errors.js';
import type { QueueAttributes } from './types.js';
import { childText, localName, parseXml, type XmlElement, XmlSyntaxError } from './xml.js';

/** Ranges from the MNS CreateQueue / SendMessage / ReceiveMessage references. */
const LIMITS = {
  DelaySeconds: [0, 604_800, 'seconds'],
  MaximumMessageSize: [1024, 65_536, 'bytes'],
  MessageRetentionPeriod: [60, 604_800, 'seconds'],
  VisibilityTimeout: [1, 43_200, 'seconds'],
  PollingWaitSeconds: [0, 30, 'seconds'],
  Priority: [1, 16, ''],
  waitseconds: [0, 30, 'seconds'],
  numOfMessages: [1, 16, ''],
  visibilityTimeout: [1, 43_200, 'seconds'],
} as const;

type Limited = keyof typeof LIMITS;

/** MNS: at most 120 characters of letters, digits and '-', starting with a letter or digit. */
const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

const validateQueueName = (name: string): string => {
  if (name.length === 0 || name.length > 120) throw mnsErrors.queueNameLength();
  if (!QUEUE_NAME.test(name)) throw mnsErrors.invalidQueueName();
  return name;
};

/** An integer within the element's documented range; undefined when the element is absent. */
const parseBounded = (element: Limited, raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const [low, high, unit] = LIMITS[element];
  const text = raw.trim();
  if (!/^-?\d{1,12}$/.test(text)) {
    throw mnsErrors.invalidArgument(`The value of ${element} should be an integer.`);
  }
  const value = Number(text);
  if (value < low || value > high) throw mnsErrors.between(element, low, high, unit);
  return value;
};

const parseBoolean = (element: string, raw: string | undefined): boolean | undefined => {
  if (raw === undefined) return undefined;
  const text = raw.trim().toLowerCase();
  if (text !== 'true' && text !== 'false') {
    throw mnsErrors.invalidArgument(`The value of ${element} should be True or False.`);
  }
  return text === 'true';
};

const defaultQueueAttributes = (visibilityTimeout: number): QueueAttributes => ({
  delaySeconds: 0,
  maximumMessageSize: 65_536,
  messageRetentionPeriod: 345_600,
  visibilityTimeout,
  pollingWaitSeconds: 0,
  loggingEnabled: false,
});

/** The attributes a `<Queue>` document sets; absent elements are left out. */
const parseQueueAttributes = (queue: XmlElement | undefined): Partial<QueueAttributes> => {
  if (queue === undefined) return {};
  const fields = {
    delaySeconds: parseBounded('DelaySeconds', childText(queue, 'DelaySeconds')),
    maximumMessageSize: parseBounded('MaximumMessageSize', childText(queue, 'MaximumMessageSize')),
    messageRetentionPeriod: parseBounded(
      'MessageRetentionPeriod',
      childText(queue, 'MessageRetentionPeriod'),
    ),
    visibilityTimeout: parseBounded('VisibilityTimeout', childText(queue, 'VisibilityTimeout')),
    pollingWaitSeconds: parseBounded('PollingWaitSeconds', childText(queue, 'PollingWaitSeconds')),
    loggingEnabled: parseBoolean('LoggingEnabled', childText(queue, 'LoggingEnabled')),
  };
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<QueueAttributes>;
};

/**
 * Parses a request body whose root must be one of `roots`. An empty body yields undefined (the
 * SDK always sends a root, but CreateQueue without a body is legal on the wire).
 */
const parseBody = (body: string, roots: readonly string[]): XmlElement | undefined => {
  if (body.trim() === '') return undefined;
  let document: XmlElement;
  try {
    document = parseXml(body);
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw mnsErrors.malformedXml(error.message);
    throw error;
  }
  if (!roots.includes(localName(document.name))) {
    throw mnsErrors.malformedXml(`the root element should be ${roots.join(' or ')}`);
  }
  return document;
};

export { defaultQueueAttributes, parseBody, parseBounded, parseQueueAttributes, validateQueueName };
