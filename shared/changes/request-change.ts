import type { Clock } from '../clock.js';
import type { AuditTaker } from '../domain/audit.js';
import {
  type ChangeRequest,
  type ClusterChange,
  describeChange,
  sameChange,
} from '../domain/cluster-change.js';
import { DomainError } from '../domain/errors.js';
import type { Job } from '../domain/job.js';
import { type Provision, planTransition } from '../domain/provision.js';
import { newId } from '../ids.js';
import type { Logger } from '../logger.js';
import { dispatchJob } from '../provisioning/dispatch-job.js';
import { loadProvision } from '../provisioning/load-provision.js';
import type { JobQueue } from '../queue/job-queue.port.js';
import type { ChangeStore } from '../store/change.port.js';
import type { OutboxStore } from '../store/outbox.port.js';
import type { ProvisionStore } from '../store/provision.port.js';

interface RequestChangeDeps {
  store: ProvisionStore & ChangeStore & OutboxStore;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
}

const CAS_ATTEMPTS = 5;
/** How long a caller is told to wait before asking again while another change runs. */
const BUSY_RETRY_MS = 5000;

const busy = (provision: Provision, open: ClusterChange): DomainError =>
  new DomainError(
    'CONFLICT',
    `cluster ${provision.id} is updating (${describeChange(open)}, change ${open.id}); ` +
      'one change at a time: retry once it ends',
    { retryAfterMs: BUSY_RETRY_MS },
  );

const notRunning = (provision: Provision): DomainError =>
  new DomainError(
    'CONFLICT',
    `cluster ${provision.id} is ${provision.state}: only a running cluster can be changed`,
  );

/**
 * Starts a change of a running cluster: `running → updating`, the change record and its job in
 * one transaction, then the job is sent (a lost send is re-sent by the outbox sweep). Idempotent:
 * the same change asked again while it runs answers that change; a different one is a 409 with
 * Retry-After (one change at a time, so two ACK tasks never race on one cluster). `plan` turns
 * the provision as read into the change (it may look at the current version, say); it is called
 * again when the row moved on.
 */
const requestChange = async (
  deps: RequestChangeDeps,
  input: {
    tenantId: string;
    id: string;
    plan: (provision: Provision) => ChangeRequest | Promise<ChangeRequest>;
    /** The request's audit record, committed with the change it starts (not on a repeat). */
    audit?: AuditTaker;
  },
): Promise<{ provision: Provision; change: ClusterChange; started: boolean }> => {
  for (let round = 0; round < CAS_ATTEMPTS; round += 1) {
    const current = await loadProvision(deps.store, { tenantId: input.tenantId, id: input.id });
    if (current.state === 'updating') {
      const open = await deps.store.getOpenChange({ provisionId: current.id });
      if (open === null) continue;
      const wanted = await input.plan(current);
      if (sameChange(open, wanted)) return { provision: current, change: open, started: false };
      throw busy(current, open);
    }
    if (current.state !== 'running' || current.clusterId === null) throw notRunning(current);
    const request = await input.plan(current);
    const now = deps.clock.now();
    const changeId = newId('chg', now.getTime());
    const transition = planTransition(current, 'updating', {
      reason: 'change.requested',
      message: `${describeChange(request)} (change ${changeId})`,
      now,
    });
    const job: Job = { v: 1, kind: 'change', provisionId: current.id };
    const take = input.audit;
    const started = await deps.store.startChange({
      expectedVersion: current.version,
      transition,
      change: {
        ...request,
        id: changeId,
        provisionId: current.id,
        tenantId: current.tenantId,
        createdAt: now,
      },
      job,
      ...(take
        ? { audit: () => take({ tenantId: current.tenantId, target: `cluster:${current.id}` }) }
        : {}),
    });
    if (started === null) continue;
    await dispatchJob(deps, { job, outboxId: started.outboxId });
    return { provision: started.provision, change: started.change, started: true };
  }
  throw new DomainError('CONFLICT', `cluster ${input.id} is changing; retry the request`, {
    retryAfterMs: 1000,
  });
};

export type { RequestChangeDeps };
export { requestChange };
