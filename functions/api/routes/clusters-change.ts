import type { ApiApp } from '../../../shared/app/api-app.js';
import { ownTarget } from '../../../shared/http/audit-trail.js';
import { type ApiRoute, defineEndpoint, NO_BODY } from '../../../shared/http/endpoint.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import { NO_QUERY } from '../../../shared/http/query.js';
import { loadProvision } from '../../../shared/provisioning/load-provision.js';
import { clusterViewSchema, provisionView } from '../../../shared/provisioning/provision-view.js';
import { requestDeletion } from '../../../shared/provisioning/request-deletion.js';
import { syncClusterSettings } from '../../../shared/provisioning/sync-cluster-settings.js';
import { updateProvision } from '../../../shared/provisioning/update-provision.js';
import { updateClusterRequestSchema } from '../../../shared/provisioning/update-request.js';
import { acceptChange, changeAcceptedResponse } from './change-accepted.js';

const clusterChangeRoutes: ApiRoute<ApiApp>[] = [
  defineEndpoint({
    method: 'PATCH',
    path: '/v1/clusters/{id}',
    audit: { action: 'cluster.update', subject: ownTarget('cluster') },
    doc: {
      operationId: 'updateCluster',
      summary: 'Change a cluster',
      description:
        'JSON merge patch: name, deletionProtection, ttl (from now) or expiresAt, labels ' +
        '(replaced as a whole). Fields left out stay; null clears the expiry or the labels. ' +
        'A cluster being deleted, deleted or cancelled cannot be changed (409). ' +
        '`endpointPublicAccess` is a change ACK carries out in a task: the other fields are ' +
        'applied first, then the answer is 202 with the change while the cluster is `updating` ' +
        '(the same request again answers the same change; another change meanwhile is a 409), ' +
        'ending in `cluster.updated` or `cluster.update_failed`. Asking for what the cluster ' +
        'already has is a plain 200.',
      tag: 'clusters',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: updateClusterRequestSchema,
      bodyName: 'UpdateClusterRequest',
      bodyMediaTypes: ['application/merge-patch+json', 'application/json'],
      responses: {
        200: { description: 'the changed cluster', schema: clusterViewSchema, name: 'Cluster' },
        202: changeAcceptedResponse(
          'the public endpoint is being opened or closed: the cluster and the change',
        ),
      },
      errors: ['NOT_FOUND', 'CONFLICT'],
    },
    handle: async ({ app, principal, params, body }) => {
      const { endpointPublicAccess, ...request } = body();
      const id = params.id ?? '';
      const result =
        Object.keys(request).length > 0
          ? await updateProvision(app, { tenantId: principal.tenantId, id, request })
          : await loadProvision(app.store, { tenantId: principal.tenantId, id }).then(
              (provision) => ({ provision, ackChange: null }),
            );
      const { provision } = result;
      // What ACK holds too is sent every time it is asked for (idempotent), so a PATCH repeated
      // after a failed sync syncs again even though the row does not change any more.
      const touchesAck = request.deletionProtection !== undefined || request.labels !== undefined;
      if (
        touchesAck &&
        provision.clusterId &&
        ['provisioning', 'running', 'failed'].includes(provision.state)
      ) {
        await syncClusterSettings(await app.clusterApi(), provision, {
          deletionProtection: request.deletionProtection !== undefined,
          labels: request.labels !== undefined,
        });
      }
      if (endpointPublicAccess !== undefined) {
        const wanted = endpointPublicAccess;
        const open =
          provision.state === 'updating'
            ? await app.store.getOpenChange({ provisionId: provision.id })
            : null;
        if (open !== null || provision.spec.endpointPublicAccess !== wanted) {
          return acceptChange(app, {
            tenantId: principal.tenantId,
            id,
            plan: () => ({ kind: 'endpoint-access', params: { enabled: wanted } }),
          });
        }
      }
      return jsonResponse(200, provisionView(result.provision));
    },
  }),
  defineEndpoint({
    method: 'DELETE',
    path: '/v1/clusters/{id}',
    audit: { action: 'cluster.delete', subject: ownTarget('cluster') },
    doc: {
      operationId: 'deleteCluster',
      summary: 'Delete (or cancel) a cluster',
      description:
        'A cluster still `accepted` is cancelled at once; otherwise it moves to `deleting` and ' +
        'the worker deletes it in ACK. Asking again answers with the current state. Refused ' +
        'with 409 while deletion protection is on: PATCH {"deletionProtection": false} first.',
      tag: 'clusters',
      scope: 'clusters:write',
      query: NO_QUERY,
      body: NO_BODY,
      responses: {
        202: {
          description: 'cancelled, or being deleted',
          schema: clusterViewSchema,
          name: 'Cluster',
        },
      },
      errors: ['NOT_FOUND', 'DELETION_PROTECTED', 'CONFLICT'],
    },
    handle: async ({ app, principal, params }) => {
      const provision = await requestDeletion(app, {
        tenantId: principal.tenantId,
        id: params.id ?? '',
      });
      return jsonResponse(202, provisionView(provision));
    },
  }),
];

export { clusterChangeRoutes };
