import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { percentEncode } from '../ack/signature.js';
import { checkSecurityToken } from '../sts/sts-tokens.js';

/**
 * KMS (API version 2016-01-20) as the real SDK `@alicloud/kms20160120` calls it: an RPC-style
 * `POST /?Action=…&…` with the parameters and an HMAC-SHA1 signature (SignatureVersion 1.0) in
 * the query string, answered with JSON. The signature is checked as Alibaba Cloud's RPC signing
 * describes it ("Request signatures", V1: METHOD&%2F&percentEncode(sorted, percent-encoded
 * query), keyed by secret+"&"). Three actions, the service's: GetSecretValue (Secrets Manager,
 * for DATABASE_URL), GenerateDataKey and Decrypt (the envelope of the webhook secrets' key);
 * anything else is refused.
 *
 * Field names are the SDK's (GetSecretValueResponse, GenerateDataKeyRequest/Response,
 * DecryptRequest/Response in the SDK's client.d.ts). The error codes and statuses for an unknown
 * secret (`Forbidden.ResourceNotFound`, 404), an unknown key (`Forbidden.KeyNotFound`, 404), a
 * ciphertext that is not ours (`Rejected.InvalidCiphertext`, 400) and a bad signature
 * (`SignatureDoesNotMatch`, 400) are UNVERIFIED (docs/emulator.md).
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
  /**
   * Keys (ids, or `alias/<name>`) GenerateDataKey may use. Each one's key material is derived
   * from its id, so a restarted emulator still opens what it sealed before.
   */
  keys?: readonly string[];
}

interface KmsEmulator {
  /** `http://host:port`. */
  url: string;
  /** `host:port`, what the SDK's `endpoint` takes. */
  endpoint: string;
  /** Successful GetSecretValue calls per secret name. */
  reads(name: string): number;
  /** Successful calls of an action (`GenerateDataKey`, `Decrypt`, `GetSecretValue`). */
  calls(action: string): number;
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

/** The emulator's key material for a key id: fixed per id (HMAC of the id), never random. */
const materialOf = (keyId: string): Buffer =>
  createHmac('sha256', 'askp-kms-emulator').update(keyId).digest();

const BLOB_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** An opaque CiphertextBlob: version | key id length | key id | iv | tag | sealed data key. */
const sealDataKey = (keyId: string, dataKey: Buffer): string => {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', materialOf(keyId), iv);
  const id = Buffer.from(keyId, 'utf8');
  cipher.setAAD(id);
  const sealed = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([
    Buffer.from([BLOB_VERSION, id.length]),
    id,
    iv,
    cipher.getAuthTag(),
    sealed,
  ]).toString('base64');
};

const openDataKey = (blob: string): { keyId: string; dataKey: Buffer } | null => {
  const raw = Buffer.from(blob, 'base64');
  const idLength = raw[1] ?? 0;
  const ivAt = 2 + idLength;
  if (raw[0] !== BLOB_VERSION || raw.length <= ivAt + IV_BYTES + TAG_BYTES) return null;
  const keyId = raw.subarray(2, ivAt).toString('utf8');
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      materialOf(keyId),
      raw.subarray(ivAt, ivAt + IV_BYTES),
    );
    decipher.setAAD(raw.subarray(2, ivAt));
    decipher.setAuthTag(raw.subarray(ivAt + IV_BYTES, ivAt + IV_BYTES + TAG_BYTES));
    const dataKey = Buffer.concat([
      decipher.update(raw.subarray(ivAt + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
    return { keyId, dataKey };
  } catch {
    return null;
  }
};

/** KeySpec AES_256 → 32 bytes, AES_128 → 16; NumberOfBytes 1–1024 wins when given. */
const dataKeyBytes = (query: URLSearchParams): number | KmsReply => {
  const count = query.get('NumberOfBytes');
  if (count !== null) {
    const bytes = Number(count);
    return /^\d{1,4}$/.test(count) && bytes >= 1 && bytes <= 1024
      ? bytes
      : failure(400, 'InvalidParameter', 'The parameter NumberOfBytes is invalid.');
  }
  const spec = query.get('KeySpec') ?? 'AES_256';
  if (spec === 'AES_256') return 32;
  if (spec === 'AES_128') return 16;
  return failure(400, 'InvalidParameter', 'The parameter KeySpec is invalid.');
};

const startKmsEmulator = async (options: KmsEmulatorOptions): Promise<KmsEmulator> => {
  const reads = new Map<string, number>();
  const calls = new Map<string, number>();
  const keys = new Set(options.keys ?? []);
  const counted = (action: string, reply: KmsReply): KmsReply => {
    if (reply.status === 200) calls.set(action, (calls.get(action) ?? 0) + 1);
    return reply;
  };

  const generateDataKey = (query: URLSearchParams): KmsReply => {
    const keyId = query.get('KeyId') ?? '';
    if (keyId === '') return failure(400, 'MissingParameter', 'The parameter KeyId is missing.');
    if (!keys.has(keyId))
      return failure(404, 'Forbidden.KeyNotFound', 'The specified Key is not found.');
    const bytes = dataKeyBytes(query);
    if (typeof bytes !== 'number') return bytes;
    const dataKey = randomBytes(bytes);
    return {
      status: 200,
      body: {
        RequestId: randomUUID(),
        KeyId: keyId,
        KeyVersionId: `${keyId}-v1`,
        Plaintext: dataKey.toString('base64'),
        CiphertextBlob: sealDataKey(keyId, dataKey),
      },
    };
  };

  const decrypt = (query: URLSearchParams): KmsReply => {
    const blob = query.get('CiphertextBlob') ?? '';
    if (blob === '')
      return failure(400, 'MissingParameter', 'The parameter CiphertextBlob is missing.');
    const opened = openDataKey(blob);
    if (!opened)
      return failure(400, 'Rejected.InvalidCiphertext', 'The CiphertextBlob is invalid.');
    if (!keys.has(opened.keyId))
      return failure(404, 'Forbidden.KeyNotFound', 'The specified Key is not found.');
    return {
      status: 200,
      body: {
        RequestId: randomUUID(),
        KeyId: opened.keyId,
        KeyVersionId: `${opened.keyId}-v1`,
        Plaintext: opened.dataKey.toString('base64'),
      },
    };
  };

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
    const action = query.get('Action');
    if (action === 'GenerateDataKey') return counted(action, generateDataKey(query));
    if (action === 'Decrypt') return counted(action, decrypt(query));
    if (action !== 'GetSecretValue')
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
    calls.set(action, (calls.get(action) ?? 0) + 1);
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
    calls: (action) => calls.get(action) ?? 0,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
};

export type { KmsEmulator, KmsEmulatorOptions };
export { startKmsEmulator };
