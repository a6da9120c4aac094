import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { DomainError } from '../../shared/domain/errors.js';
import { bodyFingerprint, canonicalJson } from '../../shared/http/canonical-json.js';
import { decodeCursor, encodeCursor } from '../../shared/http/cursor.js';
import { HttpRequest } from '../../shared/http/fc-http-event.js';
import { parseIdempotencyKey } from '../../shared/http/idempotency-key.js';
import { parseJsonBody } from '../../shared/http/json-body.js';
import { duplicateKey, jsonProblem } from '../../shared/http/json-value.js';
import { commaList, limitParam, parseQuery } from '../../shared/http/query.js';

const errorOf = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

const request = (input: { query?: Record<string, string>; body?: string; type?: string }) =>
  new HttpRequest(
    'POST',
    '/x',
    input.type === undefined ? {} : { 'content-type': input.type },
    input.query ?? {},
    input.body ?? '',
    'req-1',
    undefined,
  );

describe('parseIdempotencyKey', () => {
  it('reads an sf-string, unescaping \\" and \\\\', () => {
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe(
      '8e03978e-40d5-43e8-bc93-6894a57f9324',
    );
    expect(parseIdempotencyKey('  "a \\"b\\" \\\\ c"  ')).toBe('a "b" \\ c');
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  it('leniently takes a bare token as the same key', () => {
    expect(parseIdempotencyKey('abc-123')).toBe(parseIdempotencyKey('"abc-123"'));
    expect(parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe(
      '8e03978e-40d5-43e8-bc93-6894a57f9324',
    );
  });

  it.each([
    ['empty', '""'],
    ['blank', ''],
    ['unterminated', '"abc'],
    ['two keys', '"a", "b"'],
    ['a parameter', '"a";x=1'],
    ['a bad escape', '"a\\n"'],
    ['non-ASCII', '"ключ"'],
    ['a control character', '"a\u0000b"'],
    ['too long', `"${'a'.repeat(256)}"`],
    ['a bare token with a space', 'a b'],
  ])('refuses %s with a 400 naming the header', (_, value) => {
    const error = errorOf(() => parseIdempotencyKey(value));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'Idempotency-Key' });
  });

  it('takes exactly 255 characters', () => {
    expect(parseIdempotencyKey(`"${'k'.repeat(255)}"`)).toHaveLength(255);
  });
});

describe('canonicalJson and bodyFingerprint', () => {
  /** Rebuilds a JSON value with every object's keys in reverse order. */
  const reordered = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(reordered);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([key, item]) => [key, reordered(item)]),
      );
    }
    return value;
  };

  it('does not depend on key order or whitespace', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const compact = JSON.stringify(value);
        const spaced = JSON.stringify(reordered(value), null, 2);
        expect(canonicalJson(JSON.parse(spaced))).toBe(canonicalJson(JSON.parse(compact)));
        expect(bodyFingerprint(spaced)).toBe(bodyFingerprint(compact));
      }),
      { seed: 4242, numRuns: 300 },
    );
  });

  it('is valid JSON meaning the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { seed: 17, numRuns: 300 },
    );
  });

  it('tells different bodies apart, and fingerprints a body that is not JSON by its text', () => {
    expect(bodyFingerprint('{"a":1}')).not.toBe(bodyFingerprint('{"a":2}'));
    expect(bodyFingerprint('{"a":1,"b":2}')).toBe(bodyFingerprint('{ "b": 2, "a": 1 }'));
    expect(bodyFingerprint('not json')).toBe(bodyFingerprint('not json'));
    expect(bodyFingerprint('not json')).not.toBe(bodyFingerprint('not json '));
    expect(bodyFingerprint('{"__proto__":{"x":1}}')).not.toBe(bodyFingerprint('{}'));
  });
});

describe('cursors', () => {
  const ID = /^prv_[0-9a-z]{20,32}$/;
  const id = 'prv_01jd0000000000000000000000';
  const key = Buffer.alloc(32, 1);
  const otherKey = Buffer.alloc(32, 2);
  const good = encodeCursor(key, 'clusters', id);
  const [payload = '', mac = ''] = good.split('.');
  /** The same cursor with one character of its payload changed. */
  const flipped = `${payload.slice(0, 5)}${payload[5] === 'A' ? 'B' : 'A'}${payload.slice(6)}.${mac}`;
  const unsignedLater = Buffer.from(
    JSON.stringify({ k: 'clusters', a: 'prv_01jd9999999999999999999999' }),
  ).toString('base64url');

  it('round-trip an id for the list that made them', () => {
    expect(decodeCursor(key, 'clusters', good, ID)).toBe(id);
  });

  it.each([
    ['another list', encodeCursor(key, 'api-keys', id)],
    ['garbage', 'not a cursor!'],
    ['base64 of nonsense', Buffer.from('[1,2]').toString('base64url')],
    ['a forged id', encodeCursor(key, 'clusters', "prv_' or 1=1 --")],
    ['an overlong cursor', 'A'.repeat(241)],
    ['an edited payload', flipped],
    ['an edited id with the old signature', `${unsignedLater}.${mac}`],
    ['an unsigned cursor (the old format)', unsignedLater],
    ['a cursor signed under another key', encodeCursor(otherKey, 'clusters', id)],
    ['a truncated signature', good.slice(0, -2)],
  ])('refuse %s with a 400 on cursor', (_, cursor) => {
    expect(errorOf(() => decodeCursor(key, 'clusters', cursor, ID))).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'cursor',
    });
  });
});

