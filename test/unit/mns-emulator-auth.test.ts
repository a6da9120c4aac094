import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { type SignedRequest, signMns, verifyRequest } from '../../emulator/mns/auth.js';
import { MnsError } from '../../emulator/mns/errors.js';

const CREDENTIALS = { accessKeyId: 'LTAI-unit', accessKeySecret: 'unit-secret' };
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const BODY = Buffer.from('<Message><MessageBody>aGk=</MessageBody></Message>');

/** The SDK's Content-MD5: base64 of the hex digest string, not of the raw digest. */
const sdkMd5 = (body: Buffer) =>
  Buffer.from(createHash('md5').update(body).digest('hex')).toString('base64');

/** A request shaped like @alicloud/mns 1.2.0's, signed with `secret`. */
const signed = (overrides: Partial<SignedRequest> = {}, secret = CREDENTIALS.accessKeySecret) => {
  const date = new Date(NOW).toUTCString();
  const headers: IncomingHttpHeaders = {
    date,
    'x-mns-date': date,
    'x-mns-version': '2015-06-06',
    'content-type': 'text/xml',
    'content-md5': sdkMd5(BODY),
    ...overrides.headers,
  };
  const request: SignedRequest = {
    method: 'POST',
    url: '/queues/jobs/messages?x=1',
    body: BODY,
    ...overrides,
    headers,
  };
  const signature = signMns(request, secret);
  request.headers.authorization ??= `MNS ${CREDENTIALS.accessKeyId}:${signature}`;
  return request;
};

const failure = (request: SignedRequest, now = NOW): MnsError => {
  try {
    verifyRequest(request, CREDENTIALS, now);
  } catch (error) {
    if (error instanceof MnsError) return error;
    throw error;
  }
  throw new Error('the request was accepted');
};

describe('MNS emulator request authentication', () => {
  it('accepts a request signed the way the SDK signs it', () => {
    expect(() => verifyRequest(signed(), CREDENTIALS, NOW)).not.toThrow();
  });

  it('accepts a GET without Content-MD5 or Content-Type, as the SDK sends reads', () => {
    const request = signed({
      method: 'GET',
      body: Buffer.alloc(0),
      headers: { 'content-md5': undefined, 'content-type': undefined },
    });
    expect(() => verifyRequest(request, CREDENTIALS, NOW)).not.toThrow();
  });

  it('accepts an RFC 1864 Content-MD5 too (base64 of the raw digest)', () => {
    const rfc = createHash('md5').update(BODY).digest('base64');
    expect(() =>
      verifyRequest(signed({ headers: { 'content-md5': rfc } }), CREDENTIALS, NOW),
    ).not.toThrow();
  });

  it.each([
    ['a wrong secret', signed({}, 'not-the-secret'), 'SignatureDoesNotMatch', 403],
    [
      'an unknown key id',
      signed({ headers: { authorization: 'MNS LTAI-other:abc=' } }),
      'InvalidAccessKeyId',
      403,
    ],
    [
      'no Authorization header',
      { ...signed(), headers: { ...signed().headers, authorization: undefined } },
      'AccessDenied',
      403,
    ],
    [
      'a malformed Authorization header',
      signed({ headers: { authorization: 'Bearer abc' } }),
      'InvalidAuthorizationHeader',
      400,
    ],
    [
      'a missing x-mns-version',
      signed({ headers: { 'x-mns-version': undefined } }),
      'InvalidArgument',
      400,
    ],
    [
      'another x-mns-version',
      signed({ headers: { 'x-mns-version': '2014-07-08' } }),
      'InvalidArgument',
      400,
    ],
    [
      'no Date header',
      signed({ headers: { date: undefined, 'x-mns-date': undefined } }),
      'MissingDateHeader',
      400,
    ],
    [
      'an unreadable Date header',
      signed({ headers: { date: 'yesterday', 'x-mns-date': 'yesterday' } }),
      'InvalidDateHeader',
      400,
    ],
  ])('refuses %s', (_name, request, code, status) => {
    expect(failure(request)).toMatchObject({ code, status });
  });

  it('refuses a request dated more than 15 minutes from real time with TimeExpired', () => {
    expect(failure(signed(), NOW + 16 * 60_000)).toMatchObject({
      code: 'TimeExpired',
      status: 408,
    });
    expect(() => verifyRequest(signed(), CREDENTIALS, NOW + 14 * 60_000)).not.toThrow();
  });

  it('signs the resource with its query and every x-mns-* header', () => {
    const request = signed();
    expect(failure({ ...request, url: '/queues/jobs/messages?x=2' }).code).toBe(
      'SignatureDoesNotMatch',
    );
    const extraHeader = { ...request.headers, 'x-mns-extra': 'added after signing' };
    expect(failure({ ...request, headers: extraHeader }).code).toBe('SignatureDoesNotMatch');
  });

  it('refuses a body that does not match its signed Content-MD5 with InvalidDegist (sic)', () => {
    const request = signed();
    expect(failure({ ...request, body: Buffer.from('<Message/>') })).toMatchObject({
      code: 'InvalidDegist',
      status: 400,
    });
  });
});
