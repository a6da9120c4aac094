import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { percentEncode } from '../ack/signature.js';
import { checkSecurityToken } from '../sts/sts-tokens.js';

/**
 * KMS Secrets Manager's GetSecretValue (API version 2016-01-20), as the real SDK
 * `@alicloud/kms20160120` calls it: an RPC-style `POST /?Action=GetSecretValue&…` with the
 * parameters and an HMAC-SHA1 signature (SignatureVersion 1.0) in the query string, answered
 * with JSON. The signature is checked as Alibaba Cloud's RPC signing describes it ("Request
 * signatures", V1: METHOD&%2F&percentEncode(sorted, percent-encoded query), keyed by secret+"&").
 * Only this action is emulated; anything else is refused.
 *
 * Field names of the answer are the SDK's (GetSecretValueResponse in the SDK's client.d.ts).
 * The error codes and statuses for an unknown secret (`Forbidden.ResourceNotFound`, 404) and a
 * bad signature (`SignatureDoesNotMatch`, 400) are UNVERIFIED (docs/emulator.md).
 */
interface KmsEmulatorOptions {
  host?: string;
  port?: number;
  accessKeyId: string;
  accessKeySecret: string;
  /** The clock emulated STS tokens expire by (default Date.now; emulator/sts/sts-tokens.ts). */
  tokenNow?: () => number;
  /** Secret name → its current text value (version stage ACSCurrent). */
  secrets: Readonly<Record<string, string>>;
}

interface KmsEmulator {
  /** `http://host:port`. */
  url: string;
  /** `host:port`, what the SDK's `endpoint` takes. */
  endpoint: string;
  /** Successful GetSecretValue calls per secret name. */
  reads(name: string): number;
  close(): Promise<void>;
}

interface KmsReply {
  status: number;
  body: Record<string, unknown>;
}

const failure = (status: number, code: string, message: string): KmsReply => ({
  status,
  body: { RequestId: randomUUID(), Code: code, Message: message },
});

const signatureOf = (query: URLSearchParams, method: string, secret: string): string => {
  const canonical = [...query.entries()]
    .filter(([key]) => key !== 'Signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join('&');
  const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
};

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

const startKmsEmulator = async (options: KmsEmulatorOptions): Promise<KmsEmulator> => {
  const reads = new Map<string, number>();

  const handle = (request: IncomingMessage): KmsReply => {
    const url = new URL(request.url ?? '/', 'http://kms.local');
    const query = url.searchParams;
    if (request.method !== 'POST' && request.method !== 'GET')
      return failure(400, 'UnsupportedHTTPMethod', 'This http method is not supported.');
    if (query.get('AccessKeyId') !== options.accessKeyId)
      return failure(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    const signature = query.get('Signature') ?? '';
    const expected = signatureOf(query, request.method, options.accessKeySecret);
    if (query.get('SignatureMethod') !== 'HMAC-SHA1' || !sameText(signature, expected))
      return failure(
        400,
        'SignatureDoesNotMatch',
        'Specified signature is not matched with our calculation.',
      );
    // The RPC client sends an STS token as the SecurityToken parameter (signed with the rest).
    const token = checkSecurityToken(query.get('SecurityToken') ?? '', {
      accessKeySecret: options.accessKeySecret,
      now: (options.tokenNow ?? Date.now)(),
    });
    // InvalidSecurityToken.Expired is Alibaba's common code (emulator/ack/errors.ts); status
    // UNVERIFIED for KMS.
    if (token === 'expired')
      return failure(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
    if (token === 'foreign')
      return failure(
        400,
        'InvalidSecurityToken.MismatchWithAccessKey',
        'Specified SecurityToken mismatch with the AccessKey.',
      );
    if (query.get('Version') !== '2016-01-20')
      return failure(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
    if (query.get('Action') !== 'GetSecretValue')
      return failure(
        400,
        'InvalidAction.NotFound',
        'Specified api is not found, please check your url and method.',
      );
    const name = query.get('SecretName') ?? '';
    if (name === '')
      return failure(400, 'MissingParameter', 'The parameter SecretName is missing.');
    const value = options.secrets[name];
    if (value === undefined)
      return failure(404, 'Forbidden.ResourceNotFound', 'The resource cannot be found.');
    reads.set(name, (reads.get(name) ?? 0) + 1);
    return {
      status: 200,
      body: {
        RequestId: randomUUID(),
        SecretName: name,
        VersionId: 'v1',
        CreateTime: '2026-01-01T00:00:00Z',
        SecretData: value,
        SecretDataType: 'text',
        VersionStages: { VersionStage: ['ACSCurrent'] },
      },
    };
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    // The body (none for GetSecretValue) is drained; the reply never depends on it.
    request.resume();
    request.on('end', () => {
      const reply = handle(request);
      response.writeHead(reply.status, { 'content-type': 'application/json;charset=utf-8' });
      response.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((done) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', done),
  );
  const address = server.address() as AddressInfo;
  const endpoint = `${address.address}:${address.port}`;
  return {
    url: `http://${endpoint}`,
    endpoint,
    reads: (name) => reads.get(name) ?? 0,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
};

export type { KmsEmulator, KmsEmulatorOptions };
export { startKmsEmulator };
