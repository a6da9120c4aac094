import type { AckCluster, ClusterApi } from '../ack/cluster-api.port.js';
import { clusterPages } from '../ack/cluster-pages.js';
import { TAG_PROVISION_ID } from '../domain/cluster-name.js';
import { isDomainError } from '../domain/errors.js';
import type { JanitorOrphan } from '../domain/janitor-run.js';
import type { Provision } from '../domain/provision.js';
import type { Logger } from '../logger.js';
import { PROVISION_ID } from '../provisioning/load-provision.js';
import { deleteOptionsFor } from '../provisioning/run-delete-job.js';
import type { EventStore } from '../store/event.port.js';
import type { JanitorStore } from '../store/janitor.port.js';
import type { ProvisionStore } from '../store/provision.port.js';

/** ACK is already deleting these: nothing to report (`removing` is nodes leaving, not this). */
const GOING = new Set(['deleting', 'deleted']);

/** States in which a provision may still learn the id of a cluster it asked for. */
const MAY_STILL_CLAIM = new Set(['accepted', 'deleting']);

/**
 * Why a tagged cluster is an orphan, or undefined when its provision owns it (or may yet).
 * A provision's own recorded cluster is never an orphan, whatever its state.
 */
const orphanWhy = (cluster: AckCluster, provision: Provision | null): string | undefined => {
  if (provision === null) return 'the store has no provision with the id its tag names';
  if (provision.clusterId === cluster.clusterId) return undefined;
  if (provision.state === 'deleted' || provision.state === 'cancelled') {
    return `its provision is ${provision.state}`;
  }
  if (provision.clusterId !== null) {
    return `its provision owns another cluster (${provision.clusterId})`;
  }
  // A create in flight: the worker (or the delete job) has not saved the id it is about to learn.
  // Only while the provision can still claim it: a failed provision never will.
  if (provision.createPendingAt !== null && MAY_STILL_CLAIM.has(provision.state)) return undefined;
  return provision.state === 'failed'
    ? 'its provision failed without it (a create landed after the give-up)'
    : `its provision (${provision.state}) has no cluster id`;
};

const listRegion = async (clusterApi: ClusterApi, regionId: string): Promise<AckCluster[]> => {
  const clusters: AckCluster[] = [];
  // Serverless and managed (profile Default) clusters alike: an orphan of either is ours.
  const query = { regionId, clusterType: 'ManagedKubernetes' };
  for await (const page of clusterPages(clusterApi, query)) clusters.push(...page.clusters);
  return clusters;
};

interface OrphanDeps {
  store: ProvisionStore & JanitorStore & EventStore;
  clusterApi: ClusterApi;
  clock: { now(): Date };
  logger: Logger;
}

interface OrphanSettings {
  extraRegions: readonly string[];
  dryRun: boolean;
  /** How long an orphan is listed before it is reaped, from when it became one. */
  graceSeconds: number;
  /** Resource types DeleteCluster keeps (ASKP_DELETE_RETAIN). */
  retain: readonly string[];
}

/**
 * Since when the cluster has been an orphan, as far as we can tell: the later of its creation
 * (a duplicate that landed late) and its provision's last change (a provision that died).
 */
const orphanSince = (cluster: AckCluster, provision: Provision): Date => {
  const created = cluster.created === null ? Number.NaN : Date.parse(cluster.created);
  const updated = provision.updatedAt.getTime();
  return new Date(Number.isFinite(created) ? Math.max(created, updated) : updated);
};

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * Deletes an orphan whose provision the store knows, once ACK confirms right before that the
 * cluster still carries that provision's tag and has no deletion protection; the provision's
 * timeline records it. A provision's own cluster never reaches here (orphanWhy).
 */
const reap = async (
  deps: OrphanDeps,
  settings: OrphanSettings,
  orphan: JanitorOrphan,
  provision: Provision,
): Promise<JanitorOrphan> => {
  const detail = await deps.clusterApi.describeCluster({
    clusterId: orphan.clusterId,
    regionId: orphan.regionId,
  });
  if (detail === null) return { ...orphan, action: 'listed', detail: 'ACK no longer knows it' };
  if (detail.tags[TAG_PROVISION_ID] !== provision.id) {
    return { ...orphan, action: 'listed', detail: 'its tag changed since the list' };
  }
  if (detail.deletionProtection) {
    return { ...orphan, action: 'listed', detail: "ACK's deletion protection is on" };
  }
  const result = await deps.clusterApi.deleteCluster({
    clusterId: orphan.clusterId,
    regionId: orphan.regionId,
    options: deleteOptionsFor(settings.retain),
  });
  await deps.store.appendEvent({
    provisionId: provision.id,
    event: {
      type: 'janitor.orphan_deleted',
      state: provision.state,
      message: `deleted cluster ${orphan.clusterId}, which carried this provision's tag but is not its cluster (${orphan.why})`,
      source: 'service',
      at: deps.clock.now(),
    },
  });
  return {
    ...orphan,
    action: 'reaped',
    detail: result.outcome === 'gone' ? 'ACK had already removed it' : 'DeleteCluster accepted',
  };
};

/**
 * Clusters in ACK that carry our provision tag but that no live provision of ours owns: a dead
 * (failed, cancelled, deleted) provision's, or a duplicate of a provision that owns another. They
 * are listed at once and reaped after the grace period (a dry run only says it would). A cluster
 * whose tag names a provision the store does not know is listed, never touched: it may belong to
 * another installation sharing the account.
 */
const findOrphans = async (
  deps: OrphanDeps,
  settings: OrphanSettings,
): Promise<JanitorOrphan[]> => {
  const regions = new Set([...(await deps.store.listProvisionRegions()), ...settings.extraRegions]);
  const orphans: JanitorOrphan[] = [];
  const seen = new Set<string>();
  for (const regionId of [...regions].sort()) {
    for (const cluster of await listRegion(deps.clusterApi, regionId)) {
      const provisionId = cluster.tags[TAG_PROVISION_ID];
      if (provisionId === undefined || seen.has(cluster.clusterId) || GOING.has(cluster.state)) {
        continue;
      }
      seen.add(cluster.clusterId);
      const provision = PROVISION_ID.test(provisionId)
        ? await deps.store.getProvision({ id: provisionId })
        : null;
      const why = orphanWhy(cluster, provision);
      if (why === undefined) continue;
      const orphan: JanitorOrphan = {
        clusterId: cluster.clusterId,
        regionId: cluster.regionId,
        name: cluster.name,
        provisionId,
        why,
        action: 'listed',
      };
      if (provision === null) {
        orphans.push(orphan);
        continue;
      }
      const reapAt = new Date(
        orphanSince(cluster, provision).getTime() + settings.graceSeconds * 1000,
      );
      if (deps.clock.now() < reapAt) {
        orphans.push({ ...orphan, action: 'waiting', reapAfter: reapAt.toISOString() });
      } else if (settings.dryRun) {
        orphans.push({ ...orphan, action: 'would-reap' });
      } else {
        try {
          orphans.push(await reap(deps, settings, orphan, provision));
        } catch (error) {
          deps.logger.warn('the janitor could not reap an orphan', {
            clusterId: cluster.clusterId,
            code: isDomainError(error) ? error.code : 'UNKNOWN',
            error,
          });
          orphans.push({ ...orphan, action: 'reap-failed', detail: messageOf(error) });
        }
      }
    }
  }
  return orphans;
};

export type { OrphanSettings };
export { findOrphans, orphanWhy };
