import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.js';
import type { LogLevel } from '../../shared/logger.js';
import { createLogger, redact } from '../../shared/logger.js';

type Line = Record<string, unknown>;

const capture = (level?: LogLevel, fields?: Record<string, unknown>) => {
  const lines: Line[] = [];
  const raw: string[] = [];
  const logger = createLogger({
    ...(level ? { level } : {}),
    ...(fields ? { fields } : {}),
    write: (line) => {
      raw.push(line);
      lines.push(JSON.parse(line) as Line);
    },
  });
  return { logger, lines, raw };
};

const SECRET_KEYS = [
  'accessKeySecret',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'apiKey',
  'api_key',
  'x-api-key',
  'authorization',
  'Authorization',
  'kubeconfig',
  'webhookSecret',
  'token',
  'securityToken',
  'password',
  'webhook-signature',
  'credentials',
];

describe('createLogger: redaction', () => {
  it.each(SECRET_KEYS)('redacts a value under the key %s', (key) => {
    const { logger, lines, raw } = capture();
    logger.info('x', { [key]: 'hunter2-secret-value' });
    expect(lines[0]?.[key]).toBe('[redacted]');
    expect(raw.join('\n')).not.toContain('hunter2-secret-value');
  });

  it('redacts a whole object under a secret key, not just strings', () => {
    const { logger, lines, raw } = capture();
    logger.info('x', { credentials: { accessKeyId: 'id', accessKeySecret: 'shh-1' } });
    expect(lines[0]?.credentials).toBe('[redacted]');
    expect(raw[0]).not.toContain('shh-1');
  });

  it('redacts secrets nested deep in objects and arrays', () => {
    const { logger, raw, lines } = capture();
    logger.info('request', {
      request: {
        headers: { Authorization: 'Bearer askp_abc_shh-2', 'content-type': 'application/json' },
        endpoints: [
          { url: 'https://example.com', secrets: ['whsec_shh-3'] },
          { url: 'https://example.org', webhookSecret: 'whsec_shh-4' },
        ],
      },
      cluster: { kubeconfig: 'apiVersion: v1\nusers: shh-5' },
    });
    const out = raw.join('\n');
    for (const secret of ['shh-2', 'shh-3', 'shh-4', 'shh-5']) expect(out).not.toContain(secret);
    expect(lines[0]?.request).toEqual({
      headers: { Authorization: '[redacted]', 'content-type': 'application/json' },
      endpoints: [
        { url: 'https://example.com', secrets: '[redacted]' },
        { url: 'https://example.org', webhookSecret: '[redacted]' },
      ],
    });
  });

  it('redacts secrets carried as properties of an Error, keeping its name and message', () => {
    const { logger, lines, raw } = capture();
    const error = Object.assign(new Error('ACK refused the call'), {
      code: 'Forbidden',
      request: { accessKeySecret: 'shh-6', token: 'shh-7' },
      apiKey: 'shh-8',
    });
    logger.error('call failed', { error });
    expect(raw[0]).not.toMatch(/shh-[678]/);
    expect(lines[0]?.error).toEqual({
      name: 'Error',
      message: 'ACK refused the call',
      code: 'Forbidden',
      request: { accessKeySecret: '[redacted]', token: '[redacted]' },
      apiKey: '[redacted]',
      stack: expect.stringContaining('ACK refused the call'),
    });
  });

  it('redacts inside errors nested in arrays', () => {
    const { logger, raw } = capture();
    logger.warn('several failed', {
      failures: [Object.assign(new Error('a'), { authorization: 'Bearer shh-9' })],
    });
    expect(raw[0]).not.toContain('shh-9');
  });

  it('redacts the base fields of the logger and of its children', () => {
    const { logger, raw } = capture('info', { accessKeySecret: 'shh-10' });
    logger.child({ token: 'shh-11' }).info('x');
    expect(raw[0]).not.toMatch(/shh-1[01]/);
  });

  it('keeps ordinary fields as they are and writes dates as ISO text', () => {
    const { logger, lines } = capture();
    const at = new Date('2026-01-02T03:04:05.000Z');
    logger.info('x', {
      provisionId: 'prv_1',
      count: 3,
      ok: true,
      none: null,
      at,
      accessKeyId: 'LTAI',
    });
    expect(lines[0]).toMatchObject({
      provisionId: 'prv_1',
      count: 3,
      ok: true,
      none: null,
      at: '2026-01-02T03:04:05.000Z',
      accessKeyId: 'LTAI',
    });
  });

  it('does not crash on a circular object', () => {
    const { logger, lines } = capture();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    expect(() => logger.info('x', { loop })).not.toThrow();
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines[0])).toContain('[depth]');
  });

  it('does not modify the caller’s object', () => {
    const { logger } = capture();
    const fields = { nested: { token: 'shh-12' } };
    logger.info('x', fields);
    expect(fields.nested.token).toBe('shh-12');
  });
});

describe('redact', () => {
  it('passes primitives through and redacts by key at any depth', () => {
    expect(redact('plain')).toBe('plain');
    expect(redact(42)).toBe(42);
    expect(redact(null)).toBeNull();
    expect(redact({ a: [{ b: { password: 'p' } }] })).toEqual({
      a: [{ b: { password: '[redacted]' } }],
    });
  });
});

