import { DomainError } from '../domain/errors.js';
import { type Job, jobSchema } from '../domain/job.js';

/** MNS caps a message at 64 KiB; anything longer is not one of our jobs. */
const MAX_BODY_CHARS = 65_536;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const invalid = (message: string, field?: string): DomainError =>
  new DomainError('QUEUE_MESSAGE_INVALID', message, field === undefined ? {} : { field });

const validate = (value: unknown): Job => {
  const parsed = jobSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  const field = parsed.error.issues[0]?.path.map(String).join('.');
  throw invalid(`queue message is not a valid job: ${problems.join('; ')}`, field || undefined);
};

const parseJson = (text: string, what: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(`queue message ${what} is not valid JSON`);
  }
};

const decodeText = (text: string): Job => {
  const trimmed = text.trim();
  if (trimmed === '') throw invalid('queue message body is empty');
  if (trimmed.length > MAX_BODY_CHARS) throw invalid('queue message body is larger than 64 KiB');
  // Already base64-decoded by the trigger (IsBase64Decode=true): a JSON object in text form.
  if (trimmed.startsWith('{')) return validate(parseJson(trimmed, 'body'));
  if (!BASE64.test(trimmed)) {
    throw invalid('queue message body is neither base64 nor a JSON object');
  }
  return validate(
    parseJson(Buffer.from(trimmed, 'base64').toString('utf8'), 'body (base64-decoded)'),
  );
};

/**
 * A job as the queue carries it: base64 of its JSON. Base64 because @alicloud/mns interpolates
 * MessageBody into its XML without escaping, and because Function Compute's MNS trigger
 * (IsBase64Decode=true by default) base64-decodes bodies before delivery, as the MNS console
 * and the other SDKs expect.
 */
const encodeJob = (job: Job): string => {
  const checked = validate(job);
  return Buffer.from(JSON.stringify(checked), 'utf8').toString('base64');
};

/**
 * Reads a job from whatever carried it: the base64 text as queued (ReceiveMessage, or a trigger
 * with IsBase64Decode=false), the decoded JSON text, or an object when the trigger already parsed
 * the JSON. Always throws DomainError('QUEUE_MESSAGE_INVALID') naming the problem, never anything
 * else: a bad message must be droppable, not crash the batch.
 */
const decodeJob = (body: unknown): Job => {
  try {
    if (typeof body === 'string') return decodeText(body);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return validate(body);
    const kind = body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body;
    throw invalid(`queue message body must be a string or an object, got ${kind}`);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('QUEUE_MESSAGE_INVALID', 'queue message could not be read', {
      cause: error,
    });
  }
};

export { decodeJob, encodeJob };
