import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { stringify } from 'node:querystring';
import { OpenApiUtil } from '@alicloud/openapi-core';
import { describe, expect, it } from 'vitest';
import { createSignatureVerifier } from '../../emulator/ack/signature.js';

/**
 * The emulator's ACS3-HMAC-SHA256 check against requests signed by openapi-core's own signer
 * (OpenApiUtil.getAuthorization) and put on the wire the way its HTTP layer does
 * (querystring.stringify), so canonicalisation quirks are compared with the SDK, not with a copy.
 */

const credentials = { accessKeyId: 'LTAI-sig-test', accessKeySecret: 'sig-secret-0123456789' };
type SignerRequest = Parameters<typeof OpenApiUtil.getAuthorization>[0];

let nonceCounter = 0;

const sdkSigned = (input: {
  method: string;
  pathname: string;
  query?: Record<string, string>;
  body?: string;
  secret?: string;
  accessKeyId?: string;
}) => {
  const body = Buffer.from(input.body ?? '', 'utf8');
  const payloadHash = createHash('sha256').update(body).digest('hex');
  nonceCounter += 1;
  const headers: Record<string, string> = {
    host: '127.0.0.1:9101',
    'x-acs-version': '2015-12-15',
    'x-acs-action': 'Test',
    'x-acs-date': '2025-06-01T00:00:00Z',
    'x-acs-signature-nonce': `nonce-${nonceCounter}`,
    'x-acs-content-sha256': payloadHash,
    accept: 'application/json',
    ...(input.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
  };
  const query = input.query ?? {};
  const signerRequest = { method: input.method, pathname: input.pathname, query, headers };
  headers.Authorization = OpenApiUtil.getAuthorization(
    signerRequest as unknown as SignerRequest,
    'ACS3-HMAC-SHA256',
    payloadHash,
    input.accessKeyId ?? credentials.accessKeyId,
    input.secret ?? credentials.accessKeySecret,
  );
  const queryString = Object.keys(query).length === 0 ? '' : `?${stringify(query)}`;
  // Node lower-cases incoming header names.
  const incoming: IncomingHttpHeaders = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return {
    method: input.method,
    rawUrl: `${input.pathname}${queryString}`,
    headers: incoming,
    body,
  };
};

const rejection = (verify: () => void): { code: string; status: number } | undefined => {
  try {
    verify();
    return undefined;
  } catch (error) {
    const { code, status } = error as { code: string; status: number };
    return { code, status };
  }
};

describe('emulator ACS3-HMAC-SHA256 verification', () => {
  it('accepts SDK-signed requests whose query values need percent-encoding', () => {
    const { verify } = createSignatureVerifier(credentials);
    const request = sdkSigned({
      method: 'GET',
      pathname: '/api/v1/clusters',
      query: {
        name: "a b!*()'~+=&/测试",
        region_id: 'cn-hangzhou',
        page_size: '100',
        empty: '',
        Region: 'upper-case key sorts first',
      },
    });
    expect(rejection(() => verify(request))).toBeUndefined();
  });

  it('accepts an SDK-signed JSON body and a percent-encoded path segment', () => {
    const { verify } = createSignatureVerifier(credentials);
    const request = sdkSigned({
      method: 'POST',
      pathname: `/clusters/${encodeURIComponent('c 1*')}`,
      body: JSON.stringify({ name: '集群-1', tags: [{ key: 'k', value: 'v' }] }),
    });
    expect(rejection(() => verify(request))).toBeUndefined();
  });

  it('refuses a wrong secret with SignatureDoesNotMatch (400)', () => {
    const { verify } = createSignatureVerifier(credentials);
    const request = sdkSigned({
      method: 'GET',
      pathname: '/clusters/c1',
      secret: 'another-secret',
    });
    expect(rejection(() => verify(request))).toEqual({
      code: 'SignatureDoesNotMatch',
      status: 400,
    });
  });

  it('refuses an unknown access key id with InvalidAccessKeyId.NotFound (404)', () => {
    const { verify } = createSignatureVerifier(credentials);
    const request = sdkSigned({
      method: 'GET',
      pathname: '/clusters/c1',
      accessKeyId: 'LTAI-other',
    });
    expect(rejection(() => verify(request))).toEqual({
      code: 'InvalidAccessKeyId.NotFound',
      status: 404,
    });
  });

  it('refuses a query value changed after signing', () => {
    const { verify } = createSignatureVerifier(credentials);
    const request = sdkSigned({
      method: 'GET',
      pathname: '/api/v1/clusters',
      query: { name: 'a' },
    });
    const tampered = { ...request, rawUrl: '/api/v1/clusters?name=b' };
    expect(rejection(() => verify(tampered))?.code).toBe('SignatureDoesNotMatch');
  });

  it('refuses a body that does not match x-acs-content-sha256', () => {
    const { verify } = createSignatureVerifier(credentials);
    const request = sdkSigned({ method: 'POST', pathname: '/clusters', body: '{"name":"a"}' });
    const tampered = { ...request, body: Buffer.from('{"name":"b"}') };
    expect(rejection(() => verify(tampered))?.code).toBe('SignatureDoesNotMatch');
  });

  it('refuses an x-acs-* header that was not signed', () => {
    const { verify } = createSignatureVerifier(credentials);
    const request = sdkSigned({ method: 'GET', pathname: '/clusters/c1' });
    const extra = { ...request, headers: { ...request.headers, 'x-acs-extra': 'sneaky' } };
    expect(rejection(() => verify(extra))?.code).toBe('IncompleteSignature');
  });

  it('refuses a request without an Authorization header', () => {
    const { verify } = createSignatureVerifier(credentials);
    const { authorization: _dropped, ...headers } = sdkSigned({
      method: 'GET',
      pathname: '/clusters/c1',
    }).headers;
    const request = { method: 'GET', rawUrl: '/clusters/c1', headers, body: Buffer.alloc(0) };
    expect(rejection(() => verify(request))).toEqual({ code: 'IncompleteSignature', status: 400 });
  });

  it('refuses a replayed request (same signature nonce)', () => {
    const { verify } = createSignatureVerifier(credentials);
    const request = sdkSigned({ method: 'GET', pathname: '/clusters/c1' });
    expect(rejection(() => verify(request))).toBeUndefined();
    expect(rejection(() => verify(request))?.code).toBe('SignatureNonceUsed');
  });
});
