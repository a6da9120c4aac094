/**
 * Kubernetes `Status` failures, as the API server sends them: `kind: Status`, `status: Failure`,
 * a `reason` from the StatusReason enum, the HTTP `code`, and `details` naming the object.
 */

interface StatusDetails {
  name?: string;
  kind?: string;
  causes?: { reason: string; message: string; field: string }[];
}

class KubeStatusError extends Error {
  public constructor(
    public readonly code: number,
    public readonly reason: string,
    message: string,
    public readonly details?: StatusDetails,
    /** Extra response headers, e.g. Retry-After on 429/503. */
    public readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'KubeStatusError';
  }
}

const statusBody = (error: KubeStatusError): Record<string, unknown> => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: error.message,
  reason: error.reason,
  ...(error.details === undefined ? {} : { details: error.details }),
  code: error.code,
});

const kubeErrors = {
  // The body real API servers send for a missing, unknown or expired bearer token.
  unauthorized: () => new KubeStatusError(401, 'Unauthorized', 'Unauthorized'),
  forbidden: (verb: string, resource: string) =>
    new KubeStatusError(
      403,
      'Forbidden',
      `${resource} is forbidden: User "system:anonymous" cannot ${verb} resource "${resource}" in API group "" at the cluster scope`,
      { kind: resource },
    ),
  notFound: (resource: string, name: string) =>
    new KubeStatusError(404, 'NotFound', `${resource} "${name}" not found`, {
      name,
      kind: resource,
    }),
  noRoute: () =>
    new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource'),
  alreadyExists: (resource: string, name: string) =>
    new KubeStatusError(409, 'AlreadyExists', `${resource} "${name}" already exists`, {
      name,
      kind: resource,
    }),
  methodNotAllowed: (method: string) =>
    new KubeStatusError(
      405,
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource (${method})`,
    ),
  badRequest: (message: string) => new KubeStatusError(400, 'BadRequest', message),
  invalid: (kind: string, name: string, causes: { field: string; message: string }[]) =>
    new KubeStatusError(
      422,
      'Invalid',
      `${kind} "${name}" is invalid: ${causes.map((cause) => `${cause.field}: ${cause.message}`).join(', ')}`,
      {
        name,
        kind: kind.toLowerCase(),
        causes: causes.map((cause) => ({ reason: 'FieldValueInvalid', ...cause })),
      },
    ),
  tooLarge: () =>
    new KubeStatusError(413, 'RequestEntityTooLarge', 'the request body is too large'),
  unsupportedMediaType: (type: string) =>
    new KubeStatusError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json (got ${type})`,
    ),
  // A deleted cluster's API server is gone. A shared server cannot refuse the connection for one
  // path prefix, so it answers what a load balancer with no backend would: 503.
  gone: (clusterId: string) =>
    new KubeStatusError(
      503,
      'ServiceUnavailable',
      `the API server of cluster ${clusterId} is not available`,
      undefined,
      { 'retry-after': '1' },
    ),
  injected: (code: number) =>
    new KubeStatusError(
      code,
      code === 429 ? 'TooManyRequests' : code === 503 ? 'ServiceUnavailable' : 'InternalError',
      `injected fault (${code})`,
      undefined,
      code === 429 || code === 503 ? { 'retry-after': '1' } : {},
    ),
  internal: () =>
    new KubeStatusError(
      500,
      'InternalError',
      'an error on the server prevented the request from succeeding',
    ),
};

export type { StatusDetails };
export { KubeStatusError, kubeErrors, statusBody };
