import { $OpenApiUtil } from '@alicloud/openapi-core';
import { createRedactor } from '../ack/ack-error-mapping.js';
import {
  asCredentialsSource,
  type CloudCredentials,
  type CredentialsSource,
} from './credentials.js';
import { openApiCredential } from './openapi-credential.js';

/** Where and how the clients of one Alibaba Cloud product connect. */
interface OpenApiClientOptions {
  /** Fixed credentials, or a source each invocation updates (cloud/credentials.ts). */
  credentials: CloudCredentials | CredentialsSource;
  /** `host[:port]` (an emulator); unset: the region's endpoint, as the SDK resolves it. */
  endpoint?: string | undefined;
  /** Default https. */
  protocol?: 'http' | 'https';
}

interface OpenApiClients<C> {
  /** The client of a region and timeout (connect and read), made on first use and kept. */
  clientFor(regionId: string, timeoutMs: number): C;
  /** Takes the credentials of now (key id, secret, STS token) out of a message. */
  redact(text: string): string;
}

/**
 * The clients of an @alicloud/openapi-core product SDK (cs20151215, vpc20160428), built the one
 * way the service builds them: one per region and timeout, made on first use (the endpoints are
 * regional; with `endpoint` set every region shares it), signing through a credential provider
 * that the SDK asks on every request (cloud/openapi-credential.ts), so a kept client signs with
 * the invocation's credentials, not those of its construction (FC's STS credentials expire).
 */
const createOpenApiClients = <C>(
  ClientClass: new (config: $OpenApiUtil.Config) => C,
  options: OpenApiClientOptions,
): OpenApiClients<C> => {
  const credentials = asCredentialsSource(options.credentials);
  const credential = openApiCredential(credentials);
  const clients = new Map<string, C>();
  return {
    clientFor: (regionId, timeoutMs) => {
      const key = `${regionId}\n${timeoutMs}`;
      const cached = clients.get(key);
      if (cached !== undefined) return cached;
      const client = new ClientClass(
        new $OpenApiUtil.Config({
          credential,
          regionId,
          ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
          protocol: options.protocol ?? 'https',
          connectTimeout: timeoutMs,
          readTimeout: timeoutMs,
        }),
      );
      clients.set(key, client);
      return client;
    },
    // Built per call: the credentials may have changed since the last one.
    redact: (text) => {
      const { accessKeyId, accessKeySecret, securityToken } = credentials.current();
      return createRedactor([accessKeySecret, securityToken, accessKeyId])(text);
    },
  };
};

export type { OpenApiClientOptions, OpenApiClients };
export { createOpenApiClients };
