import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { AuditTaker } from '../domain/audit.js';
import { clusterNameFor } from '../domain/cluster-name.js';
import type { ClusterSpec } from '../domain/cluster-spec.js';
import { lifetimeOf } from '../domain/expiry.js';
import type { Job } from '../domain/job.js';
import type { Provision } from '../domain/provision.js';
import { newId } from '../ids.js';
import { acceptanceNotices } from '../janitor/expiry-notices.js';
import type { Logger } from '../logger.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import type { OutboxStore } from '../store/outbox.port.js';
import type { NewProvision, ProvisionStore } from '../store/provision.port.js';
import type { IdempotencyClaim, StoredResponse } from '../store/store.port.js';
import type { TenantStore } from '../store/tenant.port.js';
import type { TenantLimitsStore } from '../store/tenant-limits.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import {
  readTenantCreateSettings,
  type TenantCreateSettingsCache,
} from '../tenancy/tenant-create-settings.js';
import { assertWithinQuota } from '../tenancy/tenant-quota.js';
import { dispatchJob } from './dispatch-job.js';
import type { OutboxMarks } from './outbox-marks.js';

interface AcceptDeps {
  store: ProvisionStore & OutboxStore & TenantStore & TenantLimitsStore & WebhookEndpointStore;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
  /** The janitor's notice period: a shorter lifetime is warned at acceptance. */
  config: { janitor: Pick<Config['janitor'], 'warnSeconds'> };
  /** The API's: the outbox entry's "sent" mark is written behind the answer. */
  outboxMarks?: OutboxMarks;
  /** The API's: the tenant's defaults and quota as this instance keeps them; default: read. */
  tenantCreateSettings?: Pick<TenantCreateSettingsCache, 'get'>;
}

/** The provision as the create inserts it, for the notices written in the same transaction. */
const asAccepted = (provision: NewProvision): Provision => ({
  ...provision,
  state: 'accepted',
  version: 1,
  clusterId: null,
  taskId: null,
  ackState: null,
  endpoints: null,
  createPendingAt: null,
  attempts: 0,
  leaseOwner: null,
  leaseUntil: null,
  error: null,
  updatedAt: provision.createdAt,
});

interface AcceptInput {
  tenantId: string;
  spec: ClusterSpec;
  /**
   * The caller's Idempotency-Key claim: completed with `respond(provision)` in the transaction
   * that inserts the provision, so a crash can never leave one without the other.
   */
  idempotency?: { claim: IdempotencyClaim; respond: (provision: Provision) => StoredResponse };
  /** The request's audit record, made for the new provision and committed with it. */
  audit?: AuditTaker;
}

/**
 * Step 2 and 3 of the flow: the provision row, its first event and its outbox entry are written
 * in one transaction; then the job is sent. If the send fails the request still succeeds: the
 * poller's outbox sweep sends it later, so nothing accepted is ever lost.
 */
const acceptProvision = async (deps: AcceptDeps, input: AcceptInput): Promise<Provision> => {
  const now = deps.clock.now();
  const id = newId('prv', now.getTime());
  // The tenant's janitor defaults apply when the request names no policy of its own.
  const { defaults, quota } = await (deps.tenantCreateSettings
    ? deps.tenantCreateSettings.get(input.tenantId)
    : readTenantCreateSettings(deps.store, input.tenantId));
  // The tenant's quota is checked inside the insert's transaction, under the tenant's row lock,
  // so concurrent creates cannot all see room for one more (TENANT_QUOTA_EXCEEDED writes nothing).
  const limited = quota.maxClusters !== null || quota.maxMonthlyCost !== null;
  const { spec, expiresAt } = lifetimeOf(input.spec, defaults, now);
  const job: Job = { v: 1, kind: 'create', provisionId: id };
  const take = input.audit;
  const row: NewProvision = {
    id,
    tenantId: input.tenantId,
    name: input.spec.name,
    region: input.spec.region,
    spec,
    clusterName: clusterNameFor({ name: input.spec.name, provisionId: id }),
    labels: input.spec.labels,
    expiresAt,
    createdAt: now,
  };
  // A lifetime shorter than the notice period is warned now: `cluster.expiring` goes out with
  // the deletion at `expiresAt`, in the create's own transaction.
  const marks = await acceptanceNotices(deps, {
    provision: asAccepted(row),
    now,
    warnSeconds: deps.config.janitor.warnSeconds,
  });
  const { provision, outboxId } = await deps.store.createProvision({
    provision: row,
    marks,
    event: {
      type: 'provision.accepted',
      state: 'accepted',
      message: `accepted a ${input.spec.clusterSpec} serverless cluster in ${input.spec.region}`,
      source: 'service',
      at: now,
    },
    job,
    ...(input.idempotency ? { idempotency: input.idempotency } : {}),
    ...(take ? { audit: () => take({ tenantId: input.tenantId, target: `cluster:${id}` }) } : {}),
    ...(limited
      ? {
          admit: (held: readonly ClusterSpec[]) =>
            assertWithinQuota({ tenantId: input.tenantId, quota, held, spec }),
        }
      : {}),
  });
  await dispatchJob(deps, { job, outboxId });
  return provision;
};

export type { AcceptDeps, AcceptInput };
export { acceptProvision };
