import { startChangeTask } from '../change-tasks.js';
import { ackErrors } from '../errors.js';
import { managedClusterOf, poolOf } from '../node-pool-changes.js';
import { integerIn, isRecord, strings, validateInstanceTypes } from '../node-pools.js';
import type { StoredNodePool } from '../types.js';
import type { AckHandler } from './handler.js';

/** The scaling_group fields the emulator changes; any other one is refused (see below). */
const CHANGEABLE = new Set(['desired_size', 'instance_types']);

/**
 * ModifyClusterNodePool `PUT /clusters/{ClusterId}/nodepools/{NodepoolId}` (@alicloud/cs20151215
 * ModifyClusterNodePoolRequest): `scaling_group.desired_size` ("the desired number of nodes in
 * the node pool") and `scaling_group.instance_types` (tried in order when nodes are bought).
 * Answers `{nodepool_id, request_id, task_id}` (ModifyClusterNodePoolResponseBody) with a staged
 * `nodepool_update` task; the pool's nodes follow the new size once it succeeded, and a
 * `fail-task` fault leaves the pool as it was.
 *
 * Stricter than ACK: only those two fields may be sent (ACK takes many more, which this service
 * never sends), at least one of them, and a request that changes nothing is refused (UNVERIFIED:
 * ACK may answer it with a no-op task); desired_size 0–100 and instance types as at creation
 * (node-pools.ts). ScaleClusterNodePool is not served: it only adds nodes ("scales out a node
 * pool by adding nodes", its `count` is the number to add), so it cannot scale a pool down.
 */
const modifyClusterNodePool: AckHandler = (request, context) => {
  const cluster = managedClusterOf(request, context);
  const pool = poolOf(cluster, request.params.NodepoolId ?? '');
  const body = request.body ?? {};
  if (!isRecord(body)) throw ackErrors.invalidParameter('The request body must be a JSON object.');
  const extra = Object.keys(body).filter((key) => key !== 'scaling_group');
  const group = body.scaling_group;
  if (extra.length > 0 || !isRecord(group)) {
    throw ackErrors.invalidParameter(
      `The emulator changes scaling_group.desired_size and instance_types only (got ${[...extra, 'scaling_group'].join(', ')}).`,
    );
  }
  const unknown = Object.keys(group).filter((key) => !CHANGEABLE.has(key));
  if (unknown.length > 0) {
    throw ackErrors.invalidParameter(
      `The emulator does not change scaling_group.${unknown.join(', scaling_group.')}.`,
    );
  }
  const next: StoredNodePool = { ...pool };
  if (group.desired_size !== undefined) {
    next.desiredSize = integerIn(group.desired_size, 'scaling_group.desired_size', 0, 100);
  }
  if (group.instance_types !== undefined) {
    next.instanceTypes = strings(group.instance_types, 'scaling_group.instance_types');
    validateInstanceTypes(next.instanceTypes, 'scaling_group.instance_types');
  }
  if (JSON.stringify(next) === JSON.stringify(pool)) {
    throw ackErrors.invalidParameter(
      `The request changes nothing of node pool ${pool.nodepoolId}.`,
    );
  }
  const task = startChangeTask(context, cluster, {
    taskType: 'nodepool_update',
    stages: ['UpdateScalingGroup', 'ScaleNodes'],
    effect: {
      nodePools: (cluster.nodePools ?? []).map((candidate) =>
        candidate.nodepoolId === pool.nodepoolId ? next : candidate,
      ),
    },
  });
  return {
    status: 200,
    body: { nodepool_id: pool.nodepoolId, request_id: request.requestId, task_id: task.taskId },
  };
};

export { modifyClusterNodePool };
