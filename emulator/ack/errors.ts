/**
 * ACK's errors, in one catalog: every code, HTTP status and message the emulator answers with is
 * written here, as the MNS emulator does (emulator/mns/errors.ts). Handlers throw
 * `ackErrors.<name>(...)`; nothing else constructs an AckEmulatorError.
 *
 * ACK answers errors as JSON `{"code","message","requestId"}` with an HTTP status;
 * @alicloud/openapi-core reads `Code`/`code`, `Message`/`message`, `RequestId`/`requestId` from
 * the body, so the casing matters less than the code names, which clients match on.
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

/** The emulated account's id, as it appears in role ARNs. */
const EMULATED_ACCOUNT_ID = '1000000000000001';

const ackErrors = {
  // --- Request validation -----------------------------------------------------------------
  /** ACK uses `InvalidParameter` (400) for request validation failures. */
  invalidParameter: (message: string) => new AckEmulatorError(400, 'InvalidParameter', message),
  /**
   * A required parameter of an RPC call is missing: Alibaba's common `Missing{ParameterName}`
   * (terraform-provider-alicloud lists it among the common error codes); status UNVERIFIED.
   */
  missingParameter: (name: string) =>
    new AckEmulatorError(
      400,
      `Missing${name}`,
      `The input parameter ${name} that is mandatory for processing this request is not supplied.`,
    ),

  // --- Gateway: routing and authentication --------------------------------------------------
  /** What Alibaba's gateway answers for a path/method pair that is no API. */
  apiNotFound: (method: string, path: string) =>
    new AckEmulatorError(
      404,
      'InvalidAction.NotFound',
      `Specified api is not found, please check your url and method: ${method} ${path}`,
    ),
  incompleteSignature: (message: string) =>
    new AckEmulatorError(400, 'IncompleteSignature', message),
  // UNVERIFIED status: Alibaba's gateway answers SignatureDoesNotMatch with 400 in the reports
  // we found; InvalidAccessKeyId.NotFound with 404 is confirmed by user reports of the gateway.
  signatureMismatch: (message: string) =>
    new AckEmulatorError(400, 'SignatureDoesNotMatch', message),
  accessKeyNotFound: () =>
    new AckEmulatorError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
  // UNVERIFIED code and status: STS answers InvalidSecurityToken.* for bad tokens.
  securityTokenMismatch: () =>
    new AckEmulatorError(
      400,
      'InvalidSecurityToken.MismatchWithAccessKey',
      'The security token is missing or does not belong to the access key.',
    ),
  /**
   * An STS token past its expiry. The code is Alibaba's common (POP gateway) one:
   * terraform-provider-alicloud's common error codes (`ERR_INVALID_SECURITY_TOKEN_EXPIRED`,
   * listed from error-center.alibabacloud.com/status/product/Public) hold it, and its
   * `IsPermanentCommonError` treats it as permanent. UNVERIFIED: the HTTP status (400 here) and
   * the wording.
   */
  securityTokenExpired: () =>
    new AckEmulatorError(
      400,
      'InvalidSecurityToken.Expired',
      'Specified SecurityToken is expired.',
    ),
  // UNVERIFIED code for ROA; Alibaba's RPC APIs answer a reused nonce with this one.
  signatureNonceUsed: () =>
    new AckEmulatorError(400, 'SignatureNonceUsed', 'Specified signature nonce was used.'),

  // --- Clusters and tasks -------------------------------------------------------------------
  /** ACK's answer for an unknown or deleted cluster (Terraform and ali-operator match it). */
  clusterNotFound: (clusterId: string) =>
    new AckEmulatorError(404, 'ErrorClusterNotFound', `cluster ${clusterId} not found`),
  /** UNVERIFIED code: the SDK documents no code for an unknown task id. */
  taskNotFound: (taskId: string) =>
    new AckEmulatorError(404, 'ErrorTaskNotFound', `task ${taskId} not found`),
  kubeconfigNeedsRunning: (clusterId: string, state: string) =>
    new AckEmulatorError(
      400,
      'ErrorClusterState',
      `Cluster ${clusterId} is ${state}; a kubeconfig is only available for a running cluster.`,
    ),
  clusterBeingDeleted: (clusterId: string) =>
    new AckEmulatorError(
      400,
      'ErrorClusterState',
      `Cluster ${clusterId} is being deleted and cannot be modified.`,
    ),
  /** UNVERIFIED code: a change of a cluster that is not running (still creating, failed). */
  clusterNotRunning: (clusterId: string, state: string) =>
    new AckEmulatorError(
      400,
      'ErrorClusterState',
      `Cluster ${clusterId} is ${state}; it can only be changed while it is running.`,
    ),
  /** UNVERIFIED code: a change while another change task of the cluster runs. */
  clusterBusy: (clusterId: string, taskId: string) =>
    new AckEmulatorError(
      400,
      'ErrorClusterState',
      `Cluster ${clusterId} is being changed by task ${taskId}; retry once it ends.`,
    ),
  /** UNVERIFIED code: the SDK documents none for an unknown node pool id. */
  nodePoolNotFound: (clusterId: string, nodepoolId: string) =>
    new AckEmulatorError(
      404,
      'ErrorNodePoolNotFound',
      `node pool ${nodepoolId} not found in cluster ${clusterId}`,
    ),
  /**
   * DeleteClusterNodepool without `force` of a pool with nodes: "the node pool cannot be deleted,
   * and an error is returned" (DeleteClusterNodepoolRequest doc). UNVERIFIED code.
   */
  nodePoolNotEmpty: (nodepoolId: string, nodes: number) =>
    new AckEmulatorError(
      400,
      'ErrorNodePoolNotEmpty',
      `Node pool ${nodepoolId} has ${nodes} nodes; delete it with force=true or scale it to 0 first.`,
    ),
  /** UNVERIFIED code: a node pool call for a cluster without node pools (ACK Serverless). */
  noNodePools: (clusterId: string, profile: string) =>
    new AckEmulatorError(
      400,
      'ErrorClusterType',
      `Cluster ${clusterId} (profile ${profile}) has no node pools.`,
    ),
  deletionProtected: (clusterId: string) =>
    new AckEmulatorError(
      400,
      'ErrorClusterDeletionProtection',
      `Cluster ${clusterId} has deletion protection enabled; disable it before deleting.`,
    ),
  /**
   * A role CreateCluster needs is not authorised: ACK answers EntityNotExist.Role for its own
   * roles (terraform-provider-alicloud#149) and EntityNotExist.AliyunECIContainerGroupRole for
   * ECI's (#2565).
   */
  roleNotExist: (role: string) =>
    new AckEmulatorError(
      400,
      role === 'AliyunECIContainerGroupRole'
        ? 'EntityNotExist.AliyunECIContainerGroupRole'
        : 'EntityNotExist.Role',
      `The role not exists: acs:ram::${EMULATED_ACCOUNT_ID}:role/${role.toLowerCase()}. Authorise it in the RAM console.`,
    ),
  // UNVERIFIED code for ASK; ACK answers cluster quota errors with QuotaExceeded.* codes (400).
  clusterQuotaExceeded: (quota: number, regionId: string) =>
    new AckEmulatorError(
      400,
      'QuotaExceeded.Cluster',
      `The ASK cluster quota (${quota}) of region ${regionId} is used up.`,
    ),

  // --- Anything else ------------------------------------------------------------------------
  internal: () =>
    new AckEmulatorError(
      500,
      'InternalError',
      'The request processing has failed due to some unknown error.',
    ),
  /** An `error` or `throttle` fault: its code, status and message come from the fault. */
  injected: (status: number, code: string, message: string, headers: Record<string, string>) =>
    new AckEmulatorError(status, code, message, headers),
};

const isAckEmulatorError = (error: unknown): error is AckEmulatorError =>
  error instanceof AckEmulatorError;

export type { AckEmulatorError, AckErrorBody };
export { ackErrors, errorBody, isAckEmulatorError };
