import { lazy } from '../lazy.js';
import type { ServiceKeyStore } from '../store/service-key.port.js';
import { loadKeyFile } from './key-file.js';
import type { KmsAccess } from './kms-client.js';
import { createSecretBox, type SecretBox } from './secret-box.js';

/**
 * Where the key that seals tenants' webhook secrets comes from, as configured: a key file
 * (`ASKP_SECRETS_KEY_FILE`, local runs), a KMS envelope (`ASKP_SECRETS_KMS_KEY_ID`, the cloud;
 * kms-data-key.ts), or nowhere (stored in clear, docs/security.md). The functions and
 * `askp admin bootstrap` both take the box from here, so a secret one of them seals the other
 * can open.
 */
interface SecretsConfig {
  keyFile: string | undefined;
  kmsKeyId: string | undefined;
}

type SecretBoxSource = SecretBox | (() => Promise<SecretBox>);

const secretBoxSource = async (
  secrets: SecretsConfig,
  deps: { store: ServiceKeyStore; access: () => KmsAccess; now: () => Date },
): Promise<SecretBoxSource | undefined> => {
  if (secrets.keyFile) return createSecretBox(await loadKeyFile(secrets.keyFile));
  const { kmsKeyId } = secrets;
  if (!kmsKeyId) return undefined;
  // Opened on the first tenant secret an instance touches: the worker and the janitor never
  // read one, so they never call KMS for it. The KMS SDK is loaded only then.
  return lazy(async () => {
    const { loadKmsDataKey } = await import('./kms-data-key.js');
    return createSecretBox(
      await loadKmsDataKey({
        keyId: kmsKeyId,
        // The credentials of the invocation that first needs the key: STS credentials expire.
        access: deps.access(),
        store: deps.store,
        now: deps.now(),
      }),
    );
  });
};

export type { SecretBoxSource, SecretsConfig };
export { secretBoxSource };
