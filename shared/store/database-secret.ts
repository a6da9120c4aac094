import { DomainError } from '../domain/errors.js';
import { createKmsClient, type KmsAccess, kms, kmsCodeOf } from '../secrets/kms-client.js';
import { isKmsSecretUrl, KMS_SECRET_PREFIX } from './database-url.js';

/**
 * DATABASE_URL may name a secret instead of holding the password: `kms-secret://<name>` is read
 * from KMS Secrets Manager (GetSecretValue, API 2016-01-20, through `@alicloud/kms20160120`) with
 * the function's role credentials, once per function instance (the store is built once), and the
 * secret's text must itself be a database URL. Plain URLs are used as they are. The secret's value
 * never reaches a message: errors name the secret and KMS's error code only.
 */
/** KMS secret names: letters, digits and `_/+=.@-`, 1–192 characters (CreateSecret's rules). */
const SECRET_NAME = /^[A-Za-z0-9_/+=.@-]{1,192}$/;

const configError = (message: string, cause?: unknown): DomainError =>
  new DomainError('CONFIG_INVALID', message, { field: 'DATABASE_URL', cause });

/** Reads the secret's current text through the real SDK. */
const readSecret = async (name: string, access: KmsAccess): Promise<string> => {
  const client = createKmsClient(access);
  if (!client) {
    throw configError(
      `DATABASE_URL names the KMS secret "${name}" but no region is known: set ASKP_KMS_ENDPOINT (Function Compute sets FC_REGION)`,
    );
  }
  let response: { secretData?: string; secretDataType?: string };
  try {
    response = await client.getSecretValue(new kms.GetSecretValueRequest({ secretName: name }));
  } catch (error) {
    throw configError(
      `reading the KMS secret "${name}" for DATABASE_URL failed: ${kmsCodeOf(error)}`,
      error,
    );
  }
  if (response.secretDataType !== 'text' || typeof response.secretData !== 'string') {
    throw configError(`the KMS secret "${name}" is not a text secret holding a database URL`);
  }
  return response.secretData.trim();
};

/**
 * DATABASE_URL → the URL to open: itself, or the text of the KMS secret it names. A secret that
 * holds another `kms-secret://` is refused (no chains).
 */
const resolveDatabaseUrl = async (
  url: string | undefined,
  access: KmsAccess,
): Promise<string | undefined> => {
  if (!isKmsSecretUrl(url)) return url;
  const name = (url ?? '').trim().slice(KMS_SECRET_PREFIX.length);
  if (!SECRET_NAME.test(name)) {
    throw configError(
      'DATABASE_URL kms-secret://<name>: the name is 1–192 letters, digits or _/+=.@-',
    );
  }
  const value = await readSecret(name, access);
  if (isKmsSecretUrl(value)) {
    throw configError(
      `the KMS secret "${name}" names another secret; it must hold the database URL`,
    );
  }
  return value;
};

export type { KmsAccess };
export { resolveDatabaseUrl };
