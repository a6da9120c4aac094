import * as z from 'zod';
import type { ApiApp } from '../../../shared/app/api-app.js';
import { type PoolChange, specAfterPoolChange } from '../../../shared/changes/change-effects.js';
import { changeAcceptedView } from '../../../shared/changes/change-view.js';
import {
  managedOnly,
  type PlanDeps,
  planNodePoolCreate,
  planNodePoolDelete,
  planNodePoolUpdate,
} from '../../../shared/changes/plan-node-pool-change.js';
import { type ChangeRequest, sameChange } from '../../../shared/domain/cluster-change.js';
import { DomainError } from '../../../shared/domain/errors.js';
import {
  MAX_DESIRED_SIZE,
  nodePoolInstanceTypesSchema,
  nodePoolSchema,
} from '../../../shared/domain/node-pool.js';
import type { Provision } from '../../../shared/domain/provision.js';
import { ownTarget } from '../../../shared/http/audit-trail.js';
import { type ApiRoute, defineEndpoint, NO_BODY } from '../../../shared/http/endpoint.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import { NO_QUERY } from '../../../shared/http/query.js';
import { nodePoolView, nodePoolViewSchema } from '../../../shared/provisioning/list-node-pools.js';
import { loadProvision } from '../../../shared/provisioning/load-provision.js';
import { assertPoolChangeWithinQuota } from '../../../shared/tenancy/node-pool-cost-check.js';
import { acceptChange, changeAcceptedResponse } from './change-accepted.js';

/** The pool changes of a managed cluster (issue #17): each one a change like the others. */
const updateNodePoolSchema = z
  .object({
    desiredSize: z
      .number()
      .int()
      .min(0)
      .max(MAX_DESIRED_SIZE)
      .optional()
      .describe('how many nodes the pool keeps: ACK buys or releases nodes to match'),
    instanceTypes: nodePoolInstanceTypesSchema
      .optional()
      .describe('tried in order when a node is bought; offered in the cluster’s zones'),
  })
  .strict()
  .refine(
    (body) => body.desiredSize !== undefined || body.instanceTypes !== undefined,
    'give desiredSize, instanceTypes or both',
  );

const planDeps = async (app: ApiApp): Promise<PlanDeps> => ({
  api: await app.clusterApi(),
  vpc: await app.vpcNetwork(),
});

/**
 * A planned pool change that makes the cluster bill more must fit the tenant's maxMonthlyCost
 * (the spec after it, as the change's success would record it).
 */
const withinQuota = async (
  app: ApiApp,
  provision: Provision,
  change: PoolChange,
): Promise<ChangeRequest> => {
  await assertPoolChangeWithinQuota(app, {
    tenantId: provision.tenantId,
    before: provision.spec,
    after: specAfterPoolChange(provision.spec, change),
  });
  return change;
};

/** The profile first: a serverless cluster is told it has no pools whatever its state. */
const loadManaged = async (app: ApiApp, tenantId: string, id: string) => {
  const provision = await loadProvision(app.store, { tenantId, id });
  managedOnly(provision);
  return provision;
};

