/**
 * A small JSON-lines logger. Anything under a key that names a secret is replaced before it is
 * written, so an access key, API key, kubeconfig or webhook secret cannot reach a log line even
 * when a caller passes a whole object by mistake.
 */
type LogLevel = 'debug' | 'info' | 'warn' | 'error';

interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY =
  /secret|token|password|passwd|authorization|api[-_]?key|kubeconfig|credential|signature/i;
const REDACTED = '[redacted]';
/** How many `cause` links of one error are written; a longer (or circular) chain is cut there. */
const MAX_CAUSE_DEPTH = 5;

/**
 * Secrets that can sit inside an error's text (its message, and so its stack's first line): an
 * API key, a webhook secret, a bearer token, or a signed URL's credential parameters. Keys are
 * redacted by name elsewhere; these are the shapes we know by value.
 */
const SECRET_TEXT: readonly [RegExp, string][] = [
  [/\b(askp_[0-9a-z]{8,32}_)[A-Za-z0-9_-]+/g, `$1${REDACTED}`],
  [/\bwhsec_[A-Za-z0-9+/=]+/g, REDACTED],
  [/\b(Bearer|Basic)\s+[^\s"',]+/gi, `$1 ${REDACTED}`],
  [
    /\b(AccessKeySecret|SecurityToken|Signature|X-Amz-Signature|token|secret)=[^&\s"']+/gi,
    `$1=${REDACTED}`,
  ],
];

const scrubText = (text: string): string =>
  SECRET_TEXT.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);

/**
 * An error as a plain object: name, message, its own fields (e.g. `code`), stack, and its `cause`
 * chain (up to MAX_CAUSE_DEPTH links). `message`, `stack` and `cause` are not enumerable on a
 * native Error, so a spread alone would drop them, and with them the reason for a failure.
 */
const formatError = (error: Error, depth: number, causeDepth: number): Record<string, unknown> => {
  // `cause` (and `errors`) may also be own enumerable fields when assigned by hand; they are
  // written below, once, with the chain's bound.
  const { cause: _cause, errors: _errors, ...fields } = { ...error } as Record<string, unknown>;
  const out: Record<string, unknown> = {
    name: error.name,
    message: scrubText(error.message),
    ...redactObject(fields, depth + 1),
  };
  if (typeof error.stack === 'string') out.stack = scrubText(error.stack);
  if (error instanceof AggregateError) {
    out.errors = error.errors.map((item: unknown) => redactAt(item, depth + 1, causeDepth + 1));
  }
  if (error.cause !== undefined) {
    out.cause =
      causeDepth >= MAX_CAUSE_DEPTH
        ? '[cause depth]'
        : redactAt(error.cause, depth, causeDepth + 1);
  }
  return out;
};

const redactAt = (value: unknown, depth: number, causeDepth: number): unknown => {
  if (depth > 6) return '[depth]';
  if (value instanceof Error) return formatError(value, depth, causeDepth);
  if (Array.isArray(value)) return value.map((item) => redactAt(item, depth + 1, causeDepth));
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    return redactObject(value as Record<string, unknown>, depth + 1);
  }
  return value;
};

const redact = (value: unknown, depth = 0): unknown => redactAt(value, depth, 0);

const redactObject = (value: Record<string, unknown>, depth: number): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redact(item, depth);
  }
  return out;
};

interface LoggerOptions {
  level?: LogLevel;
  fields?: Record<string, unknown>;
  write?: (line: string) => void;
}

const createLogger = (options: LoggerOptions = {}): Logger => {
  const threshold = LEVELS[options.level ?? 'info'];
  const base = options.fields ?? {};
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (LEVELS[level] < threshold) return;
    const record = redactObject({ ...base, ...fields }, 0);
    // Our own keys last: a caller's `message` field must not replace the log message.
    write(JSON.stringify({ ...record, time: new Date().toISOString(), level, message }));
  };
  return {
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
};

export type { Logger, LogLevel };
export { createLogger, redact };
