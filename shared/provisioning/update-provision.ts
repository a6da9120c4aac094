import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { MAX_LABELS, parseDurationSeconds } from '../domain/cluster-spec.js';
import { DomainError, ValidationError } from '../domain/errors.js';
import type { Provision } from '../domain/provision.js';
import type { ProvisionState } from '../domain/provision-state.js';
import { settingsNotices } from '../janitor/expiry-notices.js';
import type { JanitorStore } from '../store/janitor.port.js';
import type { ProvisionStore } from '../store/provision.port.js';
import type { ProvisionSettings } from '../store/store.port.js';
import type { WebhookEndpointStore } from '../store/webhook-endpoint.port.js';
import { loadProvision } from './load-provision.js';
import type { UpdateClusterRequest } from './update-request.js';

interface UpdateDeps {
  store: ProvisionStore & Pick<JanitorStore, 'getJanitorWarning'> & WebhookEndpointStore;
  clock: Clock;
  /** The janitor's notice period: a new expiry closer than it is warned at once. */
  config: { janitor: Pick<Config['janitor'], 'warnSeconds'> };
}

/**
 * What of a change ACK holds too, for a provision whose cluster exists: deletion protection and
 * the labels (ACK tags). `null` when ACK has nothing to learn. The ACK cluster name stays as it
 * was fixed at accept time (it is how a lost create is found), so `name` is ours alone.
 */
interface AckSettingsChange {
  clusterId: string;
  region: string;
  deletionProtection?: boolean;
  labels?: Record<string, string>;
}

interface UpdateResult {
  provision: Provision;
  ackChange: AckSettingsChange | null;
}

/** A provision on its way out, or gone, is not edited any more. */
const FROZEN_STATES: readonly ProvisionState[] = ['deleting', 'deleted', 'cancelled'];
const MAX_EXPIRY_MS = 30 * 86_400_000;
const MIN_EXPIRY_MS = 15 * 60_000;
const CAS_ATTEMPTS = 5;

const expiryFrom = (request: UpdateClusterRequest, current: Provision, now: Date): Date | null => {
  if (request.ttl !== undefined) {
    if (request.ttl === null) return null;
    return new Date(now.getTime() + (parseDurationSeconds(request.ttl) ?? 0) * 1000);
  }
  if (request.expiresAt === undefined) return current.expiresAt;
  if (request.expiresAt === null) return null;
  const at = new Date(request.expiresAt);
  if (
    at.getTime() < now.getTime() + MIN_EXPIRY_MS ||
    at.getTime() > now.getTime() + MAX_EXPIRY_MS
  ) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'expiresAt must be at least 15 minutes ahead (the shortest ttl) and within 30 days',
      { field: 'expiresAt' },
    );
  }
  return at;
};

const sameLabels = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(a).every(([key, value]) => b[key] === value);

/** RFC 7396 on the label set: `null` clears it, a key set to `null` goes, the rest merge. */
const mergeLabels = (
  current: Record<string, string>,
  patch: Record<string, string | null> | null | undefined,
): Record<string, string> => {
  if (patch === undefined) return current;
  if (patch === null) return {};
  const merged: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  if (Object.keys(merged).length > MAX_LABELS) {
    const message = `at most ${MAX_LABELS} labels once merged with the ${Object.keys(current).length} the cluster has`;
    throw new ValidationError(`labels: ${message}`, [{ field: 'labels', message }]);
  }
  return merged;
};

