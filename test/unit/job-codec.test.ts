import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.js';
import type { Job } from '../../shared/domain/job.js';
import { decodeJob, encodeJob } from '../../shared/queue/job-codec.js';

const job: Job = { v: 1, kind: 'create', provisionId: 'prv_0123456789abcdefghij' };
const anyCodePoint = fc
  .integer({ min: 0, max: 0x10ffff })
  .map((code) => String.fromCodePoint(code));
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

const rejection = (body: unknown): DomainError => {
  try {
    decodeJob(body);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw new Error(`decodeJob threw a non-DomainError: ${String(error)}`);
  }
  throw new Error('decodeJob accepted the body');
};

const jobArbitrary = fc.record({
  v: fc.constant(1 as const),
  kind: fc.constantFrom('create' as const, 'delete' as const),
  provisionId: fc.stringMatching(/^prv_[0-9a-z]{20,32}$/),
});

describe('encodeJob', () => {
  it('produces base64 text with no XML-special characters, since the SDK does not escape', () => {
    const encoded = encodeJob(job);
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'))).toEqual(job);
  });

  it('refuses to encode something that is not a job', () => {
    const notAJob = { ...job, kind: 'resize' } as unknown as Job;
    expect(() => encodeJob(notAJob)).toThrow(DomainError);
  });
});

describe('decodeJob accepts every form the queue or the FC trigger may deliver', () => {
  it('reads the base64 text exactly as queued', () => {
    expect(decodeJob(encodeJob(job))).toEqual(job);
  });

  it('reads JSON text the trigger already base64-decoded (IsBase64Decode=true)', () => {
    expect(decodeJob(JSON.stringify(job))).toEqual(job);
  });

  it('reads an object the trigger already parsed', () => {
    expect(decodeJob({ ...job })).toEqual(job);
  });

  it('tolerates surrounding whitespace around base64 or JSON text', () => {
    expect(decodeJob(`\n${encodeJob(job)} `)).toEqual(job);
    expect(decodeJob(` ${JSON.stringify(job)}\n`)).toEqual(job);
  });
});

describe('decodeJob rejections name the problem', () => {
  it.each([
    ['text that is neither base64 nor JSON', 'not base64!', /neither base64 nor a JSON object/],
    ['base64 that does not decode to JSON', base64('definitely not json'), /base64-decoded.*JSON/],
    ['broken JSON text', '{"v":1,', /not valid JSON/],
    ['an empty body', '   ', /empty/],
    ['a number', 42, /string or an object, got number/],
    ['null', null, /got null/],
    ['an array', [job], /got an array/],
  ])('rejects %s', (_name, body, message) => {
    const error = rejection(body);
    expect(error.code).toBe('QUEUE_MESSAGE_INVALID');
    expect(error.message).toMatch(message);
  });

  it.each([
    ['a future version (v: 2)', { ...job, v: 2 }, 'v', /v: Invalid input: expected 1/],
    ['an unknown kind', { ...job, kind: 'resize' }, 'kind', /kind: .*"create"\|"delete"/],
    ['a malformed provisionId', { ...job, provisionId: 'cluster-1' }, 'provisionId', /provisionId/],
    ['extra fields', { ...job, extra: true }, undefined, /Unrecognized key: "extra"/],
  ])('rejects %s, in every accepted form', (_name, value, field, message) => {
    for (const body of [value, JSON.stringify(value), base64(JSON.stringify(value))]) {
      const error = rejection(body);
      expect(error.code).toBe('QUEUE_MESSAGE_INVALID');
      expect(error.message).toMatch(message);
      expect(error.field).toBe(field);
    }
  });

  it('rejects a body larger than an MNS message can be', () => {
    expect(rejection(`{${' '.repeat(70_000)}}`).message).toMatch(/64 KiB/);
  });
});

describe('decodeJob properties', () => {
  it('round-trips every valid job through encodeJob', () => {
    fc.assert(
      fc.property(jobArbitrary, (generated) => {
        expect(decodeJob(encodeJob(generated))).toEqual(generated);
      }),
    );
  });

  it('throws nothing but QUEUE_MESSAGE_INVALID DomainErrors for arbitrary input', () => {
    const inputs = fc.oneof(
      fc.string(),
      // Any code point, lone surrogates included: what fc's 'binary' unit covers, without the
      // seconds it takes to build that unit's tables.
      fc.string({ unit: anyCodePoint }),
      fc.base64String(),
      fc.json({ maxDepth: 3 }),
      fc.jsonValue({ maxDepth: 3 }).map((value) => base64(JSON.stringify(value))),
      fc.anything({ maxDepth: 3 }),
    );
    fc.assert(
      fc.property(inputs, (input) => {
        try {
          decodeJob(input);
        } catch (error) {
          // A plain check, not expect(): fast-check reports the input that broke it.
          const wellFormed = error instanceof DomainError && error.code === 'QUEUE_MESSAGE_INVALID';
          if (!wellFormed) throw error;
        }
      }),
    );
  });
});
