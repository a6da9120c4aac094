import type { ClusterApi } from '../ack/cluster-api.port.js';
import type { ChangeRequest, ClusterChange } from '../domain/cluster-change.js';
import type { ClusterSpec } from '../domain/cluster-spec.js';
import type { ClusterEndpoints, Provision } from '../domain/provision.js';

/** What a provision records once a change succeeded: its spec, and what ACK now reports. */
interface ChangeEffects {
  spec?: ClusterSpec;
  endpoints?: ClusterEndpoints;
}

type PoolChange = Extract<
  ChangeRequest,
  { kind: 'node-pool-create' | 'node-pool-update' | 'node-pool-delete' }
>;

/**
 * The spec once a node pool change succeeded. It keeps the pools as asked for: a GET
 * …/node-pools shows them when ACK cannot (the cluster deleted), a template or a copy of the
 * spec makes the cluster as it now is, and the tenant's cost quota prices it (a pool change is
 * priced on it before it is started, node-pool-cost-check.ts).
 */
const specAfterPoolChange = (spec: ClusterSpec, change: PoolChange): ClusterSpec => {
  const pools = spec.nodePools ?? [];
  switch (change.kind) {
    case 'node-pool-create':
      return { ...spec, nodePools: [...pools, change.params] };
    case 'node-pool-update': {
      const { name, desiredSize, instanceTypes } = change.params;
      const nodePools = pools.map((pool) =>
        pool.name !== name
          ? pool
          : {
              ...pool,
              ...(desiredSize === undefined ? {} : { desiredSize }),
              ...(instanceTypes === undefined ? {} : { instanceTypes }),
            },
      );
      return { ...spec, nodePools };
    }
    case 'node-pool-delete':
      return { ...spec, nodePools: pools.filter((pool) => pool.name !== change.params.name) };
  }
};

/**
 * The provision after a successful change. The spec says what the caller asked for (so a later
 * GET and a kubeconfig request follow it); the endpoints are read back from ACK, which is the only
 * one that knows the public address the EIP gave the API server. A failed read keeps the old
 * endpoints: the change did happen, and the next read shows them.
 */
const changeEffects = async (
  api: ClusterApi,
  provision: Provision,
  change: ClusterChange,
): Promise<ChangeEffects> => {
  switch (change.kind) {
    case 'endpoint-access': {
      const spec = { ...provision.spec, endpointPublicAccess: change.params.enabled };
      const cluster = provision.clusterId
        ? await api
            .describeCluster({ clusterId: provision.clusterId, regionId: provision.region })
            .catch(() => null)
        : null;
      return cluster ? { spec, endpoints: cluster.endpoints } : { spec };
    }
    case 'upgrade':
      return { spec: { ...provision.spec, kubernetesVersion: change.params.kubernetesVersion } };
    case 'node-pool-create':
    case 'node-pool-update':
    case 'node-pool-delete':
      return { spec: specAfterPoolChange(provision.spec, change) };
    default:
      // Addons are read live from ACK (GET …/addons); a revocation changes nothing we keep.
      return {};
  }
};

export type { ChangeEffects, PoolChange };
export { changeEffects, specAfterPoolChange };
