import { randomUUID } from 'node:crypto';

/**
 * The `context` Function Compute 3.0 passes a handler: request id, the role's STS credentials,
 * function metadata, region, account and a logger. The local host fills it from its own settings.
 */
interface FcContext {
  requestId: string;
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken: string };
  function: { name: string; handler: string; memory: number; timeout: number };
  region: string;
  accountId: string;
  logger: Console;
}

interface FcFunctionInfo {
  functionName: string;
  handler: string;
  memorySize: number;
  timeout: number;
  region: string;
}

const createFcContext = (
  info: FcFunctionInfo,
  env: Readonly<Record<string, string | undefined>>,
): FcContext => ({
  requestId: `local-${randomUUID()}`,
  credentials: {
    accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? '',
    accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? '',
    securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN ?? '',
  },
  function: {
    name: info.functionName,
    handler: info.handler,
    memory: info.memorySize,
    timeout: info.timeout,
  },
  region: info.region,
  accountId: env.ASKP_MNS_ACCOUNT_ID ?? 'local',
  logger: console,
});

export type { FcContext, FcFunctionInfo };
export { createFcContext };