/** The whole new settings, and which fields really change. */
const planSettings = (
  request: UpdateClusterRequest,
  current: Provision,
  now: Date,
): { settings: ProvisionSettings; changed: string[] } => {
  const name = request.name ?? current.name;
  const labels = mergeLabels(current.labels, request.labels);
  const deletionProtection = request.deletionProtection ?? current.spec.deletionProtection;
  const expiresAt = expiryFrom(request, current, now);
  // The spec keeps a relative ttl only while the expiry still comes from one.
  const ttl =
    request.ttl !== undefined
      ? request.ttl
      : request.expiresAt !== undefined
        ? null
        : current.spec.ttl;
  const idleAfter = request.idleAfter !== undefined ? request.idleAfter : current.spec.idleAfter;
  const { ttl: _replaced, idleAfter: _idle, ...rest } = current.spec;
  const spec = {
    ...rest,
    name,
    labels,
    deletionProtection,
    ...(ttl ? { ttl } : {}),
    ...(idleAfter ? { idleAfter } : {}),
  };
  const changed = [
    name !== current.name ? 'name' : '',
    !sameLabels(labels, current.labels) ? 'labels' : '',
    deletionProtection !== current.spec.deletionProtection ? 'deletionProtection' : '',
    expiresAt?.getTime() !== current.expiresAt?.getTime() ? 'expiresAt' : '',
    (idleAfter ?? null) !== (current.spec.idleAfter ?? null) ? 'idleAfter' : '',
  ].filter(Boolean);
  return { settings: { name, labels, expiresAt, spec }, changed };
};

const ackChangeFor = (
  provision: Provision,
  before: Provision,
  changed: readonly string[],
): AckSettingsChange | null => {
  if (provision.clusterId === null) return null;
  const change: AckSettingsChange = { clusterId: provision.clusterId, region: provision.region };
  if (changed.includes('deletionProtection'))
    change.deletionProtection = provision.spec.deletionProtection;
  if (changed.includes('labels') && !sameLabels(before.labels, provision.labels))
    change.labels = provision.labels;
  return change.deletionProtection === undefined && change.labels === undefined ? null : change;
};

/**
 * `PATCH /v1/clusters/{id}`: name, deletion protection, expiry and labels, changed in the row
 * with compare-and-set and recorded as a `provision.updated` event. A change to nothing writes
 * nothing. A change that calls off a warned deletion says so (`cluster.expiry_cancelled`), and a
 * new expiry closer than the notice period is warned (`cluster.expiring`), both in the same
 * transaction. The result says what ACK must be told (see AckSettingsChange).
 */
const updateProvision = async (
  deps: UpdateDeps,
  input: { tenantId: string; id: string; request: UpdateClusterRequest },
): Promise<UpdateResult> => {
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt += 1) {
    const current = await loadProvision(deps.store, { tenantId: input.tenantId, id: input.id });
    if (FROZEN_STATES.includes(current.state)) {
      throw new DomainError(
        'CONFLICT',
        `cluster ${current.id} is ${current.state} and can no longer be changed`,
      );
    }
    const now = deps.clock.now();
    const { settings, changed } = planSettings(input.request, current, now);
    if (changed.length === 0) return { provision: current, ackChange: null };
    // Read after the provision: a warning given or cancelled since bumps the version, so the
    // compare-and-set below fails and the loop reads both again.
    const standing = await deps.store.getJanitorWarning({ id: current.id });
    const marks = await settingsNotices(deps, {
      after: { ...current, ...settings, version: current.version },
      standing,
      expiryChanged: changed.includes('expiresAt'),
      now,
      warnSeconds: deps.config.janitor.warnSeconds,
    });
    const updated = await deps.store.updateProvisionSettings({
      marks,
      id: current.id,
      expectedVersion: current.version,
      settings,
      event: {
        type: 'provision.updated',
        state: current.state,
        message: `changed ${changed.join(', ')}`,
        source: 'service',
        at: now,
      },
    });
    if (updated) return { provision: updated, ackChange: ackChangeFor(updated, current, changed) };
  }
  // The caller's "busy, retry": a 409 with Retry-After (not an internal RetryLaterError).
  throw new DomainError('CONFLICT', `cluster ${input.id} is changing; retry the request`, {
    retryAfterMs: 1000,
  });
};

export type { AckSettingsChange, UpdateResult };
export { updateProvision };
