import { DomainError } from '../domain/errors.js';
import type { ServiceKeyStore } from '../store/service-key.port.js';
import {
  createKmsClient,
  type KmsAccess,
  kms,
  kmsCodeOf,
  withStaleConnectionRetry,
} from './kms-client.js';

/**
 * The cloud key provider: a KMS envelope. The 32-byte key that seals tenants' webhook secrets is a
 * KMS data key (GenerateDataKey, KeySpec AES_256, under the operator's key `ASKP_SECRETS_KMS_KEY_ID`);
 * only its encrypted form (CiphertextBlob) is stored, in `service_keys` under `secrets-data-key`,
 * and each function instance opens it with KMS Decrypt once, on its first use of a tenant secret.
 * Someone with the database alone holds sealed secrets and an encrypted key: reading them needs
 * kms:Decrypt on the operator's key as well.
 *
 * Made on first use: a stored blob wins (insert-if-absent), so two instances racing to make it
 * agree on one key, the loser opening the winner's blob instead of using its own.
 */
const DATA_KEY_NAME = 'secrets-data-key';

const configError = (message: string, cause?: unknown): DomainError =>
  new DomainError('CONFIG_INVALID', message, { field: 'ASKP_SECRETS_KMS_KEY_ID', cause });

const toKey = (plaintext: string | undefined, what: string): Buffer => {
  const key = Buffer.from(plaintext ?? '', 'base64');
  if (key.length !== 32) throw configError(`KMS ${what} did not answer a 32-byte data key`);
  return key;
};

const loadKmsDataKey = async (input: {
  keyId: string;
  access: KmsAccess;
  store: ServiceKeyStore;
  now: Date;
}): Promise<Buffer> => {
  const client = createKmsClient(input.access);
  if (!client) {
    throw configError(
      'ASKP_SECRETS_KMS_KEY_ID is set but no KMS region is known: set ASKP_KMS_ENDPOINT (Function Compute sets FC_REGION)',
    );
  }
  const decrypt = async (blob: string): Promise<Buffer> => {
    try {
      const opened = await withStaleConnectionRetry(() =>
        client.decrypt(new kms.DecryptRequest({ ciphertextBlob: blob })),
      );
      return toKey(opened.plaintext, 'Decrypt');
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw configError(
        `opening the webhook secrets' data key with KMS Decrypt failed: ${kmsCodeOf(error)}`,
        error,
      );
    }
  };
  const stored = await input.store.findServiceKey(DATA_KEY_NAME);
  if (stored !== null) return decrypt(stored);
  let generated: { ciphertextBlob: string; plaintext: string };
  try {
    generated = await withStaleConnectionRetry(() =>
      client.generateDataKey(
        new kms.GenerateDataKeyRequest({ keyId: input.keyId, keySpec: 'AES_256' }),
      ),
    );
  } catch (error) {
    throw configError(
      `making the webhook secrets' data key with KMS GenerateDataKey (key ${input.keyId}) failed: ${kmsCodeOf(error)}`,
      error,
    );
  }
  const key = toKey(generated.plaintext, 'GenerateDataKey');
  const winner = await input.store.serviceKey({
    name: DATA_KEY_NAME,
    candidate: generated.ciphertextBlob,
    at: input.now,
  });
  return winner === generated.ciphertextBlob ? key : decrypt(winner);
};

export { DATA_KEY_NAME, loadKmsDataKey };
