import { DomainError } from '../domain/errors.js';

/** What went wrong reaching a cluster's API server. */
type KubeFailure = 'answer' | 'timeout' | 'tls' | 'network' | 'paging' | 'unknown';

interface KubeErrorFields {
  failure: KubeFailure;
  retryable: boolean;
  /** The HTTP status the API server answered with (failure `answer`). */
  status?: number;
  /** The Kubernetes Status `reason`, e.g. `InternalError` (failure `answer`, when sent). */
  statusReason?: string;
  /** The Node or OpenSSL error code (failures `tls`, `network`, `unknown`). */
  networkCode?: string;
  /** Our deadline that fired (failure `timeout`). */
  timeoutMs?: number;
  retryAfterMs?: number;
}

/**
 * A cluster's API server could not be read: KUBE_UNAUTHORIZED (the kubeconfig's credentials were
 * refused) or KUBE_UNAVAILABLE. Carries no `cause`: the raw error may quote the kubeconfig.
 */
class KubeError extends DomainError {
  declare public readonly code: 'KUBE_UNAUTHORIZED' | 'KUBE_UNAVAILABLE';
  public readonly failure: KubeFailure;
  public readonly status: number | undefined;
  public readonly statusReason: string | undefined;
  public readonly networkCode: string | undefined;
  public readonly timeoutMs: number | undefined;

  public constructor(
    code: 'KUBE_UNAUTHORIZED' | 'KUBE_UNAVAILABLE',
    message: string,
    fields: KubeErrorFields,
  ) {
    super(code, message, { retryable: fields.retryable, retryAfterMs: fields.retryAfterMs });
    this.name = 'KubeError';
    this.failure = fields.failure;
    this.status = fields.status;
    this.statusReason = fields.statusReason;
    this.networkCode = fields.networkCode;
    this.timeoutMs = fields.timeoutMs;
  }
}

export type { KubeErrorFields, KubeFailure };
export { KubeError };
