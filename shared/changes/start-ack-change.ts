import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { ClusterChange } from '../domain/cluster-change.js';
import type { ClusterSpec } from '../domain/cluster-spec.js';
import { startAddonChange } from './start-addon-change.js';

/**
 * Asks ACK to carry out a change; answers ACK's task id, or `null` when ACK does it in the call
 * itself (nothing to follow). Every call here is safe to repeat: a worker that died after ACK
 * accepted but before the task id was recorded asks again on the redelivery, and asking for the
 * state the cluster is already in ends where the first call did.
 */
const startAckChange = async (
  api: ClusterApi,
  target: { clusterId: string; regionId: string },
  change: ClusterChange,
  spec: ClusterSpec,
): Promise<{ taskId: string | null }> => {
  switch (change.kind) {
    case 'endpoint-access': {
      const result = await api.modifyCluster({ ...target, apiServerEip: change.params.enabled });
      return { taskId: result.taskId };
    }
    case 'upgrade': {
      const result = await api.upgradeCluster({
        ...target,
        nextVersion: change.params.kubernetesVersion,
      });
      return { taskId: result.taskId };
    }
    case 'kubeconfig-revoke':
      await api.revokeKubeconfig(target);
      return { taskId: null };
    case 'addon-install':
    case 'addon-upgrade':
    case 'addon-config':
    case 'addon-uninstall':
      return startAddonChange(api, target, change);
    case 'node-pool-create': {
      const pool = change.params;
      const result = await api.createNodePool({
        ...target,
        pool: {
          name: pool.name,
          instanceTypes: pool.instanceTypes,
          desiredSize: pool.desiredSize,
          systemDiskCategory: pool.systemDisk.category,
          systemDiskSize: pool.systemDisk.size,
          // Like the create's pools: in the cluster's own vSwitches (a managed cluster has them).
          vswitchIds: spec.network === 'auto' ? [] : spec.network.vswitchIds,
        },
      });
      return { taskId: result.taskId };
    }
    case 'node-pool-update': {
      const { nodePoolId, desiredSize, instanceTypes } = change.params;
      const result = await api.modifyNodePool({
        ...target,
        nodePoolId,
        ...(desiredSize === undefined ? {} : { desiredSize }),
        ...(instanceTypes === undefined ? {} : { instanceTypes }),
      });
      return { taskId: result.taskId };
    }
    case 'node-pool-delete': {
      const result = await api.deleteNodePool({ ...target, nodePoolId: change.params.nodePoolId });
      return { taskId: result.taskId };
    }
  }
};

export { startAckChange };
