import * as z from 'zod';
import { AckError } from '../ack/ack-error.js';
import type { AckNodePool, ClusterApi } from '../ack/cluster-api.port.js';
import type { Provision } from '../domain/provision.js';
import type { ProvisionStore } from '../store/provision.port.js';
import { loadProvision } from './load-provision.js';

/**
 * `GET /v1/clusters/{id}/node-pools`: a managed cluster's pools as ACK reports them
 * (DescribeClusterNodePools). Before ACK has the cluster, and after it is gone, the pools are
 * those the create asked for, with no id, state or nodes. A serverless cluster has none.
 */
const nodePoolViewSchema = z.object({
  name: z.string(),
  nodePoolId: z.string().nullable().describe("ACK's id; null until ACK has the cluster"),
  instanceTypes: z.array(z.string()),
  desiredSize: z.number().int().nullable(),
  systemDisk: z.object({ category: z.string().nullable(), size: z.number().int().nullable() }),
  state: z
    .string()
    .nullable()
    .describe("ACK's pool state (active, scaling, removing, deleting, updating); null: not at ACK"),
  nodes: z.object({
    total: z.number().int(),
    healthy: z.number().int(),
    serving: z.number().int(),
  }),
});

const nodePoolListSchema = z.object({
  profile: z.enum(['serverless', 'managed']),
  items: z.array(nodePoolViewSchema),
});

type NodePoolView = z.infer<typeof nodePoolViewSchema>;
type NodePoolList = z.infer<typeof nodePoolListSchema>;

/** One pool as ACK reports it, in our words. */
const nodePoolView = (pool: AckNodePool): NodePoolView => ({
  name: pool.name,
  nodePoolId: pool.nodePoolId || null,
  instanceTypes: pool.instanceTypes,
  desiredSize: pool.desiredSize,
  systemDisk: { category: pool.systemDiskCategory, size: pool.systemDiskSize },
  state: pool.state || null,
  nodes: { total: pool.totalNodes, healthy: pool.healthyNodes, serving: pool.servingNodes },
});

const fromSpec = (provision: Provision): NodePoolView[] =>
  (provision.spec.nodePools ?? []).map((pool) => ({
    name: pool.name,
    nodePoolId: null,
    instanceTypes: pool.instanceTypes,
    desiredSize: pool.desiredSize,
    systemDisk: { category: pool.systemDisk.category, size: pool.systemDisk.size },
    state: null,
    nodes: { total: 0, healthy: 0, serving: 0 },
  }));

const listNodePools = async (
  deps: { store: ProvisionStore; clusterApi: () => Promise<ClusterApi> },
  input: { tenantId: string; provisionId: string },
): Promise<NodePoolList> => {
  const provision = await loadProvision(deps.store, {
    tenantId: input.tenantId,
    id: input.provisionId,
  });
  const profile = provision.spec.profile;
  if (profile !== 'managed') return { profile, items: [] };
  const clusterId = provision.clusterId;
  if (clusterId === null || provision.state === 'deleted') {
    return { profile, items: fromSpec(provision) };
  }
  const api = await deps.clusterApi();
  try {
    const pools = await api.listNodePools({ clusterId, regionId: provision.region });
    return { profile, items: pools.map(nodePoolView) };
  } catch (error) {
    // Deleted at ACK before our row says so: the pools went with it.
    if (error instanceof AckError && error.code === 'ACK_NOT_FOUND') {
      return { profile, items: fromSpec(provision) };
    }
    throw error;
  }
};

export type { NodePoolList, NodePoolView };
export { listNodePools, nodePoolListSchema, nodePoolView, nodePoolViewSchema };
