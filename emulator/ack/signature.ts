import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { checkSecurityToken } from '../sts/sts-tokens.js';
import { ackErrors } from './errors.js';

/**
 * ACS3-HMAC-SHA256 verification, mirroring how @alicloud/openapi-core 1.0.8 signs
 * (dist/utils.js `getAuthorization`):
 *
 *   canonicalRequest = METHOD \n canonicalURI \n canonicalQuery \n canonicalHeaders \n
 *                      signedHeaders \n hex(sha256(body))   (the x-acs-content-sha256 value)
 *   stringToSign     = "ACS3-HMAC-SHA256\n" + hex(sha256(canonicalRequest))
 *   signature        = hex(HMAC-SHA256(secret, stringToSign))
 *
 * Quirks copied from the SDK: query keys go in raw, values are percent-encoded with
 * encodeURIComponent plus `!'()*`; keys sort by UTF-16 code units; the URI is the path as sent
 * with `+`→%20, `*`→%2A, %7E→~; signed headers are host, content-type and every x-acs-* header,
 * lowercase, values trimmed, each followed by a newline (so the canonical header block ends with
 * "\n" and is followed by the section separator).
 */

const ALGORITHM = 'ACS3-HMAC-SHA256';
const AUTHORIZATION_PATTERN =
  /^ACS3-HMAC-SHA256 Credential=([^,\s]+),SignedHeaders=([^,\s]*),Signature=([0-9a-fA-F]+)$/;
const NONCE_MEMORY = 10_000;

interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  /**
   * When set, the pair is an STS credential: every request must carry this token in the signed
   * `x-acs-security-token` header (what openapi-core sends for Config.securityToken).
   */
  securityToken?: string;
  /** The clock emulated STS tokens (sts/sts-tokens.ts) expire by; default Date.now. */
  tokenNow?: () => number;
}

interface SignedRequest {
  method: string;
  /** Path and query exactly as received (`req.url`). */
  rawUrl: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const percentEncode = (value: string): string =>
  encodeURIComponent(value)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');

const safeDecode = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** The query as the SDK had it before sending: decoded keys and values, the last duplicate wins. */
const parseQuery = (rawQuery: string): Record<string, string> => {
  const query: Record<string, string> = {};
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const key = safeDecode(at < 0 ? pair : pair.slice(0, at));
    query[key] = at < 0 ? '' : safeDecode(pair.slice(at + 1));
  }
  return query;
};

const splitUrl = (rawUrl: string): { path: string; rawQuery: string } => {
  const at = rawUrl.indexOf('?');
  return at < 0
    ? { path: rawUrl, rawQuery: '' }
    : { path: rawUrl.slice(0, at), rawQuery: rawUrl.slice(at + 1) };
};

const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

const canonicalRequestOf = (request: SignedRequest, signedHeaders: string[]): string => {
  const { path, rawQuery } = splitUrl(request.rawUrl);
  const canonicalUri = path.replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
  const query = parseQuery(rawQuery);
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((key) => `${key}=${percentEncode(query[key] ?? '')}`)
    .join('&');
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${(headerValue(request.headers, name) ?? '').trim()}\n`)
    .join('');
  const payloadHash = headerValue(request.headers, 'x-acs-content-sha256') ?? '';
  return [
    request.method,
    canonicalUri,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
};

const sha256Hex = (data: string | Buffer): string =>
  createHash('sha256').update(data).digest('hex');

const sign = (secret: string, canonicalRequest: string): string =>
  createHmac('sha256', secret)
    .update(`${ALGORITHM}\n${sha256Hex(canonicalRequest)}`)
    .digest('hex');

/** Constant-time string comparison; unequal lengths still take one comparison's time. */
const constantTimeEquals = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
};

const { incompleteSignature, signatureMismatch } = ackErrors;

/** Verifies one request; remembers nonces so a replayed request is refused. */
const createSignatureVerifier = (credentials: Credentials) => {
  const seenNonces = new Set<string>();

  const verify = (request: SignedRequest): void => {
    const authorization = headerValue(request.headers, 'authorization');
    if (authorization === undefined) throw incompleteSignature('Authorization header is missing.');
    const match = AUTHORIZATION_PATTERN.exec(authorization.trim());
    if (match === null) {
      throw incompleteSignature(`Authorization header is not a valid ${ALGORITHM} signature.`);
    }
    const [, accessKeyId = '', signedHeaderList = '', signature = ''] = match;
    if (!constantTimeEquals(accessKeyId, credentials.accessKeyId)) {
      throw ackErrors.accessKeyNotFound();
    }
    const signedHeaders = signedHeaderList.split(';').filter((name) => name !== '');
    const required = Object.keys(request.headers).filter(
      (name) => name.startsWith('x-acs-') || name === 'host',
    );
    const unsigned = required.filter((name) => !signedHeaders.includes(name));
    if (unsigned.length > 0) {
      throw incompleteSignature(`Headers must be signed: ${unsigned.join(', ')}.`);
    }
    if (headerValue(request.headers, 'x-acs-content-sha256') !== sha256Hex(request.body)) {
      throw signatureMismatch('x-acs-content-sha256 does not match the request body.');
    }
    const expected = sign(
      credentials.accessKeySecret,
      canonicalRequestOf(request, [...signedHeaders].sort()),
    );
    if (!constantTimeEquals(signature.toLowerCase(), expected)) {
      throw signatureMismatch('Specified signature is not matched with our calculation.');
    }
    const token = headerValue(request.headers, 'x-acs-security-token') ?? '';
    const tokenCheck = checkSecurityToken(token, {
      accessKeySecret: credentials.accessKeySecret,
      now: (credentials.tokenNow ?? Date.now)(),
    });
    if (tokenCheck === 'expired') throw ackErrors.securityTokenExpired();
    if (tokenCheck === 'foreign') throw ackErrors.securityTokenMismatch();
    if (
      tokenCheck === 'not-emulated' &&
      credentials.securityToken !== undefined &&
      !constantTimeEquals(token, credentials.securityToken)
    ) {
      throw ackErrors.securityTokenMismatch();
    }
    const nonce = headerValue(request.headers, 'x-acs-signature-nonce');
    if (nonce === undefined || nonce === '') {
      throw incompleteSignature('x-acs-signature-nonce header is missing.');
    }
    if (seenNonces.has(nonce)) {
      throw ackErrors.signatureNonceUsed();
    }
    seenNonces.add(nonce);
    if (seenNonces.size > NONCE_MEMORY) {
      const oldest = seenNonces.values().next();
      if (oldest.done !== true) seenNonces.delete(oldest.value);
    }
  };

  return { verify };
};

export type { Credentials, SignedRequest };
export { canonicalRequestOf, createSignatureVerifier, parseQuery, percentEncode, splitUrl };
