import { ackErrors } from './errors.js';
import { newResourceId } from './ids.js';
import type { StoredCluster, StoredNodePool } from './types.js';

/**
 * CreateCluster `nodepools` for an ACK managed cluster (cluster_type ManagedKubernetes, profile
 * Default), validated by what the Nodepool and CreateClusterNodePoolRequest docs in
 * @alicloud/cs20151215 say, and stricter where they are silent:
 * - nodepool_info.name "is required"; unique within the cluster (UNVERIFIED, strict).
 * - scaling_group.instance_types "is required", 1 to 10 types (CreateClusterNodePoolRequest);
 *   each must be a type the emulated account offers (UNVERIFIED code: InvalidParameter here).
 * - scaling_group.vswitch_ids "is required"; each must be one of the cluster's vSwitches.
 * - scaling_group.system_disk_size: [40, 500] GiB (Nodepool doc; CreateClusterNodePool documents
 *   [20, 2048], the emulator keeps the stricter one). Category: the five documented values,
 *   default cloud_efficiency (Nodepool doc).
 * - scaling_group.desired_size: required here (ACK documents no default), 0 to 100 (the range of
 *   the num_of_nodes field it replaced; UNVERIFIED).
 * - A managed cluster without pools is refused (UNVERIFIED: ACK may create one with none).
 */

/** The ECS instance types the emulated account may buy, in every emulated zone (our choice). */
const EMULATED_INSTANCE_TYPES: readonly string[] = [
  'ecs.g7.large',
  'ecs.g7.xlarge',
  'ecs.c7.large',
  'ecs.c7.xlarge',
  'ecs.r7.large',
];

const DISK_CATEGORIES = [
  'cloud_efficiency',
  'cloud_ssd',
  'cloud_essd',
  'cloud_auto',
  'cloud_essd_entry',
];

type Body = Record<string, unknown>;

const isRecord = (value: unknown): value is Body =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const integerIn = (value: unknown, field: string, min: number, max: number): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw ackErrors.invalidParameter(`${field} must be an integer from ${min} to ${max}.`);
  }
  return value;
};

const strings = (value: unknown, field: string): string[] => {
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string' || entry === '')) {
    throw ackErrors.invalidParameter(`${field} is required: an array of strings.`);
  }
  return value as string[];
};

type NodePoolSpec = Omit<StoredNodePool, 'nodepoolId'>;

/** 1 to 10 types, each one the emulated account may buy (UNVERIFIED code: InvalidParameter). */
const validateInstanceTypes = (instanceTypes: string[], field: string): void => {
  if (instanceTypes.length < 1 || instanceTypes.length > 10) {
    throw ackErrors.invalidParameter(`${field} takes 1 to 10 types.`);
  }
  for (const type of instanceTypes) {
    if (!EMULATED_INSTANCE_TYPES.includes(type)) {
      throw ackErrors.invalidParameter(`${field}: instance type ${type} is not available.`);
    }
  }
};

/** One pool (`{nodepool_info, scaling_group}`); `at` names it in messages, e.g. `nodepools[0]`. */
const validateNodePool = (entry: unknown, at: string, clusterVswitches: string[]): NodePoolSpec => {
  if (!isRecord(entry) || !isRecord(entry.nodepool_info) || !isRecord(entry.scaling_group)) {
    throw ackErrors.invalidParameter(`${at} needs nodepool_info and scaling_group.`);
  }
  const name = entry.nodepool_info.name;
  if (typeof name !== 'string' || name === '') {
    throw ackErrors.invalidParameter(`${at}.nodepool_info.name is required.`);
  }
  const group = entry.scaling_group;
  const instanceTypes = strings(group.instance_types, `${at}.scaling_group.instance_types`);
  validateInstanceTypes(instanceTypes, `${at}.scaling_group.instance_types`);
  const vswitchIds = strings(group.vswitch_ids, `${at}.scaling_group.vswitch_ids`);
  if (vswitchIds.length === 0) {
    throw ackErrors.invalidParameter(`${at}.scaling_group.vswitch_ids is required.`);
  }
  for (const id of vswitchIds) {
    if (!clusterVswitches.includes(id)) {
      throw ackErrors.invalidParameter(`${at}: vSwitch ${id} is not a vSwitch of the cluster.`);
    }
  }
  const category = group.system_disk_category ?? 'cloud_efficiency';
  if (typeof category !== 'string' || !DISK_CATEGORIES.includes(category)) {
    throw ackErrors.invalidParameter(
      `${at}.scaling_group.system_disk_category must be one of ${DISK_CATEGORIES.join(', ')}.`,
    );
  }
  const spec: NodePoolSpec = {
    name,
    instanceTypes,
    desiredSize: integerIn(group.desired_size, `${at}.scaling_group.desired_size`, 0, 100),
    systemDiskCategory: category,
    systemDiskSize: integerIn(
      group.system_disk_size,
      `${at}.scaling_group.system_disk_size`,
      40,
      500,
    ),
    vswitchIds,
  };
  return spec;
};

