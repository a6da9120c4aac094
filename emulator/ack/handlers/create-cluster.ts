import { offeredAddonVersion } from '../catalog.js';
import { ackErrors } from '../errors.js';
import { newClusterId, newResourceId, newTaskId } from '../ids.js';
import { clusterStateAt } from '../lifecycle.js';
import type { StoredCluster } from '../types.js';
import { validateCreateCluster } from '../validators.js';
import type { AckHandler } from './handler.js';

/**
 * CreateCluster `POST /clusters`. ACK answers at once with the cluster and task ids; the cluster
 * starts `initial` and the work happens behind the task.
 *
 * Quirks kept on purpose:
 * - No idempotency token: the same request twice creates two clusters. Whether real ACK lets two
 *   clusters share a name in one region is UNVERIFIED (Terraform handles an
 *   ErrorClusterNameAlreadyExist code, but only when renaming edge clusters); the emulator allows
 *   it, the harder case for callers, who must find a lost creation by name and tags themselves.
 * - The ASK cluster quota counts every cluster of the region that is not yet deleted, including
 *   failed and deleting ones (UNVERIFIED, but it is what makes leftovers block new creations).
 */

/**
 * The roles a creation itself needs (UNVERIFIED: which roles ACK checks at request time is not
 * documented; these are the ones user reports show failing CreateCluster). ACK answers
 * EntityNotExist.Role for its own roles (terraform-provider-alicloud#149) and
 * EntityNotExist.AliyunECIContainerGroupRole for ECI's (#2565).
 */
const ROLES_NEEDED_TO_CREATE = [
  'AliyunCSDefaultRole',
  'AliyunCSServerlessKubernetesRole',
  'AliyunECIContainerGroupRole',
];

const checkRoles = (granted: ReadonlySet<string>): void => {
  const missing = ROLES_NEEDED_TO_CREATE.find((role) => !granted.has(role));
  if (missing === undefined) return;
  throw ackErrors.roleNotExist(missing);
};

const createCluster: AckHandler = (request, context) => {
  const spec = validateCreateCluster(request.body);
  checkRoles(context.grantedRoles);
  const now = context.now();
  const live = context.store
    .allClusters()
    .filter(
      (cluster) => cluster.regionId === spec.regionId && clusterStateAt(cluster, now) !== 'deleted',
    );
  if (live.length >= context.askClusterQuota) {
    throw ackErrors.clusterQuotaExceeded(context.askClusterQuota, spec.regionId);
  }
  // Decided now and stored, so the outcome survives a restart with other fault settings.
  const failReason = context.creationFailure(spec.name);
  const clusterId = newClusterId();
  const taskId = newTaskId();
  const cluster: StoredCluster = {
    clusterId,
    seq: context.store.takeSeq(),
    name: spec.name,
    regionId: spec.regionId,
    clusterType: spec.clusterType,
    profile: spec.profile,
    clusterSpec: spec.clusterSpec,
    kubernetesVersion: spec.kubernetesVersion,
    // Without vpcid ACK creates a VPC and a vSwitch for the cluster.
    vpcId: spec.vpcId ?? newResourceId('vpc'),
    vswitchIds: spec.vpcId === null ? [newResourceId('vsw')] : spec.vswitchIds,
    zoneId: spec.zoneId,
    serviceCidr: spec.serviceCidr,
    endpointPublicAccess: spec.endpointPublicAccess,
    snatEntry: spec.snatEntry,
    deletionProtection: spec.deletionProtection,
    tags: spec.tags,
    // An addon named without a version gets the one the catalog offers for the cluster's version
    // (ListClusterAddonInstances reports a version for every installed addon).
    addons: spec.addons.map((addon) => ({
      ...addon,
      version:
        addon.version ??
        offeredAddonVersion(spec.regionId, spec.kubernetesVersion, addon.name) ??
        'unknown',
    })),
    ...(spec.nodePools.length === 0 ? {} : { nodePools: spec.nodePools }),
    timezone: spec.timezone,
    resourceGroupId: 'rg-emudefault',
    securityGroupId: newResourceId('sg'),
    createTaskId: taskId,
    createdAt: now,
    readyAt: now + context.timing.createMs,
    fails: failReason !== undefined,
    ...(failReason === undefined ? {} : { failReason }),
    deleteTaskId: null,
    deleteRequestedAt: null,
    deletedAt: null,
  };
  context.store.save({
    clusters: [cluster],
    tasks: [{ taskId, clusterId, taskType: 'cluster_create', createdAt: now }],
  });
  return {
    status: 200,
    body: { cluster_id: clusterId, request_id: request.requestId, task_id: taskId },
  };
};

export { createCluster };