const clusterNodePoolRoutes: ApiRoute<ApiApp>[] = [
  defineEndpoint({
    method: 'POST',
    path: '/v1/clusters/{id}/node-pools',
    audit: { action: 'node_pool.create', subject: ownTarget('cluster') },
    doc: {
      operationId: 'createClusterNodePool',
      summary: 'Add a node pool to a managed cluster',
      description:
        "ACK's CreateClusterNodePool in the cluster's vSwitches. The name must be new in the " +
        'cluster (409 naming `name`), the instance types offered in its zones (GET ' +
        '/v1/options; 400 naming `instanceTypes`); a serverless cluster has no pools (409 naming ' +
        '`profile`). A change like the others: 202 with the change, the cluster `updating` ' +
        "while ACK's task buys the nodes (its stages in the timeline), then `running` with the " +
        'pool in `spec.nodePools` and `cluster.updated`, or `cluster.update_failed` with the reason.',
      tag: 'clusters',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: nodePoolSchema,
      bodyName: 'CreateNodePoolRequest',
      responses: {
        202: changeAcceptedResponse('the pool is being created: the cluster and the change'),
      },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT', 'TENANT_QUOTA_EXCEEDED'],
    },
    handle: async ({ app, principal, params, body }) => {
      const pool = body();
      const id = params.id ?? '';
      const current = await loadManaged(app, principal.tenantId, id);
      // The same pool asked for again while it is being created: ACK already lists it, so the
      // plan would call its name taken. Answer the open change instead (idempotent).
      if (current.state === 'updating') {
        const open = await app.store.getOpenChange({ provisionId: current.id });
        if (open !== null && sameChange(open, { kind: 'node-pool-create', params: pool })) {
          return jsonResponse(202, changeAcceptedView(current, open));
        }
      }
      const deps = await planDeps(app);
      return acceptChange(app, {
        tenantId: principal.tenantId,
        id,
        plan: async (provision) =>
          withinQuota(app, provision, await planNodePoolCreate(deps, provision, pool)),
      });
    },
  }),
  defineEndpoint({
    method: 'PATCH',
    path: '/v1/clusters/{id}/node-pools/{poolId}',
    audit: { action: 'node_pool.update', subject: ownTarget('cluster') },
    doc: {
      operationId: 'updateClusterNodePool',
      summary: 'Scale a node pool or change its instance types',
      description:
        "ACK's ModifyClusterNodePool (`scaling_group.desired_size`, `instance_types`; " +
        'ScaleClusterNodePool only adds nodes). `poolId` is ACK’s id (np-…) or the pool’s name; ' +
        'an unknown one is a 404. Asking for what the pool already has is a plain 200 with the ' +
        'pool. Otherwise a change like the others: 202, the cluster `updating` while the nodes ' +
        'follow the new size, then `cluster.updated` or `cluster.update_failed`.',
      tag: 'clusters',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: updateNodePoolSchema,
      bodyName: 'UpdateNodePoolRequest',
      bodyMediaTypes: ['application/merge-patch+json', 'application/json'],
      responses: {
        200: {
          description: 'the pool, already as asked',
          schema: nodePoolViewSchema,
          name: 'NodePool',
        },
        202: changeAcceptedResponse('the pool is being changed: the cluster and the change'),
      },
      errors: ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT', 'TENANT_QUOTA_EXCEEDED'],
    },
    handle: async ({ app, principal, params, body }) => {
      const wanted = body();
      const id = params.id ?? '';
      const ref = params.poolId ?? '';
      const current = await loadManaged(app, principal.tenantId, id);
      const deps = await planDeps(app);
      if (current.state === 'running') {
        const planned = await planNodePoolUpdate(deps, current, ref, wanted);
        if (planned.change === null) return jsonResponse(200, nodePoolView(planned.pool));
      }
      return acceptChange(app, {
        tenantId: principal.tenantId,
        id,
        plan: async (provision) => {
          const { change } = await planNodePoolUpdate(deps, provision, ref, wanted);
          if (change === null) {
            throw new DomainError('CONFLICT', `node pool ${ref} already is as asked`);
          }
          return withinQuota(app, provision, change);
        },
      });
    },
  }),
  defineEndpoint({
    method: 'DELETE',
    path: '/v1/clusters/{id}/node-pools/{poolId}',
    audit: { action: 'node_pool.delete', subject: ownTarget('cluster') },
    doc: {
      operationId: 'deleteClusterNodePool',
      summary: 'Delete a node pool and its nodes',
      description:
        "ACK's DeleteClusterNodepool with `force`: the pool's nodes are released with it (their " +
        'pods are evicted). `poolId` is ACK’s id (np-…) or the pool’s name; an unknown one is a ' +
        '404. A change like the others: 202, the cluster `updating` while the nodes go, then ' +
        '`cluster.updated` or `cluster.update_failed`.',
      tag: 'clusters',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        202: changeAcceptedResponse('the pool is being deleted: the cluster and the change'),
      },
      errors: ['NOT_FOUND', 'CONFLICT'],
    },
    handle: async ({ app, principal, params }) => {
      const id = params.id ?? '';
      const ref = params.poolId ?? '';
      await loadManaged(app, principal.tenantId, id);
      const deps = await planDeps(app);
      return acceptChange(app, {
        tenantId: principal.tenantId,
        id,
        plan: (provision) => planNodePoolDelete(deps, provision, ref),
      });
    },
  }),
];

export { clusterNodePoolRoutes };
