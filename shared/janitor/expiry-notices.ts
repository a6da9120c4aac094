import { parseDurationSeconds } from '../domain/cluster-spec.js';
import type { JanitorWarning, WarningBasis } from '../domain/janitor-policy.js';
import { settingsCallOff, ttlWarningOnSet } from '../domain/janitor-policy.js';
import type { Provision } from '../domain/provision.js';
import { newId } from '../ids.js';
import type { JanitorMarkWrite } from '../store/janitor.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { webhookDeliveriesFor } from '../webhooks/webhook-deliveries.js';

/**
 * The janitor's notices that are owed by a caller's write rather than by a janitor run: an expiry
 * set closer than the notice period (a short ttl at acceptance, a PATCH) is warned in the write
 * that sets it, and a PATCH that calls a standing warning off says so in its own transaction.
 * A receiver that got `cluster.expiring` is always told when that deletion will not happen.
 */

interface NoticeDeps {
  store: Pick<WebhookEndpointStore, 'listSubscribedEndpoints'>;
}

const basisOf = (provision: Provision): WarningBasis => {
  const idleAfter = provision.spec.idleAfter;
  return {
    labels: provision.labels,
    deletionProtection: provision.spec.deletionProtection,
    expiresAt: provision.expiresAt,
    idleAfterSeconds: idleAfter === undefined ? null : (parseDurationSeconds(idleAfter) ?? null),
  };
};

/** A warning given now: the mark, `janitor.warned` and the `cluster.expiring` deliveries. */
const warnWrite = async (
  deps: NoticeDeps,
  provision: Provision,
  warning: JanitorWarning,
): Promise<JanitorMarkWrite> => {
  const eventId = newId('evt', warning.warnedAt.getTime());
  const at = warning.deleteAt.toISOString();
  return {
    kind: 'warn',
    warning,
    warningEventId: eventId,
    event: {
      type: 'janitor.warned',
      state: provision.state,
      message:
        `expiring: expires at ${warning.expiresAtBasis?.toISOString() ?? at}; deletion at ${at} ` +
        '(less of the lifetime is left than the notice period: the notice is what is left)',
      source: 'service',
      at: warning.warnedAt,
    },
    webhooks: await webhookDeliveriesFor({
      store: deps.store,
      provision,
      type: 'cluster.expiring',
      payloadData: { deleteAt: at, reason: warning.reason },
      now: warning.warnedAt,
      eventId,
    }),
  };
};

/** A warning called off: `janitor.warning_cancelled` and the `cluster.expiry_cancelled` deliveries. */
const cancelWrite = async (
  deps: NoticeDeps,
  provision: Provision,
  input: { warning: JanitorWarning; why: string; now: Date },
): Promise<JanitorMarkWrite> => ({
  kind: 'cancel',
  event: {
    type: 'janitor.warning_cancelled',
    state: provision.state,
    message: `deletion cancelled: ${input.why}`,
    source: 'service',
    at: input.now,
  },
  webhooks: await webhookDeliveriesFor({
    store: deps.store,
    provision,
    type: 'cluster.expiry_cancelled',
    payloadData: {
      deleteAt: input.warning.deleteAt.toISOString(),
      reason: input.warning.reason,
      why: input.why,
    },
    now: input.now,
  }),
});

/** At acceptance: the warning a lifetime shorter than the notice period is owed at once. */
const acceptanceNotices = async (
  deps: NoticeDeps,
  input: { provision: Provision; now: Date; warnSeconds: number },
): Promise<JanitorMarkWrite[]> => {
  const warning = ttlWarningOnSet({
    ...basisOf(input.provision),
    now: input.now,
    warnSeconds: input.warnSeconds,
  });
  return warning === null ? [] : [await warnWrite(deps, input.provision, warning)];
};

/**
 * On a change of settings (`after`, not yet written): the standing warning is called off when
 * the change does that (a new expiry or idleAfter, `keep=true`, deletion protection), and a new
 * expiry closer than the notice period is warned at once.
 */
const settingsNotices = async (
  deps: NoticeDeps,
  input: {
    after: Provision;
    standing: JanitorWarning | null;
    expiryChanged: boolean;
    now: Date;
    warnSeconds: number;
  },
): Promise<JanitorMarkWrite[]> => {
  const { after, standing, now } = input;
  const basis = basisOf(after);
  const writes: JanitorMarkWrite[] = [];
  const why = standing === null ? undefined : settingsCallOff(basis, standing);
  if (standing !== null && why !== undefined) {
    writes.push(await cancelWrite(deps, after, { warning: standing, why, now }));
  }
  const stands = standing !== null && why === undefined;
  if (!stands && input.expiryChanged) {
    const warning = ttlWarningOnSet({ ...basis, now, warnSeconds: input.warnSeconds });
    if (warning !== null) writes.push(await warnWrite(deps, after, warning));
  }
  return writes;
};

export type { NoticeDeps };
export { acceptanceNotices, cancelWrite, settingsNotices };
