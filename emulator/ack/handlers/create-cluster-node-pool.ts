import { startChangeTask } from '../change-tasks.js';
import { ackErrors } from '../errors.js';
import { newResourceId } from '../ids.js';
import { managedClusterOf, poolsAt } from '../node-pool-changes.js';
import { validateNodePool } from '../node-pools.js';
import type { StoredNodePool } from '../types.js';
import type { AckHandler } from './handler.js';

/**
 * CreateClusterNodePool `POST /clusters/{ClusterId}/nodepools` (@alicloud/cs20151215
 * CreateClusterNodePoolRequest: `nodepool_info.name`, `scaling_group` with `instance_types` (1 to
 * 10, required), `vswitch_ids` (required), `desired_size`, `system_disk_*`). Answers
 * `{nodepool_id, request_id, task_id}` (CreateClusterNodePoolResponseBody) with a staged
 * `nodepool_create` task: the pool shows as `scaling` with no nodes while it runs and as `active`
 * with `desired_size` nodes once it succeeded; a `fail-task` fault fails it and no pool is left.
 *
 * Stricter than ACK where ACK is not documented: the pool is validated as a CreateCluster pool is
 * (node-pools.ts: desired_size required and 0–100, system disk 40–500 GiB where this call
 * documents 20–2048, its vSwitches the cluster's), its name must be unique in the cluster
 * (UNVERIFIED), the cluster must be a running managed one and busy with no other change task.
 * The task type and stage names are the emulator's own (UNVERIFIED).
 */
const createClusterNodePool: AckHandler = (request, context) => {
  const cluster = managedClusterOf(request, context);
  const spec = validateNodePool(request.body, 'nodepool', cluster.vswitchIds);
  const pools = poolsAt(context.store, cluster, context.now()).map(({ pool }) => pool);
  if (pools.some((pool) => pool.name === spec.name)) {
    throw ackErrors.invalidParameter(
      `nodepool_info.name: the cluster already has a node pool named ${spec.name}.`,
    );
  }
  const pool: StoredNodePool = { ...spec, nodepoolId: newResourceId('np') };
  const task = startChangeTask(context, cluster, {
    taskType: 'nodepool_create',
    stages: ['CreateScalingGroup', 'ScaleOutNodes', 'JoinNodes'],
    effect: { nodePools: [...(cluster.nodePools ?? []), pool] },
  });
  return {
    status: 200,
    body: { nodepool_id: pool.nodepoolId, request_id: request.requestId, task_id: task.taskId },
  };
};

export { createClusterNodePool };
