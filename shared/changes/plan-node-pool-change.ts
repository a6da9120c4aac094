import type { AckNodePool, ClusterApi } from '../ack/cluster-api.port.js';
import type { ChangeRequest } from '../domain/cluster-change.js';
import { DomainError } from '../domain/errors.js';
import { instanceTypesIn } from '../domain/instance-types.js';
import { MAX_NODE_POOLS, type NodePool } from '../domain/node-pool.js';
import type { Provision } from '../domain/provision.js';
import type { VpcNetworkApi } from '../vpc/vpc-network.port.js';

/**
 * The node pool changes (`POST/PATCH/DELETE /v1/clusters/{id}/node-pools…`), checked before
 * anything is written, so a refused request never puts the cluster into `updating`:
 * - only a managed cluster has pools (a serverless one: 409 naming `profile`);
 * - the pool named in the path is one ACK lists for the cluster (DescribeClusterNodePools), by
 *   ACK's id or by its name; any other: 404;
 * - a new pool's name is not taken (409 naming `name`), and a cluster has at most MAX_NODE_POOLS;
 * - instance types must be offered in a zone of the cluster's vSwitches (`GET /v1/options`).
 * Sizes and the other bounds are the request schema's (domain/node-pool.ts). The pools are read
 * from ACK each time, so the same scale or delete again while its task runs plans the same change
 * (ACK shows the pool as it was until the task succeeded): idempotent, like every change.
 */

interface PlanDeps {
  api: ClusterApi;
  vpc: VpcNetworkApi;
}

const managedOnly = (provision: Provision): void => {
  if (provision.spec.profile !== 'managed') {
    throw new DomainError(
      'CONFLICT',
      `profile: cluster ${provision.id} is ${provision.spec.profile}: only a managed cluster has node pools`,
      { field: 'profile' },
    );
  }
};

const poolsAtAck = async (api: ClusterApi, provision: Provision): Promise<AckNodePool[]> => {
  managedOnly(provision);
  if (provision.clusterId === null) {
    throw new DomainError(
      'CONFLICT',
      `cluster ${provision.id} is ${provision.state}: only a running cluster can be changed`,
    );
  }
  return api.listNodePools({ clusterId: provision.clusterId, regionId: provision.region });
};

/** The pool the path names: ACK's id (np-…) or the pool's name. */
const findPool = (pools: AckNodePool[], provision: Provision, ref: string): AckNodePool => {
  const pool =
    pools.find((candidate) => candidate.nodePoolId === ref) ??
    pools.find((candidate) => candidate.name === ref);
  if (pool === undefined) {
    throw new DomainError('NOT_FOUND', `cluster ${provision.id} has no node pool ${ref}`);
  }
  return pool;
};

/**
 * The zones of the cluster's vSwitches (the VPC API), where its pools' nodes go. A vSwitch the
 * VPC API does not know adds none; no zone known at all leaves the region's zones to decide.
 */
const zonesOf = async (vpc: VpcNetworkApi, provision: Provision): Promise<string[]> => {
  const network = provision.spec.network;
  if (network === 'auto') return [];
  const found = await Promise.all(
    network.vswitchIds.map((vswitchId) =>
      vpc.findVswitch({ regionId: provision.region, vswitchId }),
    ),
  );
  return [...new Set(found.flatMap((vswitch) => (vswitch === null ? [] : [vswitch.zoneId])))];
};

const assertOffered = async (
  vpc: VpcNetworkApi,
  provision: Provision,
  instanceTypes: readonly string[],
): Promise<void> => {
  const zones = await zonesOf(vpc, provision);
  // No zone known: the request schema has checked that the region offers the types.
  if (zones.length === 0) return;
  const offered = new Set(
    zones.flatMap((zone) => instanceTypesIn(provision.region, zone).map((type) => type.id)),
  );
  const missing = instanceTypes.filter((type) => !offered.has(type));
  if (missing.length === 0) return;
  throw new DomainError(
    'VALIDATION_FAILED',
    `instanceTypes: ${missing.join(', ')} not offered in the cluster's zones ` +
      `(${zones.join(', ')}): GET /v1/options lists them`,
    { field: 'instanceTypes' },
  );
};

const planNodePoolCreate = async (
  deps: PlanDeps,
  provision: Provision,
  pool: NodePool,
): Promise<ChangeRequest> => {
  const pools = await poolsAtAck(deps.api, provision);
  // ACK lists a pool it is creating, so the same request again while that change is open is
  // answered by the route before planning (sameOpenChange); here a listed name is taken.
  if (pools.some((candidate) => candidate.name === pool.name)) {
    throw new DomainError(
      'CONFLICT',
      `name: cluster ${provision.id} already has a node pool named ${pool.name}`,
      { field: 'name' },
    );
  }
  if (pools.length >= MAX_NODE_POOLS) {
    throw new DomainError(
      'CONFLICT',
      `cluster ${provision.id} has ${pools.length} node pools, the most this service creates`,
    );
  }
  await assertOffered(deps.vpc, provision, pool.instanceTypes);
  return { kind: 'node-pool-create', params: pool };
};

/** `change: null`: the pool already is as asked (the route answers 200 with it). */
const planNodePoolUpdate = async (
  deps: PlanDeps,
  provision: Provision,
  ref: string,
  wanted: { desiredSize?: number | undefined; instanceTypes?: string[] | undefined },
): Promise<{ pool: AckNodePool; change: ChangeRequest | null }> => {
  const pool = findPool(await poolsAtAck(deps.api, provision), provision, ref);
  const desiredSize =
    wanted.desiredSize === undefined || wanted.desiredSize === pool.desiredSize
      ? undefined
      : wanted.desiredSize;
  const instanceTypes =
    wanted.instanceTypes === undefined ||
    JSON.stringify(wanted.instanceTypes) === JSON.stringify(pool.instanceTypes)
      ? undefined
      : wanted.instanceTypes;
  if (desiredSize === undefined && instanceTypes === undefined) return { pool, change: null };
  if (instanceTypes !== undefined) await assertOffered(deps.vpc, provision, instanceTypes);
  const params = {
    nodePoolId: pool.nodePoolId,
    name: pool.name,
    ...(desiredSize === undefined ? {} : { desiredSize }),
    ...(instanceTypes === undefined ? {} : { instanceTypes }),
  };
  return { pool, change: { kind: 'node-pool-update', params } };
};

const planNodePoolDelete = async (
  deps: PlanDeps,
  provision: Provision,
  ref: string,
): Promise<ChangeRequest> => {
  const pool = findPool(await poolsAtAck(deps.api, provision), provision, ref);
  return { kind: 'node-pool-delete', params: { nodePoolId: pool.nodePoolId, name: pool.name } };
};

export type { PlanDeps };
export { findPool, managedOnly, planNodePoolCreate, planNodePoolDelete, planNodePoolUpdate };
