import * as z from 'zod';

/**
 * The Alibaba Cloud credentials every SDK client signs with, as a source that can change while a
 * function instance lives. Function Compute hands each invocation the function role's STS
 * credentials in `context.credentials` ({accessKeyId, accessKeySecret, securityToken}; FC 3.0
 * Node.js "Context" reference), and they expire; the environment's copy
 * (ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / _SECURITY_TOKEN) is the one of the instance's start.
 * So clients built once per instance read `current()` on every request, and each invocation
 * `update`s the source from its context before it does anything else. Locally (no role, or a
 * context without credentials) the environment's credentials stay in use.
 */
interface CloudCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

interface CredentialsSource {
  /** What a request signed now must use. */
  current(): CloudCredentials;
  /**
   * Credentials an invocation was handed. Anything incomplete (FC passes `{}` when the function
   * has no role) is ignored. Returns whether the credentials changed.
   */
  update(next: unknown): boolean;
}

/** FC's `context.credentials`: all three strings when the function has a role. */
const invocationCredentialsSchema = z.object({
  accessKeyId: z.string().min(1),
  accessKeySecret: z.string().min(1),
  securityToken: z.string().optional(),
});

const same = (a: CloudCredentials, b: CloudCredentials): boolean =>
  a.accessKeyId === b.accessKeyId &&
  a.accessKeySecret === b.accessKeySecret &&
  (a.securityToken ?? '') === (b.securityToken ?? '');

/**
 * A source that starts from `initial` (read on first use: the environment's credentials, which
 * config validation may not have read yet) and follows every `update`.
 */
const createCredentialsSource = (initial: () => CloudCredentials): CredentialsSource => {
  let latest: CloudCredentials | undefined;
  return {
    current: () => {
      latest ??= initial();
      return latest;
    },
    update: (next) => {
      const parsed = invocationCredentialsSchema.safeParse(next);
      if (!parsed.success) return false;
      const { accessKeyId, accessKeySecret, securityToken } = parsed.data;
      const credentials: CloudCredentials = {
        accessKeyId,
        accessKeySecret,
        ...(securityToken === undefined || securityToken === '' ? {} : { securityToken }),
      };
      if (latest !== undefined && same(latest, credentials)) return false;
      latest = credentials;
      return true;
    },
  };
};

const isCredentialsSource = (
  value: CloudCredentials | CredentialsSource,
): value is CredentialsSource => 'current' in value && typeof value.current === 'function';

/** Adapters take either fixed credentials (tests, tools) or a source (functions). */
const asCredentialsSource = (value: CloudCredentials | CredentialsSource): CredentialsSource =>
  isCredentialsSource(value) ? value : createCredentialsSource(() => value);

export type { CloudCredentials, CredentialsSource };
export { asCredentialsSource, createCredentialsSource };
