import * as credentials from '@alicloud/credentials';
import type { CredentialsSource } from './credentials.js';

/**
 * An `@alicloud/credentials` Credential over our CredentialsSource, for the `credential` field of
 * an @alicloud/openapi-core Config (cs20151215, vpc20160428): openapi-core 1.0.8 calls
 * `getCredential()` for every request it signs (client.js `doRequest`), so a client built once
 * per instance signs each request with the credentials of the invocation making it. A Config with
 * `accessKeyId`/`accessKeySecret` instead would freeze those of the client's construction.
 */
const PROVIDER_NAME = 'askp_invocation';

// CommonJS with `exports.default = Credential`: see shared/ack/cs-sdk.ts for the interop.
type CredentialClass = typeof credentials.default.default;
type Credential = InstanceType<CredentialClass>;
const resolveCredentialClass = (): CredentialClass => {
  const candidate: unknown = credentials.default;
  return typeof candidate === 'function'
    ? (candidate as CredentialClass)
    : credentials.default.default;
};

const openApiCredential = (source: CredentialsSource): Credential =>
  new (resolveCredentialClass())(null, {
    getProviderName: () => PROVIDER_NAME,
    getCredentials: async () => {
      const { accessKeyId, accessKeySecret, securityToken } = source.current();
      // openapi-core sends the provider name as x-acs-credentials-provider, as its own providers do.
      return {
        accessKeyId,
        accessKeySecret,
        securityToken: securityToken ?? '',
        providerName: PROVIDER_NAME,
      };
    },
  });

export { openApiCredential };
