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

const redact = (value: unknown, depth = 0): unknown => {
  if (depth > 6) return '[depth]';
  if (value instanceof Error) {
    return { name: value.name, message: value.message, ...redactObject({ ...value }, depth + 1) };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    return redactObject(value as Record<string, unknown>, depth + 1);
  }
  return value;
};

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
