import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { checkSecurityToken } from '../sts/sts-tokens.js';
import { mnsErrors } from './errors.js';

interface EmulatorCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** The clock emulated STS tokens (sts/sts-tokens.ts) expire by; default Date.now. */
  tokenNow?: () => number;
}

interface SignedRequest {
  method: string;
  /** The request target exactly as received: path plus raw query, which is what MNS signs. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const MNS_VERSION = '2015-06-06';
const MAX_SKEW_MS = 15 * 60 * 1000;

const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/**
 * The MNS string to sign, byte for byte what @alicloud/mns 1.2.0 builds (client.js `sign`):
 * VERB, Content-MD5, Content-Type and Date each followed by \n, then every x-mns-* header as
 * `name:value\n` sorted by name, then the resource (path and query, not re-encoded).
 */
const stringToSign = (request: SignedRequest): string => {
  const canonicalHeaders = Object.keys(request.headers)
    .filter((name) => name.startsWith('x-mns-') && request.headers[name] !== undefined)
    .sort()
    .map((name) => `${name}:${headerValue(request.headers, name) ?? ''}\n`)
    .join('');
  return [
    request.method,
    headerValue(request.headers, 'content-md5') ?? '',
    headerValue(request.headers, 'content-type') ?? '',
    headerValue(request.headers, 'date') ?? '',
    `${canonicalHeaders}${request.url}`,
  ].join('\n');
};

const signMns = (request: SignedRequest, secret: string): string =>
  createHmac('sha1', secret).update(stringToSign(request), 'utf8').digest('base64');

/** Hashing first makes the lengths equal, so timingSafeEqual never throws or leaks length. */
const constantTimeEqual = (left: string, right: string): boolean =>
  timingSafeEqual(
    createHash('sha256').update(left).digest(),
    createHash('sha256').update(right).digest(),
  );

const checkDate = (request: SignedRequest, wallClockMs: number): void => {
  const date = headerValue(request.headers, 'date') ?? headerValue(request.headers, 'x-mns-date');
  if (date === undefined || date === '') throw mnsErrors.missingDateHeader();
  const sentAt = Date.parse(date);
  if (Number.isNaN(sentAt)) throw mnsErrors.invalidDateHeader();
  if (Math.abs(wallClockMs - sentAt) > MAX_SKEW_MS) throw mnsErrors.timeExpired();
};

/**
 * Accepts the SDK's quirk (base64 of the *hex* MD5 string) and RFC 1864's base64 of the raw
 * digest. Real MNS is known to accept the former; accepting the latter too is our leniency.
 */
const checkContentMd5 = (request: SignedRequest): void => {
  const sent = headerValue(request.headers, 'content-md5');
  if (sent === undefined) return;
  const digest = createHash('md5').update(request.body).digest();
  const sdkStyle = Buffer.from(digest.toString('hex'), 'utf8').toString('base64');
  if (sent !== sdkStyle && sent !== digest.toString('base64')) throw mnsErrors.invalidDigest();
};

/**
 * Authenticates a request the way MNS does, throwing the MnsError MNS would answer with.
 * `wallClockMs` is real time, not the emulator's injectable clock: the SDK stamps requests with
 * the real Date, and tests that move the queue clock by hours must not trip TimeExpired.
 * The STS `security-token` header is not signed by the SDK; an emulated token
 * (sts/sts-tokens.ts) is refused once expired or when it belongs to another key, any other token
 * is not checked.
 */
const verifyRequest = (
  request: SignedRequest,
  credentials: EmulatorCredentials,
  wallClockMs: number,
): void => {
  if (headerValue(request.headers, 'x-mns-version') !== MNS_VERSION) {
    throw mnsErrors.invalidVersion();
  }
  checkDate(request, wallClockMs);
  const authorization = headerValue(request.headers, 'authorization');
  if (authorization === undefined) throw mnsErrors.accessDenied('Anonymous access is forbidden.');
  const match = /^MNS ([^:\s]+):(\S+)$/.exec(authorization);
  const [, accessKeyId, signature] = match ?? [];
  if (accessKeyId === undefined || signature === undefined) {
    throw mnsErrors.invalidAuthorizationHeader();
  }
  if (accessKeyId !== credentials.accessKeyId) throw mnsErrors.invalidAccessKeyId();
  if (!constantTimeEqual(signMns(request, credentials.accessKeySecret), signature)) {
    throw mnsErrors.signatureDoesNotMatch();
  }
  checkContentMd5(request);
  const token = headerValue(request.headers, 'security-token');
  if (token !== undefined) {
    const check = checkSecurityToken(token, {
      accessKeySecret: credentials.accessKeySecret,
      now: (credentials.tokenNow ?? Date.now)(),
    });
    if (check === 'expired') throw mnsErrors.securityTokenExpired();
    if (check === 'foreign') {
      throw mnsErrors.accessDenied('The security token does not belong to the access key.');
    }
  }
};

export type { EmulatorCredentials, SignedRequest };
export { MNS_VERSION, signMns, stringToSign, verifyRequest };