/** The pools of a managed cluster's CreateCluster body, with ids; refused when absent. */
const validateNodePools = (value: unknown, clusterVswitches: string[]): StoredNodePool[] => {
  if (!Array.isArray(value) || value.length === 0) {
    throw ackErrors.invalidParameter(
      'nodepools is required for a managed cluster (the emulator creates no cluster without nodes).',
    );
  }
  const pools = value.map((entry, index) =>
    validateNodePool(entry, `nodepools[${index}]`, clusterVswitches),
  );
  const names = new Set(pools.map((pool) => pool.name));
  if (names.size !== pools.length) {
    throw ackErrors.invalidParameter('nodepools: each pool needs a name of its own.');
  }
  return pools.map((pool) => ({ ...pool, nodepoolId: newResourceId('np') }));
};

/**
 * What a running pool task (CreateClusterNodePool, ModifyClusterNodePool, DeleteClusterNodepool)
 * is doing to a pool: `creating` (not at ACK until the task succeeds, shown with no nodes),
 * `scaling` or `removing` (more or fewer nodes), `updating` (other settings), `deleting`.
 */
type PoolChange = 'creating' | 'scaling' | 'removing' | 'updating' | 'deleting';

/**
 * A pool as DescribeClusterNodePools shows it. Its nodes exist once the cluster's create task has
 * succeeded (`initial` nodes before) and follow its desired size once a change task succeeded;
 * they go with the cluster, whose deletion releases them (pay-as-you-go nodes; ACK keeps
 * subscription ECS instances, which this service never buys).
 */
const renderNodePool = (
  cluster: StoredCluster,
  pool: StoredNodePool,
  state: string,
  change?: PoolChange,
) => {
  const deleting = state === 'deleting';
  const ready = state === 'running';
  const nodes = ready && change !== 'creating' ? pool.desiredSize : 0;
  const poolState = deleting
    ? 'deleting'
    : !ready
      ? 'scaling'
      : change === undefined
        ? 'active'
        : change === 'creating'
          ? 'scaling'
          : change;
  return {
    nodepool_info: {
      nodepool_id: pool.nodepoolId,
      name: pool.name,
      type: 'ess',
      region_id: cluster.regionId,
      resource_group_id: cluster.resourceGroupId,
    },
    scaling_group: {
      instance_types: pool.instanceTypes,
      desired_size: pool.desiredSize,
      system_disk_category: pool.systemDiskCategory,
      system_disk_size: pool.systemDiskSize,
      vswitch_ids: pool.vswitchIds,
      instance_charge_type: 'PostPaid',
    },
    status: {
      state: poolState,
      total_nodes: nodes,
      healthy_nodes: nodes,
      serving_nodes: nodes,
      initial_nodes: state === 'initial' || (ready && change === 'creating') ? pool.desiredSize : 0,
      failed_nodes: state === 'failed' ? pool.desiredSize : 0,
      offline_nodes: 0,
      removing_nodes: 0,
    },
  };
};

export type { NodePoolSpec, PoolChange };
export {
  EMULATED_INSTANCE_TYPES,
  integerIn,
  isRecord,
  renderNodePool,
  strings,
  validateInstanceTypes,
  validateNodePool,
  validateNodePools,
};