describe('createLogger: levels', () => {
  const levels: LogLevel[] = ['debug', 'info', 'warn', 'error'];

  it.each(levels)('writes only lines at or above the threshold %s', (threshold) => {
    const { logger, lines } = capture(threshold);
    for (const level of levels) logger[level](`at ${level}`);
    const expected = levels.slice(levels.indexOf(threshold));
    expect(lines.map((line) => line.level)).toEqual(expected);
    expect(lines.map((line) => line.message)).toEqual(expected.map((level) => `at ${level}`));
  });

  it('defaults to info', () => {
    const { logger, lines } = capture();
    logger.debug('hidden');
    logger.info('shown');
    expect(lines.map((line) => line.message)).toEqual(['shown']);
  });

  it('writes one JSON line with time, level and message', () => {
    const { logger, raw, lines } = capture();
    logger.warn('hello', { a: 1 });
    expect(raw).toHaveLength(1);
    expect(raw[0]).not.toContain('\n');
    expect(lines[0]).toMatchObject({ level: 'warn', message: 'hello', a: 1 });
    expect(Number.isNaN(Date.parse(String(lines[0]?.time)))).toBe(false);
  });
});

describe('createLogger: child loggers', () => {
  it('merges the parent fields, the child fields and the call fields', () => {
    const { logger, lines } = capture('info', { service: 'askp', fn: 'api' });
    const child = logger.child({ requestId: 'req-1' }).child({ provisionId: 'prv_1' });
    child.info('x', { step: 'accept' });
    expect(lines[0]).toMatchObject({
      service: 'askp',
      fn: 'api',
      requestId: 'req-1',
      provisionId: 'prv_1',
      step: 'accept',
    });
  });

  it('lets the nearer fields win: call over child over parent', () => {
    const { logger, lines } = capture('info', { where: 'parent' });
    const child = logger.child({ where: 'child' });
    child.info('a');
    child.info('b', { where: 'call' });
    expect(lines.map((line) => line.where)).toEqual(['child', 'call']);
  });

  it('does not leak child fields into the parent', () => {
    const { logger, lines } = capture();
    logger.child({ requestId: 'req-1' });
    logger.info('parent');
    expect(lines[0]).not.toHaveProperty('requestId');
  });

  it('keeps the parent’s level threshold and writer', () => {
    const { logger, lines } = capture('warn');
    const child = logger.child({ a: 1 });
    child.info('hidden');
    child.error('shown');
    expect(lines.map((line) => line.message)).toEqual(['shown']);
  });
});

describe('createLogger: errors keep the whole failure', () => {
  it('writes a nested error with its stack, code and the cause chain, secrets redacted', () => {
    const { logger, lines, raw } = capture();
    const sdkError = Object.assign(
      new Error('POST http://mns.local/queues/jobs/messages failed with 500. message: boom'),
      { name: 'MNSInternalErrorError', request: { authorization: 'MNS LTAI:shh-13' } },
    );
    const error = new DomainError('QUEUE_UNAVAILABLE', 'MNS send on queue "jobs" failed', {
      retryable: true,
      cause: sdkError,
    });
    logger.error('send failed', { error });
    const line = lines[0]?.error as Record<string, unknown>;
    expect(line).toMatchObject({
      name: 'DomainError',
      code: 'QUEUE_UNAVAILABLE',
      message: 'MNS send on queue "jobs" failed',
      stack: expect.stringContaining('logger.test.ts'),
      cause: {
        name: 'MNSInternalErrorError',
        message: expect.stringContaining('failed with 500. message: boom'),
        stack: expect.stringContaining('logger.test.ts'),
        request: { authorization: '[redacted]' },
      },
    });
    expect(raw[0]).not.toContain('shh-13');
  });

  it('writes the stack of a plain TypeError', () => {
    const { logger, lines } = capture();
    let caught: unknown;
    try {
      JSON.parse('{');
    } catch (error) {
      caught = error;
    }
    logger.error('parse failed', { error: caught });
    expect(lines[0]?.error).toMatchObject({
      name: 'SyntaxError',
      stack: expect.stringMatching(/SyntaxError[\s\S]*\n\s+at /),
    });
  });

  it('redacts secrets written into an error message and its stack', () => {
    const { logger, raw, lines } = capture();
    const apiKey = `askp_abcdefgh_${'s'.repeat(40)}`;
    const inner = new Error(`receiver refused Bearer shh-14 with whsec_c2hoLTE1`);
    logger.error('x', { error: new Error(`key ${apiKey} rejected`, { cause: inner }) });
    expect(raw[0]).not.toMatch(/shh-14|c2hoLTE1|s{40}/);
    const error = lines[0]?.error as { message: string; cause: { message: string } };
    expect(error.message).toBe('key askp_abcdefgh_[redacted] rejected');
    expect(error.cause.message).toBe('receiver refused Bearer [redacted] with [redacted]');
  });

  it('cuts a long or circular cause chain instead of looping', () => {
    const { logger, raw } = capture();
    const loop = new Error('loop');
    loop.cause = loop;
    expect(() => logger.error('x', { error: loop })).not.toThrow();
    expect(raw[0]).toContain('[cause depth]');
    let chain: Error = new Error('root cause');
    for (let i = 0; i < 20; i += 1) chain = new Error(`wrap ${i}`, { cause: chain });
    logger.error('y', { error: chain });
    expect(raw[1]).toContain('wrap 19');
    expect(raw[1]).toContain('[cause depth]');
  });

  it('writes the errors of an AggregateError', () => {
    const { logger, raw } = capture();
    logger.error('x', { error: new AggregateError([new Error('first'), new Error('second')]) });
    expect(raw[0]).toContain('first');
    expect(raw[0]).toContain('second');
  });
});