describe('parseQuery', () => {
  const schema = z
    .object({ state: commaList(z.enum(['a', 'b'])).optional(), limit: limitParam })
    .strict();

  it('parses comma lists and limits', () => {
    expect(parseQuery(request({ query: { state: 'a,b', limit: '5' } }), schema)).toEqual({
      state: ['a', 'b'],
      limit: 5,
    });
    expect(parseQuery(request({}), schema)).toEqual({});
  });

  it('names every unknown parameter', () => {
    const error = errorOf(() => parseQuery(request({ query: { foo: '1', bar: '2' } }), schema));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'foo' });
    expect(error.message).toContain('unknown query parameter foo');
    expect(error).toMatchObject({
      errors: [
        { field: 'foo', message: 'unknown query parameter foo' },
        { field: 'bar', message: 'unknown query parameter bar' },
      ],
    });
  });

  it.each(['0', '101', 'ten', '1e2', '-1', ''])('refuses limit=%j', (limit) => {
    expect(errorOf(() => parseQuery(request({ query: { limit } }), schema))).toMatchObject({
      field: 'limit',
    });
  });

  it('refuses a value outside the list', () => {
    expect(errorOf(() => parseQuery(request({ query: { state: 'a,c' } }), schema))).toMatchObject({
      field: 'state',
    });
  });
});

describe('JSON bodies', () => {
  const schema = z.object({ a: z.unknown() }).strict();

  it('finds the first key an object holds twice, as a field path', () => {
    expect(duplicateKey('{"a":1,"b":{"c":[1,{"d":1,"d":2}]}}')).toBe('b.c.1.d');
    expect(duplicateKey('{"a":1,"a":1}')).toBe('a');
    expect(duplicateKey('{"a":"\\"","b":{"a":1},"c":["a","a"]}')).toBeUndefined();
    expect(duplicateKey('{"x":{"a":1},"y":{"a":1}}')).toBeUndefined();
    expect(duplicateKey('{"a\\u0062":1,"ab":2}')).toBe('ab');
    expect(duplicateKey('[{"a":1},{"a":2}]')).toBeUndefined();
    expect(duplicateKey('"text"')).toBeUndefined();
  });

  it('names body, not the 64th level, for JSON nested too deep', () => {
    let value: unknown = 1;
    for (let level = 0; level < 70; level += 1) value = [value];
    expect(jsonProblem({ a: value })).toMatchObject({ field: 'body' });
  });

  it('refuses U+0000 and unpaired surrogates anywhere, naming where', () => {
    expect(jsonProblem({ a: ['ok', 'x\u0000'] })).toMatchObject({ field: 'a.1' });
    expect(jsonProblem({ a: { '\ud800': 1 } })).toMatchObject({ field: 'a' });
    expect(jsonProblem({ a: '\udc00' })).toMatchObject({ field: 'a' });
    expect(jsonProblem({ a: '😀 fine' })).toBeUndefined();
    const error = errorOf(() =>
      parseJsonBody(request({ type: 'application/json', body: '{"a":"\\u0000"}' }), schema),
    );
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'a' });
  });

  it('refuses __proto__, constructor and prototype keys anywhere, naming the key', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(jsonProblem(JSON.parse(`{"a":[{"${key}":1}]}`))).toMatchObject({
        field: `a.0.${key}`,
      });
    }
    expect(jsonProblem({ a: { proto: 1, constructors: 2 } })).toBeUndefined();
  });

  it('refuses nesting deeper than 64 levels without a stack overflow', () => {
    const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const error = errorOf(() =>
      parseJsonBody(request({ type: 'application/json', body: deep }), schema),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('nested');
  });

  it('takes application/merge-patch+json and refuses other media types with 415', () => {
    expect(
      parseJsonBody(request({ type: 'application/merge-patch+json', body: '{"a":1}' }), schema),
    ).toEqual({ a: 1 });
    expect(
      errorOf(() => parseJsonBody(request({ type: 'text/plain', body: '{"a":1}' }), schema)),
    ).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', field: 'Content-Type' });
  });
});
