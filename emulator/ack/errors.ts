/**
 * ACK's error shape. ACK answers errors as JSON `{"code","message","requestId"}` with an HTTP
 * status; @alicloud/openapi-core reads `Code`/`code`, `Message`/`message`, `RequestId`/`requestId`
 * from the body, so the casing matters less than the code names, which clients match on.
 *
 * UNVERIFIED: Alibaba's API gateway may answer gateway-level errors (signature, access key,
 * unknown API) with PascalCase keys and extra `HostId`/`Recommend` fields; we use ACK's lowercase
 * shape everywhere, which the SDK parses the same way.
 */

class AckEmulatorError extends Error {
  public readonly status: number;
  public readonly code: string;
  public readonly headers: Record<string, string>;

  public constructor(
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AckEmulatorError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

interface AckErrorBody {
  code: string;
  message: string;
  requestId: string;
}

const errorBody = (error: AckEmulatorError, requestId: string): AckErrorBody => ({
  code: error.code,
  message: error.message,
  requestId,
});

/** ACK's answer for an unknown or deleted cluster (Terraform and ali-operator match this code). */
const clusterNotFound = (clusterId: string): AckEmulatorError =>
  new AckEmulatorError(404, 'ErrorClusterNotFound', `cluster ${clusterId} not found`);

/** UNVERIFIED code: the SDK documents no code for an unknown task id. */
const taskNotFound = (taskId: string): AckEmulatorError =>
  new AckEmulatorError(404, 'ErrorTaskNotFound', `task ${taskId} not found`);

/** ACK uses `InvalidParameter` (400) for request validation failures. */
const invalidParameter = (message: string): AckEmulatorError =>
  new AckEmulatorError(400, 'InvalidParameter', message);

/** What Alibaba's gateway answers for a path/method pair that is no API. */
const apiNotFound = (method: string, path: string): AckEmulatorError =>
  new AckEmulatorError(
    404,
    'InvalidAction.NotFound',
    `Specified api is not found, please check your url and method: ${method} ${path}`,
  );

export type { AckErrorBody };
export {
  AckEmulatorError,
  apiNotFound,
  clusterNotFound,
  errorBody,
  invalidParameter,
  taskNotFound,
};
