import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors.js';
import { HttpRequest, jsonResponse, parseFcHttpEvent } from '../../shared/http/fc-http-event.js';

/** An event shaped like what Function Compute 3.0 hands an HTTP-triggered handler. */
const fcEvent = (overrides: Record<string, unknown> = {}) => ({
  version: 'v1',
  rawPath: '/v1/clusters',
  headers: {
    Accept: 'application/json',
    Authorization: 'Bearer askp_0123456789abcdef_secret',
    'Content-Type': 'application/json',
    'Idempotency-Key': 'key-1',
    'X-Forwarded-For': '203.0.113.9, 10.0.0.1',
  },
  queryParameters: { state: 'running', limit: '10' },
  body: '{"name":"demo","region":"cn-hangzhou"}',
  isBase64Encoded: false,
  requestContext: {
    accountId: '1234567890',
    domainName: '1234567890.cn-hangzhou.fc.aliyuncs.com',
    domainPrefix: '1234567890',
    requestId: 'req-abc-123',
    time: '2026-01-01T00:00:00Z',
    timeEpoch: '1767225600000',
    http: {
      method: 'post',
      path: '/v1/clusters',
      protocol: 'HTTP/1.1',
      sourceIp: '203.0.113.9',
      userAgent: 'curl/8.0',
    },
  },
  ...overrides,
});

const asBuffer = (event: unknown): Buffer => Buffer.from(JSON.stringify(event), 'utf8');
const LIMIT = { maxBodyBytes: 1024 };

const errorOf = (event: unknown, options = LIMIT): DomainError => {
  try {
    parseFcHttpEvent(event, options);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw new Error(`parseFcHttpEvent threw a non-DomainError: ${String(error)}`);
  }
  throw new Error('parseFcHttpEvent accepted the event');
};

describe('parseFcHttpEvent', () => {
  it('reads the FC 3.0 event from a Buffer', () => {
    const request = parseFcHttpEvent(asBuffer(fcEvent()), LIMIT);
    expect(request).toBeInstanceOf(HttpRequest);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/clusters');
    expect(request.query).toEqual({ state: 'running', limit: '10' });
    expect(request.body).toBe('{"name":"demo","region":"cn-hangzhou"}');
    expect(request.requestId).toBe('req-abc-123');
    expect(request.sourceIp).toBe('203.0.113.9');
  });

  it('reads the same event given as a string or an already-parsed object', () => {
    const fromBuffer = parseFcHttpEvent(asBuffer(fcEvent()), LIMIT);
    expect(parseFcHttpEvent(JSON.stringify(fcEvent()), LIMIT)).toEqual(fromBuffer);
    expect(parseFcHttpEvent(fcEvent(), LIMIT)).toEqual(fromBuffer);
  });

  it('lower-cases header names once, and header() looks up in any case', () => {
    const request = parseFcHttpEvent(asBuffer(fcEvent()), LIMIT);
    expect(Object.keys(request.headers).sort()).toEqual([
      'accept',
      'authorization',
      'content-type',
      'idempotency-key',
      'x-forwarded-for',
    ]);
    expect(request.header('Content-Type')).toBe('application/json');
    expect(request.header('IDEMPOTENCY-KEY')).toBe('key-1');
    expect(request.header('x-forwarded-for')).toBe('203.0.113.9, 10.0.0.1');
    expect(request.header('x-missing')).toBeUndefined();
  });

  it('decodes a base64 body', () => {
    const body = JSON.stringify({ name: '集群', emoji: '🚀' });
    const request = parseFcHttpEvent(
      asBuffer(fcEvent({ body: Buffer.from(body).toString('base64'), isBase64Encoded: true })),
      LIMIT,
    );
    expect(request.body).toBe(body);
  });

  it('keeps a body that only looks like base64 when isBase64Encoded is false', () => {
    const request = parseFcHttpEvent(asBuffer(fcEvent({ body: 'aGVsbG8=' })), LIMIT);
    expect(request.body).toBe('aGVsbG8=');
  });

  it('treats a missing body, headers and query as empty', () => {
    const event: Record<string, unknown> = fcEvent();
    delete event.body;
    delete event.headers;
    delete event.queryParameters;
    const request = parseFcHttpEvent(asBuffer(event), LIMIT);
    expect(request.body).toBe('');
    expect(request.headers).toEqual({});
    expect(request.query).toEqual({});
  });

  it('accepts a body of exactly maxBodyBytes and refuses one byte more', () => {
    const exact = 'x'.repeat(1024);
    expect(parseFcHttpEvent(asBuffer(fcEvent({ body: exact })), LIMIT).body).toBe(exact);
    const error = errorOf(asBuffer(fcEvent({ body: `${exact}x` })));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toContain('1024');
  });

  it('counts the body size in bytes, not characters', () => {
    const chinese = '集'.repeat(400); // 1200 bytes in UTF-8
    expect(errorOf(asBuffer(fcEvent({ body: chinese }))).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('measures a base64 body after decoding', () => {
    const decoded = Buffer.alloc(1000, 1);
    const encoded = decoded.toString('base64'); // 1336 characters, 1000 bytes
    expect(encoded.length).toBeGreaterThan(1024);
    expect(() =>
      parseFcHttpEvent(asBuffer(fcEvent({ body: encoded, isBase64Encoded: true })), LIMIT),
    ).not.toThrow();
    const tooBig = Buffer.alloc(1025, 1).toString('base64');
    expect(errorOf(asBuffer(fcEvent({ body: tooBig, isBase64Encoded: true }))).code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('falls back to the x-fc-request-id header when FC leaves requestId empty', () => {
    const event = fcEvent({
      headers: { 'X-Fc-Request-Id': 'fc-req-9' },
      requestContext: { requestId: '', http: { method: 'GET', path: '/healthz' } },
    });
    expect(parseFcHttpEvent(asBuffer(event), LIMIT).requestId).toBe('fc-req-9');
  });

  it('makes up a request id when there is none at all', () => {
    const event = fcEvent({
      headers: {},
      requestContext: { requestId: '', http: { method: 'GET', path: '/healthz' } },
    });
    const first = parseFcHttpEvent(asBuffer(event), LIMIT).requestId;
    const second = parseFcHttpEvent(asBuffer(event), LIMIT).requestId;
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(first).not.toBe(second);
  });

  it('rejects an event that is not JSON with a DomainError', () => {
    for (const event of [Buffer.from('not json'), 'not json', Buffer.alloc(0)]) {
      const error = errorOf(event);
      expect(error.code).toBe('INTERNAL');
      expect(error.message).toContain('not JSON');
    }
  });

  it('rejects JSON that is not an HTTP trigger event with a DomainError', () => {
    for (const event of [
      asBuffer({ hello: 'world' }),
      asBuffer([1, 2, 3]),
      asBuffer(null),
      asBuffer(fcEvent({ requestContext: { http: { path: '/x' } } })),
      asBuffer(fcEvent({ headers: { 'x-n': 1 } })),
      asBuffer(fcEvent({ body: 42 })),
    ]) {
      expect(errorOf(event).code).toBe('INTERNAL');
    }
  });
});

describe('jsonResponse', () => {
  it('builds an FC HTTP response with a JSON body and content type', () => {
    expect(jsonResponse(202, { id: 'prv_1' }, { location: '/v1/clusters/prv_1' })).toEqual({
      statusCode: 202,
      headers: { 'content-type': 'application/json', location: '/v1/clusters/prv_1' },
      body: '{"id":"prv_1"}',
      isBase64Encoded: false,
    });
  });

  it('lets the caller override the content type', () => {
    expect(
      jsonResponse(400, {}, { 'content-type': 'application/problem+json' }).headers['content-type'],
    ).toBe('application/problem+json');
  });
});
